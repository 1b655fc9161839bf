// The engine on real workers: the classic first Spark session, shuffles between workers,
// caching with locality, broadcast variables and accumulators, and the errors a user meets.
import { expect } from 'chai';
import {
  EngineContext,
  ExecutorPool,
  JobFailedError,
  op,
  type EngineEvent,
} from '../../src/engine';
import { createWorker, uniqueLog } from './helpers';

/** Runs `test` with a context over a fresh pool of 2 workers, terminated after. */
async function withContext(test: (context: EngineContext) => Promise<void>): Promise<void> {
  const pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 5000 });
  try {
    await test(new EngineContext({ log: uniqueLog('jobs'), pool }));
  } finally {
    await pool.terminate();
  }
}

describe('the classic first session, on real workers', () => {
  it('answers like Spark over a same-origin text file', async () => {
    const text = await (await fetch('/README.md')).text();
    const expected = text.split('\n');
    if (expected.at(-1) === '') expected.pop();
    await withContext(async (context) => {
      const lines = context.textFile('/README.md', 3);
      expect(await lines.count()).to.equal(expected.length);
      expect(await lines.first()).to.equal(expected[0]);
      expect(await lines.filter((l: string) => l.includes('Spark')).count()).to.equal(
        expected.filter((l) => l.includes('Spark')).length,
      );
      expect(
        await lines.map((l: string) => l.split(' ').length).reduce((a, b) => Math.max(a, b)),
      ).to.equal(Math.max(...expected.map((l) => l.split(' ').length)));
      const counts = lines
        .flatMap((l: string) => l.split(' '))
        .map((w: string) => [w, 1] as [string, number])
        .reduceByKey((a: number, b: number) => a + b);
      const words = new Map<string, number>();
      for (const w of expected.flatMap((l) => l.split(' '))) words.set(w, (words.get(w) ?? 0) + 1);
      expect(new Map(await counts.collect())).to.deep.equal(words);
      expect(await lines.collect()).to.deep.equal(expected);
    });
  });

  it('reads every line of a Blob once, however it is split, with \\r\\n and multibyte text', async () => {
    const lines = Array.from(
      { length: 500 },
      (_, i) => `line ${i} — ünïcödé ${'x'.repeat(i % 37)}`,
    );
    const blob = new Blob([lines.join('\r\n')]);
    await withContext(async (context) => {
      for (const n of [1, 2, 7, 64])
        expect(await context.textFile(blob, n).collect()).to.deep.equal(lines);
    });
  });
});

describe('jobs, stages and shuffles', () => {
  it('sends shuffle blocks between workers and reports shuffle bytes per stage', async () => {
    await withContext(async (context) => {
      const events: EngineEvent[] = [];
      context.status.subscribe((event) => events.push(event));
      const n = 20000;
      const pairs = context
        .parallelize(
          Array.from({ length: n }, (_, i) => i),
          4,
        )
        .map(op.pair(op.literal('k'), 1));
      const keyed = context
        .parallelize(
          Array.from({ length: n }, (_, i) => i % 100),
          4,
        )
        .map((i: number) => [i % 10, i] as [number, number]);
      const sums = await keyed.reduceByKey((a: number, b: number) => a + b, undefined, 3).collect();
      const expected = new Map<number, number>();
      for (let i = 0; i < n; i++)
        expected.set((i % 100) % 10, (expected.get((i % 100) % 10) ?? 0) + (i % 100));
      expect(new Map(sums)).to.deep.equal(expected);
      expect(await pairs.countByKey()).to.deep.equal(new Map([['k', n]]));
      const completed = events.flatMap((e) => (e.type === 'stage-completed' ? [e.stage] : []));
      const map = completed.find((s) => s.kind === 'shuffle-map')!;
      const result = completed.find((s) => s.kind === 'result' && s.jobId === map.jobId)!;
      const written = map.tasks.reduce((sum, t) => sum + t.metrics!.shuffleWriteBytes, 0);
      const read = result.tasks.reduce((sum, t) => sum + t.metrics!.shuffleReadBytes, 0);
      expect(written).to.be.greaterThan(0);
      expect(read).to.equal(written);
      expect(new Set(map.tasks.map((t) => t.executorId)).size).to.equal(
        2,
        'both workers ran map tasks',
      );
      expect(map.tasks.reduce((sum, t) => sum + t.metrics!.recordsIn, 0)).to.equal(n);
    });
  });

  it('joins, sorts, dedupes, unions, repartitions and coalesces', async () => {
    await withContext(async (context) => {
      const users = context.parallelize<[number, string]>(
        [
          [1, 'ann'],
          [2, 'bob'],
          [3, 'cy'],
        ],
        2,
      );
      const visits = context.parallelize<[number, string]>(
        [
          [1, '/a'],
          [1, '/b'],
          [3, '/c'],
          [4, '/d'],
        ],
        3,
      );
      const byKey = <T>(rows: [number, T][]) =>
        rows.sort((a, b) => a[0] - b[0] || (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      expect(byKey(await users.join(visits).collect())).to.deep.equal([
        [1, ['ann', '/a']],
        [1, ['ann', '/b']],
        [3, ['cy', '/c']],
      ]);
      expect(byKey(await users.leftOuterJoin(visits).collect())).to.deep.equal([
        [1, ['ann', '/a']],
        [1, ['ann', '/b']],
        [2, ['bob', null]],
        [3, ['cy', '/c']],
      ]);
      const numbers = context.parallelize([5, 3, 9, 1, 3, 7, 9, 2, 8], 3);
      expect(await numbers.sortBy(op.record()).collect()).to.deep.equal([
        1, 2, 3, 3, 5, 7, 8, 9, 9,
      ]);
      expect(await numbers.sortBy((x: number) => x, false, 2).collect()).to.deep.equal([
        9, 9, 8, 7, 5, 3, 3, 2, 1,
      ]);
      expect((await numbers.distinct().collect()).sort()).to.deep.equal([1, 2, 3, 5, 7, 8, 9]);
      expect(await numbers.union(context.parallelize([10], 1)).count()).to.equal(10);
      const spread = numbers.repartition(4);
      expect(await spread.getNumPartitions()).to.equal(4);
      expect((await spread.collect()).sort()).to.deep.equal([1, 2, 3, 3, 5, 7, 8, 9, 9]);
      const merged = numbers.coalesce(2);
      expect(await merged.getNumPartitions()).to.equal(2);
      expect(await merged.collect()).to.deep.equal([5, 3, 9, 1, 3, 7, 9, 2, 8]);
      expect(await numbers.take(4)).to.deep.equal([5, 3, 9, 1]);
      expect(await numbers.countByValue()).to.deep.equal(
        new Map([
          [5, 1],
          [3, 2],
          [9, 2],
          [1, 1],
          [7, 1],
          [2, 1],
          [8, 1],
        ]),
      );
      expect(await context.parallelize([], 2).count()).to.equal(0);
    });
  });

  it('reuses a shuffle an earlier job wrote: its map stage is not run again', async () => {
    await withContext(async (context) => {
      const stages: string[] = [];
      context.status.subscribe(
        (e) => void (e.type === 'stage-submitted' && stages.push(e.stage.kind)),
      );
      const counts = context
        .parallelize(['a', 'b', 'a'], 2)
        .map(op.pair(op.record(), 1))
        .reduceByKey(op.sum);
      await counts.collect();
      await counts.count();
      expect(stages).to.deep.equal(['shuffle-map', 'result', 'result']);
    });
  });
});

describe('caching', () => {
  it('keeps serialized partitions with MEMORY_ONLY_SER, and they read back the same', async () => {
    await withContext(async (context) => {
      const data = context
        .parallelize([{ a: 1 }, { a: 2 }, { a: 3 }], 2)
        .persist('MEMORY_ONLY_SER');
      expect(await data.collect()).to.deep.equal([{ a: 1 }, { a: 2 }, { a: 3 }]);
      expect(await data.map(op.field('a')).reduce(op.sum)).to.equal(6);
      expect(
        context.status
          .stages()
          .at(-1)!
          .tasks.every((t) => t.metrics!.recordsIn > 0),
      ).to.equal(true);
      expect(() => data.persist('DISK_ONLY' as 'MEMORY_ONLY')).to.throw(/not supported/);
    });
  });

  it('keeps partitions in the executor that computed them and runs later tasks there', async () => {
    await withContext(async (context) => {
      const computed = context.accumulator(0, 'computed');
      const data = context
        .parallelize(
          Array.from({ length: 1000 }, (_, i) => i),
          4,
        )
        .map((x: number, p: { computed: { add(n: number): void } }) => (p.computed.add(1), x * 2), {
          computed,
        })
        .cache();
      expect(await data.count()).to.equal(1000);
      const holders = new Map(
        context.status
          .stages()
          .at(-1)!
          .tasks.map((t) => [t.partition, t.executorId]),
      );
      // One uncached partition first: placed by load alone, the cached ones would land on
      // the other executor than the one holding them.
      const shifted = context.parallelize([0], 1).union(data);
      expect(await shifted.reduce(op.sum)).to.equal(999 * 1000);
      const second = context.status.stages().at(-1)!.tasks;
      expect(computed.value).to.equal(1000, 'the second job read the cache');
      for (const task of second.filter((t) => t.partition > 0))
        expect(task.executorId).to.equal(holders.get(task.partition - 1));
      await data.unpersist();
      await data.count();
      expect(computed.value).to.equal(2000, 'unpersisted: computed again');
    });
  });
});

describe('saveToLog', () => {
  it('appends every record from the executors: pairs keyed, objects as values', async () => {
    await withContext(async (context) => {
      const { Admin } = await import('../../src/log');
      const admin = new Admin(context.log);
      await admin.createTopic({ name: 'pages', partitions: 2 });
      const counts = context
        .parallelize(['/a', '/b', '/a', '/c', '/a'], 3)
        .map<[string, number]>(op.pair(op.record(), 1))
        .reduceByKey(op.sum)
        .map((pair: [string, number]) => [pair[0], { page: pair[0], count: pair[1] }]);
      expect(await counts.saveToLog('pages')).to.equal(3);
      const saved = await context.fromLog('pages').collect();
      expect(saved.map((r) => [r.key, r.value]).sort()).to.deep.equal([
        ['/a', { page: '/a', count: 3 }],
        ['/b', { page: '/b', count: 1 }],
        ['/c', { page: '/c', count: 1 }],
      ]);
      await admin.close();
    });
  });
});

describe('broadcast variables and accumulators', () => {
  it('ships a broadcast once per executor and counts each successful task once', async () => {
    await withContext(async (context) => {
      const stop = context.broadcast(['the', 'a']);
      const kept = context.accumulator();
      const words = context.parallelize('the cat and a dog saw the bird'.split(' '), 3);
      const result = await words
        .filter(
          (w: string, p: { stop: { value: string[] }; kept: { add(n: number): void } }) =>
            !p.stop.value.includes(w) && (p.kept.add(1), true),
          { stop, kept },
        )
        .collect();
      expect(result).to.deep.equal(['cat', 'and', 'dog', 'saw', 'bird']);
      expect(kept.value).to.equal(5);
    });
  });
});

describe('errors a user meets', () => {
  it('fails a function that reads its enclosing scope, naming the variable and the fix', async () => {
    await withContext(async (context) => {
      const word = 'Spark';
      const error = await context
        .parallelize(['a Spark line', 'another'], 2)
        .filter((l: string) => l.includes(word))
        .count()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(JobFailedError);
      expect((error as Error).message).to.match(
        /task not serializable.*reads `word`.*params.*broadcast/,
      );
      const tasks = context.status.stages().at(-1)!.tasks;
      expect(tasks.map((t) => [t.partition, t.attempt])).to.have.deep.members(
        [
          [0, 0],
          [1, 0],
        ],
        'not retried',
      );
    });
  });

  it('fails a method, which does not stand alone as source text, with a clear error', async () => {
    await withContext(async (context) => {
      const methods = {
        double(x: number) {
          return x * 2;
        },
      };
      const error = await context
        .parallelize([1, 2], 1)
        .map(methods.double) // eslint-disable-line @typescript-eslint/unbound-method -- the point of the test
        .collect()
        .catch((e: unknown) => e);
      expect((error as Error).message).to.match(/does not stand alone as source text.*arrow/);
    });
  });

  it('fails a job whose task failed 4 times with its error and its stage', async () => {
    await withContext(async (context) => {
      const error = await context
        .parallelize([1, 2, 3], 1)
        .map((x: number) => {
          if (x === 2) throw Object.assign(new Error('bad record 2'), { record: x });
          return x;
        })
        .collect()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(JobFailedError);
      expect((error as Error).message).to.match(
        /task 0 in stage \d+ \(.*\) failed 4 times.*bad record 2/,
      );
      expect(context.status.jobs().at(-1)!.status).to.equal('failed');
      // The worker's error crossed with its own fields, not only its message.
      expect((error as JobFailedError).cause).to.include({ record: 2, message: 'bad record 2' });
    });
  });
});

describe('job priority', () => {
  it("gives a higher-priority job's tasks the free slots before a running job's queued ones", async () => {
    await withContext(async (context) => {
      let ended = 0; // tasks of the background job done
      const unsubscribe = context.status.subscribe((event) => {
        if (event.type === 'task-end' && event.task.stageId === 0) ended++;
      });
      const slow = (x: number) => {
        const until = Date.now() + 300;
        while (Date.now() < until);
        return x;
      };
      // 12 tasks of 300 ms on 4 slots (2 workers × 2): 8 wait in the queue.
      const background = context
        .parallelize([...Array(12).keys()], 12)
        .map(slow)
        .count();
      await new Promise((resolve) => setTimeout(resolve, 100)); // its first 4 tasks run
      context.status.setJobGroup('urgent', 1);
      const urgent = context.parallelize([1, 2], 2).map(slow).collect();
      context.status.setJobGroup(null);
      expect(await urgent).to.deep.equal([1, 2]);
      // Done in the second round of 4 tasks, not after the 8 that were queued before it.
      expect(ended).to.be.at.most(6);
      expect(await background).to.equal(12);
      const jobs = context.status.jobs();
      expect(jobs.map((job) => [job.group, job.priority])).to.deep.equal([
        [null, 0],
        ['urgent', 1],
      ]);
      unsubscribe();
    });
  });
});
