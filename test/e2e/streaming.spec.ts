// The streaming job under failures, in real tabs of one browser context (one IndexedDB, one set
// of Web Locks, one BroadcastChannel): counts must stay exact through a leader tab reloaded or
// closed in the middle of a batch, a leader tab hidden, three tabs producing at once, and a
// restart of a changed plan.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamingContext } from '../../src/streaming';
import { clickAround, counts, crash, flush, ready, setUp, type Setup } from './browser';

type Counts = Record<string, number>;

declare global {
  interface Window {
    /** Declares the job of the plan-change test on `ssc` (installed by `installTotalsJob`). */
    totalsJob?: (ssc: StreamingContext, by: 'page' | 'target') => void;
  }
}

/** Adds `more` to `expected`, URL by URL. */
function add(expected: Counts, more: Counts): Counts {
  for (const [url, n] of Object.entries(more)) expected[url] = (expected[url] ?? 0) + n;
  return expected;
}

/** Clicks `n` times on `#box` of `page`, which is no link: the page stays. */
async function clickBox(page: Page, n: number, expected: Counts): Promise<Counts> {
  for (let i = 0; i < n; i++) {
    await page.click('#box');
    add(expected, { [page.url()]: 1 });
  }
  return expected;
}

/**
 * Appends `n` events shaped as clicks to topic `clicks` from `page`, with a
 * producer of its own, keyed by 16 sessions (so spread over the partitions), on pages `urls`
 * unevenly; resolves once they are in the log, with how many it appended per page URL.
 */
function appendSynthetic(page: Page, n: number, urls: readonly string[]): Promise<Counts> {
  return page.evaluate(
    async ({ n, urls }) => {
      await window.tabstream!.ready; // the log comes with the rest of tabstream, in idle time
      const producer = window.tabstream!.log.producer({ spillOnHide: false });
      const sessions = Array.from({ length: 16 }, (_, i) => `synthetic-${i}-${Math.random()}`);
      const sent: Record<string, number> = {};
      const failed: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const page = urls[(i * i + (i >> 3)) % urls.length]!;
        const sessionId = sessions[i % sessions.length]!;
        const event = {
          ts: Date.now(),
          page,
          target: i % 4 === 0 ? null : urls[i % urls.length]!,
          selector: i % 2 ? 'a#next' : 'div#box',
          x: i % 1280,
          y: i % 720,
          sessionId,
        };
        producer.send('clicks', event, sessionId).catch((error: unknown) => failed.push(error));
        sent[page] = (sent[page] ?? 0) + 1;
      }
      await producer.close();
      if (failed.length) throw new Error(`${failed.length} sends failed: ${String(failed[0])}`);
      return sent;
    },
    { n, urls },
  );
}

/** Opens `/p/0` in `context` until its tab leads, then `/p/<other>` in a second tab. */
async function leaderAndOther(context: BrowserContext, origin: string, other: number) {
  const leader = await context.newPage();
  await leader.goto(`${origin}/p/0`);
  await ready(leader);
  await leads(leader);
  const second = await context.newPage();
  await second.goto(`${origin}/p/${other}`);
  await ready(second);
  return { leader, other: second };
}

/** Waits until `page`'s tab leads (runs the streaming job); resolves with when, in ms since the epoch. */
async function leads(page: Page, timeout = 30000): Promise<number> {
  const since = await page.waitForFunction(() => window.tabstream?.isLeader && Date.now(), null, {
    polling: 10,
    timeout,
  });
  return since.jsonValue() as Promise<number>;
}

/**
 * In the leader tab `page`: holds the store of the checkpoints with a readwrite transaction
 * that never ends (each read asks for the next), asks for a batch (`flush()`, not awaited),
 * and resolves as soon as its engine starts a job. The batch is then under way, and cannot
 * commit while the page lives, however fast its jobs are.
 * Rejects if the batch committed with no job seen (there was nothing to count).
 */
function startBatch(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const tabstream = window.tabstream!;
        const open = indexedDB.open(`${tabstream.log.log}:coord`);
        open.onerror = () => reject(open.error ?? new Error('the checkpoints did not open'));
        open.onsuccess = () => {
          const nodes = open.result.transaction('nodes', 'readwrite').objectStore('nodes');
          const hold = (): void => void (nodes.get('/hold').onsuccess = hold);
          hold();
          const unsubscribe = tabstream.context.status.subscribe((event) => {
            if (event.type !== 'job-start') return;
            unsubscribe();
            resolve();
          });
          tabstream.flush().then(
            () => reject(new Error('the batch committed before any job started')),
            () => {}, // the tab goes away before it resolves
          );
        };
      }),
  );
}

/** Records of topic `clicks` counted by the batches that `page`'s tab committed itself. */
function countedHere(page: Page): Promise<number> {
  return page.evaluate(() =>
    (window.tabstream!.streaming?.batches ?? []).reduce((n, batch) => n + batch.inputEvents, 0),
  );
}

/**
 * With a long batch interval, batches run only when asked for (and at the interval's
 * boundaries, wall-clock aligned): wait out a boundary that is less than `marginMs` away, so
 * none falls inside the test's critical section.
 */
async function clearOfBoundary(intervalMs: number, marginMs: number): Promise<void> {
  const left = intervalMs - (Date.now() % intervalMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 500));
}

const SYNTHETIC = 200_000;
/** Long enough that a batch runs only when a test asks for one; the windows (1m, 5m) divide by it. */
const LONG_INTERVAL_MS = 60_000;

describe('the leader tab going away in the middle of a batch', () => {
  let setup: Setup;
  beforeAll(
    async () =>
      (setup = await setUp({
        scriptAttributes: { 'data-batch-interval': String(LONG_INTERVAL_MS) },
      })),
  );
  afterAll(() => setup.close());

  const pages = (n: number) => Array.from({ length: n }, (_, i) => `${setup.site.origin}/p/${i}`);

  it('counts exactly after the leader tab reloads mid-batch', async () => {
    const context = await setup.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${setup.site.origin}/p/0`);
      await ready(page);
      await leads(page);
      await clearOfBoundary(LONG_INTERVAL_MS, 15000);
      const expected = await clickBox(page, 3, {});
      add(expected, await appendSynthetic(page, SYNTHETIC, pages(7)));
      await startBatch(page);
      await page.reload();
      await ready(page);
      await flush(page);
      expect(await counts(page)).toEqual(expected);
      expect(
        await countedHere(page),
        'the batch under way when the tab reloaded never committed: the reloaded tab counted it',
      ).toBeGreaterThanOrEqual(SYNTHETIC);
      await clickAround(page, 7, expected);
      await flush(page);
      expect(await counts(page)).toEqual(expected);
    } finally {
      await context.close();
    }
  });

  it('counts exactly after the leader tab dies mid-batch and another takes over', async () => {
    const context = await setup.browser.newContext();
    try {
      const { leader, other } = await leaderAndOther(context, setup.site.origin, 5);
      await clearOfBoundary(LONG_INTERVAL_MS, 15000);
      const expected = await clickBox(leader, 3, {});
      await clickAround(other, 4, expected);
      add(expected, await appendSynthetic(other, SYNTHETIC, pages(10)));
      expect(await other.evaluate(() => window.tabstream!.isLeader)).toBe(false);
      // When the other tab learns of the next committed batch (at most 30 s from now).
      const committed = other.evaluate(
        () =>
          new Promise<number | null>((resolve) => {
            const unsubscribe = window.tabstream!.onBatch(() => {
              unsubscribe();
              resolve(Date.now());
            });
            setTimeout(() => resolve(null), 30000);
          }),
      );
      await startBatch(leader);
      // The tab's renderer dies: closing it instead lets IndexedDB finish the transactions it
      // opened, and under load the batch's commit may already be queued behind the hold.
      const closedAt = Date.now();
      await crash(context, leader);
      const ledAt = await leads(other);
      const committedAt = await committed;
      console.log(
        `takeover: the other tab led ${ledAt - closedAt} ms after the leader tab died ` +
          `mid-batch, and committed the batch again ` +
          (committedAt === null ? 'not within 30 s' : `${committedAt - closedAt} ms after`),
      );
      await flush(other);
      expect(await counts(other)).toEqual(expected);
      expect(
        await countedHere(other),
        "the closed tab's batch never committed: the tab that took over counted it",
      ).toBeGreaterThanOrEqual(SYNTHETIC);
      await clickAround(other, 5, expected);
      await flush(other);
      expect(await counts(other)).toEqual(expected);
    } finally {
      await context.close();
    }
  });
});

describe('tabs producing at once, and a changed plan', () => {
  let setup: Setup;
  beforeAll(
    async () => (setup = await setUp({ scriptAttributes: { 'data-batch-interval': '200' } })),
  );
  afterAll(() => setup.close());

  it('counts exactly with three tabs clicking and producing at once', async () => {
    const context = await setup.browser.newContext();
    try {
      const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()));
      await Promise.all(tabs.map((tab, i) => tab.goto(`${setup.site.origin}/p/${i * 3}`)));
      await Promise.all(tabs.map((tab) => ready(tab)));
      const expected: Counts = {};
      const urls = Array.from({ length: 10 }, (_, i) => `${setup.site.origin}/p/${i}`);
      await Promise.all(
        tabs.map(async (tab) => {
          const [synthetic] = await Promise.all([
            appendSynthetic(tab, 20_000, urls),
            clickBox(tab, 3, expected),
          ]);
          add(expected, synthetic);
          await clickAround(tab, 9, expected);
        }),
      );
      await Promise.all(tabs.map((tab) => flush(tab)));
      for (const tab of tabs) expect(await counts(tab)).toEqual(expected);
      const leaders = await Promise.all(
        tabs.map((tab) => tab.evaluate(() => window.tabstream!.isLeader)),
      );
      expect(leaders.filter(Boolean)).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('hands the job to a visible tab when the leader tab is hidden, counting exactly', async () => {
    const context = await setup.browser.newContext();
    try {
      const { leader, other } = await leaderAndOther(context, setup.site.origin, 1);
      const expected = await clickBox(leader, 3, {});
      await clickBox(other, 2, expected);
      // The leader's page goes to the background, as when another browser tab is shown.
      await leader.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      });
      const hidden = Date.now();
      const led = await leads(other, 10_000);
      console.log(`hand-over: the visible tab led ${led - hidden} ms after the leader was hidden`);
      expect(await leader.evaluate(() => window.tabstream!.isLeader)).toBe(false);
      await clickBox(other, 4, expected);
      await flush(other);
      expect(await counts(other)).toEqual(expected);
      expect(await counts(leader)).toEqual(expected);
    } finally {
      await context.close();
    }
  });

  it('refuses to restore a checkpoint with another plan, then the original plan resumes exactly', async () => {
    const context = await setup.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${setup.site.origin}/p/0`);
      await ready(page);
      const urls = Array.from({ length: 5 }, (_, i) => `${setup.site.origin}/p/${i}`);
      const installTotalsJob = () =>
        page.evaluate(() => {
          const { op } = window.tabstream!;
          window.totalsJob = (ssc, by) =>
            ssc
              .fromLog('clicks')
              .map<string>(op.field(`value.${by}`))
              .countByValue()
              .updateStateByKey((counts: number[], total: number | undefined) =>
                counts.reduce((a, b) => a + b, total ?? 0),
              )
              .publish('totals');
        });
      /** Runs the totals job by `by` until it has counted what is in the log, and stops it. */
      const runTotals = (by: 'page' | 'target') =>
        page.evaluate(async (by) => {
          const { StreamingContext, context } = window.tabstream!;
          const ssc = new StreamingContext(context, { checkpointId: 'x', batchIntervalMs: 1000 });
          window.totalsJob!(ssc, by);
          try {
            await ssc.start();
          } catch (error) {
            const { name, message } = error as Error;
            return { error: { name, message }, state: ssc.state, totals: null };
          }
          await ssc.runBatch();
          await ssc.stop({ graceful: true });
          const totals = (await ssc.results())['totals'] as Record<string, number>;
          return { error: null, state: ssc.state, totals };
        }, by);

      await installTotalsJob();
      const expected = await clickBox(page, 4, {});
      add(expected, await appendSynthetic(page, 5000, urls));
      await flush(page); // the page's clicks are in the log
      const first = await runTotals('page');
      expect(first).toEqual({ error: null, state: 'stopped', totals: expected });

      // While the job is stopped: clicks on other pages, and more events.
      await clickAround(page, 5, expected);
      add(expected, await appendSynthetic(page, 3000, urls));
      await installTotalsJob();
      await clickBox(page, 2, expected);
      await flush(page);

      const changed = await runTotals('target');
      expect(changed.state).toBe('stopped');
      expect(changed.error?.name).toBe('PlanMismatchError');
      expect(changed.error?.message).toContain(
        'checkpoint "x" was written by a different streaming plan',
      );
      expect(changed.error?.message).toMatch(
        /Stored plan:\n.*\["value","page"\].*\nThis plan:\n.*\["value","target"\]/s,
      );
      // Nothing was changed: the checkpoint still holds the first run's totals.
      const kept = await page.evaluate(async () => {
        const { StreamingContext, context } = window.tabstream!;
        return (await new StreamingContext(context, { checkpointId: 'x' }).results())['totals'];
      });
      expect(kept).toEqual(first.totals);

      const resumed = await runTotals('page');
      expect(resumed).toEqual({ error: null, state: 'stopped', totals: expected });
      expect(await counts(page)).toEqual(expected);
    } finally {
      await context.close();
    }
  });

  it('answers results() of a streaming context after it stopped', async () => {
    const context = await setup.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${setup.site.origin}/p/0`);
      await ready(page);
      const expected = await clickBox(page, 3, {});
      await flush(page);
      const results = await page.evaluate(async () => {
        const { StreamingContext, context, op } = window.tabstream!;
        const ssc = new StreamingContext(context, { checkpointId: 'y' });
        ssc.fromLog('clicks').map<string>(op.field('value.page')).countByValue().publish('last');
        await ssc.start();
        await ssc.stop({ graceful: true });
        try {
          return await ssc.results();
        } catch (error) {
          return `results() after stop() threw ${String(error)}`;
        }
      });
      expect(results).toEqual({ last: expected });
    } finally {
      await context.close();
    }
  });
});
