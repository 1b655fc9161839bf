import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush, ready, setUp, type Setup } from './browser';

describe('the log through window.tabstream.log', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp()));
  afterAll(() => setup.close());

  it('loses nothing when the page reloads between produce and commit', async () => {
    const { browser, site } = setup;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/p/0`);
    await ready(page);
    const before = await page.evaluate(async () => {
      const log = window.tabstream!.log;
      await log.createTopic({ name: 'orders', partitions: 2 });
      const producer = log.producer();
      const ids = (records: { value: { [field: string]: unknown } }[]) =>
        records.map((record) => record.value.id as number);
      await Promise.all(
        Array.from({ length: 20 }, (_, id) => producer.send('orders', { id }, `c${id % 5}`)),
      );
      const consumer = log.consumer({
        groupId: 'billing',
        autoOffsetReset: 'earliest',
        enableAutoCommit: false,
      });
      consumer.assign([0, 1].map((partition) => ({ topic: 'orders', partition })));
      const committed = ids(await consumer.poll({ maxRecords: 8 }));
      await consumer.commit();
      const uncommitted = ids(await consumer.poll({ maxRecords: 5 }));
      // Still lingering in the producer when the page goes: the spill keeps them.
      for (let id = 20; id < 30; id++) void producer.send('orders', { id }, `c${id % 5}`);
      return { committed, uncommitted };
    });
    await page.reload();
    await ready(page);
    await flush(page); // appends what the last page spilled
    const after = await page.evaluate(async () => {
      const consumer = window.tabstream!.log.consumer({ groupId: 'billing' });
      consumer.assign([0, 1].map((partition) => ({ topic: 'orders', partition })));
      const ids: number[] = [];
      for (
        let records;
        (records = await consumer.poll({ maxRecords: 100, timeoutMs: 200 })).length;
      ) {
        ids.push(...records.map((record) => record.value.id as number));
      }
      await consumer.close();
      return ids;
    });
    expect(before.committed).toHaveLength(8);
    expect(after.filter((id) => before.committed.includes(id))).toEqual([]); // committed: not again
    expect(after).toEqual(expect.arrayContaining(before.uncommitted)); // not committed: again
    expect(new Set(after).size).toBe(after.length); // each once
    expect([...before.committed, ...after].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, id) => id),
    );
    await context.close();
  });
});
