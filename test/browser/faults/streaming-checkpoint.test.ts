// Faults of the streaming job's checkpoint node: the job's state is a cache of the log, so any
// damage to it, or its loss, rebuilds the counts from what retention kept (totals exact), says
// so, and the clicks that come after are counted once.
import { expect } from 'chai';
import fc from 'fast-check';
import { Admin } from '../../../src/log';
import { checkpointPath, StreamingContext } from '../../../src/streaming';
import {
  appendClicks,
  startClicksJob,
  type ClicksJob,
  type JobOptions,
} from '../fixtures/clicks-job';
import {
  damageNode,
  deleteCoordDatabase,
  deleteRawRecord,
  putRawNode,
  rawAppended,
  rawNode,
  reported,
} from '../fixtures/coord-faults';
import { logWithClicks, tally, uniqueLog } from '../helpers';

const ID = 'faults';
const PATH = checkpointPath(ID);

/** The script tag's job over `log` (checkpoint "faults"), with a manual clock. */
const startJob = (log: string, options: JobOptions = {}) =>
  startClicksJob(log, { checkpointId: ID, ...options });

const pagesOf = (n: number) => Array.from({ length: n }, (_, i) => `/page/${i % 7}`);

/** A log of `n` clicks in `partitions`, counted by a job that then stopped. */
async function counted(n = 40, partitions = 2) {
  const log = uniqueLog('fault-ckpt');
  const pages = pagesOf(n);
  await logWithClicks(log, partitions, pages);
  const job = await startJob(log);
  await job.batch();
  expect(await job.totals()).to.deep.equal(tally(pages));
  await job.stop();
  return { log, pages };
}

/**
 * A job started over the damage: its first batch counts every click in the log (and commits,
 * even with no new click), it said what it found (`said`), and it counts later clicks once.
 */
async function expectRebuilt(log: string, pages: readonly string[], said: RegExp) {
  const {
    result: job,
    damage,
    errors,
    warnings,
  } = await reported(async () => {
    const job = await startJob(log);
    const info = await job.batch();
    expect(info, 'the rebuilding batch commits').to.not.equal(null);
    return job;
  });
  try {
    expect(await job.totals()).to.deep.equal(tally(pages));
    expect([...errors, ...warnings].join('\n')).to.match(said);
    await appendClicks(log, ['/new', '/new', '/other']);
    await job.batch();
    expect(await job.totals()).to.deep.equal(tally([...pages, '/new', '/new', '/other']));
    return { damage };
  } finally {
    await job.stop();
  }
}

async function expectRebuiltFromDamage(
  damage: (node: Record<string, unknown>) => unknown,
  said: RegExp,
) {
  const { log, pages } = await counted();
  await damageNode(log, PATH, damage);
  const { damage: seen } = await expectRebuilt(log, pages, said);
  expect(seen, 'the damage is reported').to.be.greaterThan(0);
}

/** A job over `log` counts exactly its clicks, then later ones, whatever the damage did. */
async function expectRebuiltOrKept(log: string, pages: readonly string[]) {
  const { result: job } = await reported(async () => {
    const job = await startJob(log);
    await job.batch();
    return job;
  });
  try {
    expect(await job.totals()).to.deep.equal(tally(pages));
    await appendClicks(log, ['/new']);
    await job.batch();
    expect(await job.totals()).to.deep.equal(tally([...pages, '/new']));
  } finally {
    await job.stop();
  }
}

type Path = readonly (string | number)[];

/** The path of every value in `value` (objects' and arrays' members, at any depth). */
function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, member]) => {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    return [at, ...pathsOf(member, at)];
  });
}

/**
 * `root` with the value at `path` replaced by `value`: removed when undefined, or made `{}` in
 * an array (an undefined key is a missing field's, which no schema can tell from a URL's).
 */
function setAt(root: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value !== undefined) parent[last] = value;
  else if (Array.isArray(parent)) parent[last] = {};
  else delete parent[last];
  return root;
}

const data = (node: Record<string, unknown>) => node['data'] as Record<string, unknown>;
/** The first (only) input's offsets of a checkpoint node's data. */
const offsetsOf = (node: Record<string, unknown>) =>
  Object.values(data(node)['offsets'] as Record<string, number[]>)[0]!;

describe('faults: the streaming checkpoint node', () => {
  it('data of the wrong type (a string): rebuilt from the log, exact', async () => {
    await expectRebuiltFromDamage(
      (node) => ({ ...node, data: 'garbage' }),
      /checkpoint "faults".*not a record/,
    );
  });

  it('truncated data (no offsets): rebuilt from the log, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      delete data(node)['offsets'];
      return node;
    }, /offsets are undefined, not a record/);
  });

  it('an offset of the wrong type (a numeric string): rebuilt, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      offsetsOf(node)[0] = '5' as unknown as number;
      return node;
    }, /partition 0 is "5", not an offset/);
  });

  it('offsets beyond the high watermark (the log database deleted, the coord kept): rebuilt from the new log', async () => {
    const { log } = await counted();
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(log);
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error ?? new Error('deleteDatabase failed'));
    });
    const pages = pagesOf(3).map((page) => `${page}/new-log`);
    await logWithClicks(log, 2, pages);
    const { damage } = await expectRebuilt(
      log,
      pages,
      /of clicks\/\d is beyond the high watermark/,
    );
    expect(damage).to.be.greaterThan(0);
  });

  it('an offset changed to another within the log (its checksum): rebuilt, exact, none counted twice', async () => {
    await expectRebuiltFromDamage((node) => {
      offsetsOf(node)[0]! -= 5;
      return node;
    }, /checksum is \d+, not \d+/);
  });

  it('a record count changed (its checksum): rebuilt, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      data(node)['records'] = 3;
      return node;
    }, /checksum is/);
  });

  it('the totals emptied (they no longer add up to the records read): rebuilt, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      const state = data(node)['state'] as Record<string, unknown>;
      for (const id of Object.keys(state)) if (Array.isArray(state[id])) state[id] = [];
      return node;
    }, /counts add up to 0, but it read 40 records/);
  });

  it('any value of the data replaced by one of another kind, or removed (property): totals exact', async () => {
    const { log: source } = await counted(12, 2);
    const good = await rawNode(source, PATH);
    const leaves = pathsOf(good['data']);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...leaves),
        fc.oneof(
          fc.constant(undefined),
          fc.object({ maxDepth: 1 }),
          fc.array(fc.integer(), { maxLength: 3 }),
        ),
        async (path, value) => {
          const { log, pages } = await counted(12, 2);
          await damageNode(log, PATH, (node) => setAt(node, ['data', ...path], value));
          await expectRebuiltOrKept(log, pages);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a count of the wrong type in the state ("7"): rebuilt, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      const state = data(node)['state'] as Record<string, [string, unknown][]>;
      const totals = Object.values(state).find((entries) => Array.isArray(entries))!;
      totals[0]![1] = '7';
      return node;
    }, /count of "\/page\/\d" is "7", not a whole number/);
  });

  it('a state that is not a list of entries: rebuilt, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      const state = data(node)['state'] as Record<string, unknown>;
      for (const id of Object.keys(state)) if (Array.isArray(state[id])) state[id] = { x: 1 };
      return node;
    }, /checkpoint "faults"/);
  });

  it('a history range that ends before it starts: rebuilt, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      const history = Object.values(data(node)['history'] as Record<string, unknown[]>)[0]!;
      (history[0] as { ranges: { untilOffset: number }[] }).ranges[0]!.untilOffset = -3;
      return node;
    }, /not an offset range/);
  });

  it('no plan hash: rebuilt, exact (not a PlanMismatchError)', async () => {
    await expectRebuiltFromDamage((node) => {
      delete data(node)['planHash'];
      return node;
    }, /it names no plan/);
  });

  it('a batch count of 0: rebuilt, exact', async () => {
    await expectRebuiltFromDamage((node) => {
      data(node)['batches'] = 0;
      return node;
    }, /batch count is 0/);
  });

  it("a node whose version is a string (the node store's envelope): replaced, exact", async () => {
    await expectRebuiltFromDamage(
      (node) => ({ ...node, version: '3' }),
      /version is "3", not a whole number/,
    );
  });

  it('offsets below the log start (retention removed clicks never read): rebuilt from what it kept', async () => {
    const log = uniqueLog('fault-retention');
    const first = pagesOf(10);
    await logWithClicks(log, 1, first);
    const job = await startJob(log);
    await job.batch();
    await job.stop();
    const later = pagesOf(12).map((page) => `${page}/later`);
    await appendClicks(log, later);
    const admin = new Admin(log);
    const logStart = await admin.deleteRecords('clicks', 0, 14);
    await admin.close();
    expect(logStart).to.be.greaterThan(10);
    const kept = [...first, ...later].slice(logStart);
    const { damage } = await expectRebuilt(log, kept, /before the log start \d+: retention/);
    expect(damage).to.be.greaterThan(0);
  });

  it('deleted while the job runs: rebuilt at its next batch, exact', async () => {
    const { log, pages } = await counted();
    const job = await startJob(log);
    try {
      await appendClicks(log, ['/a']);
      await job.batch();
      await StreamingContext.deleteCheckpoint(log, ID);
      await appendClicks(log, ['/b']);
      const { warnings } = await reported(() => job.batch());
      expect(warnings.join('\n')).to.match(/checkpoint node vanished/);
      expect(await job.totals()).to.deep.equal(tally([...pages, '/a', '/b']));
    } finally {
      await job.stop();
    }
  });

  it('deleted while the job idles (no clicks, its windows empty): rebuilt at its next batch', async () => {
    const { log, pages } = await counted();
    const job = await startJob(log);
    try {
      await job.batch(10 * 60_000); // the windows empty: batches with no clicks now commit nothing
      expect(await job.batch()).to.equal(null);
      await reported(async () => {
        await StreamingContext.deleteCheckpoint(log, ID);
        // The job hears of the deletion from its node's watch: a batch after that rebuilds.
        let info = null;
        for (let i = 0; info === null && i < 500; i++) info = await job.batch();
        expect(info).to.include({ inputEvents: pages.length, batch: 1 });
      });
      expect(await job.totals()).to.deep.equal(tally(pages));
    } finally {
      await job.stop();
    }
  });

  it('its coord database deleted while the job runs: recreated, rebuilt, exact', async () => {
    const { log, pages } = await counted();
    const job = await startJob(log);
    try {
      const { damage } = await reported(async () => {
        await deleteCoordDatabase(log);
        await appendClicks(log, ['/after']);
        await job.batch();
      });
      expect(damage).to.be.greaterThan(0);
      expect(await job.totals()).to.deep.equal(tally([...pages, '/after']));
      await appendClicks(log, ['/after']);
      await job.batch();
      expect(await job.totals()).to.deep.equal(tally([...pages, '/after', '/after']));
    } finally {
      await job.stop();
    }
  });

  it('its coord database deleted before the job starts: rebuilt from the log, not the group', async () => {
    const { log, pages } = await counted();
    await deleteCoordDatabase(log);
    await expectRebuilt(log, pages, /no checkpoint, yet consumer group of clicks committed/);
  });

  it('a new checkpoint (a changed batch interval) starts at the log start, not the group', async () => {
    const { log, pages } = await counted();
    const { result: job, warnings } = await reported(async () => {
      const job = await startJob(log, { checkpointId: 'faults-1100', batchIntervalMs: 1100 });
      await job.batch();
      return job;
    });
    try {
      expect(await job.totals()).to.deep.equal(tally(pages));
      expect(warnings.join('\n')).to.match(/"faults-1100" of log "[^"]+": it has no checkpoint/);
    } finally {
      await job.stop();
    }
  });

  it('a changed plan with onPlanChange "rebuild": rebuilt, exact', async () => {
    const { log, pages } = await counted();
    const { result: job, warnings } = await reported(async () => {
      const job = await startJob(log, { batchIntervalMs: 2000, onPlanChange: 'rebuild' });
      await job.batch();
      return job;
    });
    try {
      expect(await job.totals()).to.deep.equal(tally(pages));
      expect(warnings.join('\n')).to.match(/written by another plan/);
    } finally {
      await job.stop();
    }
  });

  it('a commit racing a rebuild: each click counted once', async () => {
    const { log, pages } = await counted();
    const running: ClicksJob = await startJob(log); // resumes from the good checkpoint
    try {
      await appendClicks(log, ['/x']);
      // Damaged under the running job, version unchanged: a second job rebuilds over it.
      await damageNode(log, PATH, (node) => ({ ...node, data: 42 }));
      const rebuilding = await startJob(log);
      try {
        await reported(() => rebuilding.batch());
        expect(await rebuilding.totals()).to.deep.equal(tally([...pages, '/x']));
        // The running job counted /x too, from its own state: its commit must lose.
        const error = await running.batch().catch((e: unknown) => e);
        expect((error as Error)?.name).to.equal('CheckpointConflictError');
        await appendClicks(log, ['/y']);
        await running.batch(); // reloads the rebuilt checkpoint, counts /y once
        expect(await running.totals()).to.deep.equal(tally([...pages, '/x', '/y']));
      } finally {
        await rebuilding.stop();
      }
    } finally {
      await running.stop();
    }
    expect((await rawNode(log, PATH))['version']).to.be.a('number');
  });

  describe('the changes appended to it', () => {
    /** A log counted by a job that then appended the changes of 3 batches: stopped. */
    async function withChanges() {
      const { log, pages } = await counted();
      const job = await startJob(log);
      const later: string[] = [];
      try {
        for (let n = 0; n < 3; n++) {
          const more = [`/later/${n}`, `/page/${n}`];
          await appendClicks(log, more);
          later.push(...more);
          await job.batch();
        }
      } finally {
        await job.stop();
      }
      const entries = await rawAppended(log, PATH);
      expect(entries.length, 'changes were appended').to.be.at.least(2);
      return { log, pages: [...pages, ...later], entries };
    }

    /** `damage` (given a copy of the stored entry) of the `index`th change of a counted log. */
    async function expectRebuiltFromChange(
      index: number,
      damage: (entry: Record<string, unknown>) => unknown,
      said: RegExp,
    ) {
      const { log, pages, entries } = await withChanges();
      await putRawNode(log, damage(structuredClone(entries[index]!)));
      const { damage: seen } = await expectRebuilt(log, pages, said);
      expect(seen, 'the damage is reported').to.be.greaterThan(0);
    }

    it('a count changed in a change (its CRC): rebuilt, exact', async () => {
      await expectRebuiltFromChange(
        0,
        (entry) => {
          const state = data(entry)['state'] as Record<string, { entries?: { put: unknown[] } }>;
          const totals = Object.values(state).find((c) => c.entries?.put.length)!;
          (totals.entries!.put[0] as [string, number])[1] += 1;
          return entry;
        },
        /the change of its batch 2: its checksum is \d+, not \d+/,
      );
    });

    it('a change missing (deleted): rebuilt, exact', async () => {
      const { log, pages, entries } = await withChanges();
      await deleteRawRecord(log, entries[0]!['path'] as string);
      const { damage } = await expectRebuilt(log, pages, /its batch count is 3, not 2/);
      expect(damage).to.be.greaterThan(0);
    });

    it('an entry that is not one (its version): left out, a change missing: rebuilt, exact', async () => {
      await expectRebuiltFromChange(
        0,
        (entry) => ({ ...entry, version: 'x' }),
        /its version is "x", not the one of its key/,
      );
    });

    it('the last change not an entry: left out, the job resumes from the batch before, exact', async () => {
      const { log, pages, entries } = await withChanges();
      await putRawNode(log, { ...entries.at(-1)!, version: 'x' });
      await expectRebuiltOrKept(log, pages);
    });

    it('the node set by a writer that knew of no changes (an older tabstream): rebuilt, exact', async () => {
      const { log, pages } = await withChanges();
      await damageNode(log, PATH, (node) => ({
        ...node,
        version: (node['version'] as number) + 1,
      }));
      const { damage } = await expectRebuilt(
        log,
        pages,
        /the change of its batch \d+: (its batch count|it follows)/,
      );
      expect(damage).to.be.greaterThan(0);
    });

    it('any value of a change replaced by one of another kind, or removed (property): totals exact', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(),
          fc.oneof(
            fc.constant(undefined),
            fc.object({ maxDepth: 1 }),
            fc.array(fc.integer(), { maxLength: 3 }),
          ),
          async (pick, value) => {
            const { log, pages, entries } = await withChanges();
            // Every value of every change of this run: which changes a run holds may vary.
            const leaves = entries.flatMap((entry, index) =>
              pathsOf(entry['data']).map((path) => ({ index, path })),
            );
            const { index, path } = leaves[pick % leaves.length]!;
            const entry = structuredClone(entries[index]!);
            await putRawNode(log, setAt(entry, ['data', ...path], value));
            await expectRebuiltOrKept(log, pages);
          },
        ),
        { numRuns: 30 },
      );
    });
  });
});
