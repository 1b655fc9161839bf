// The built script on a real site, with its coordination storage damaged as a developer's
// devtools would: the counts are a cache of the log, rebuilt exactly, and clicks go on counting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickAround, counts, flush, ready, setUp, type Setup } from './browser';

/** In the page: deletes the coord database of the default log, open connections or not. */
const deleteCoord = () =>
  new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase('tabstream:coord');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('deleteDatabase failed'));
  });

describe('faults: the coord database of a site', () => {
  let setup: Setup;
  beforeAll(
    async () => (setup = await setUp({ scriptAttributes: { 'data-batch-interval': '200' } })),
  );
  afterAll(() => setup.close());

  it('deleted mid-run: the leader goes on counting, and the totals are recounted exactly', async () => {
    const context = await setup.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${setup.site.origin}/p/0`);
    await ready(page);
    const expected = await clickAround(page, 9);
    await flush(page);
    await page.evaluate(deleteCoord);
    for (let i = 0; i < 3; i++) await page.click('#box');
    expected[page.url()] = (expected[page.url()] ?? 0) + 3;
    await flush(page);
    expect(await counts(page)).toEqual(expected);
    expect(await page.evaluate(() => window.tabstream!.isLeader)).toBe(true);
    expect(errors.join('\n')).toMatch(/tabstream:coord \/ nodes \/ the whole database: deleted/);
    await page.reload();
    await ready(page);
    await clickAround(page, 4, expected);
    await flush(page);
    expect(await counts(page)).toEqual(expected);
    await context.close();
  });

  it('a checkpoint edited into garbage: recounted exactly on the next page, and said', async () => {
    const context = await setup.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${setup.site.origin}/p/2`);
    await ready(page);
    const expected = await clickAround(page, 6);
    await flush(page);
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('tabstream:coord');
          open.onsuccess = () => {
            const db = open.result;
            const store = db.transaction('nodes', 'readwrite').objectStore('nodes');
            const cursor = store.openCursor();
            cursor.onsuccess = () => {
              const at = cursor.result;
              if (!at) return;
              const node = at.value as { path: string; version: number };
              // A new version too: the running leader's next commit conflicts, and reads it.
              const damaged = { ...node, version: node.version + 1, data: { offsets: 'x' } };
              if (node.path.endsWith('/checkpoint')) at.update(damaged);
              at.continue();
            };
            store.transaction.oncomplete = () => (db.close(), resolve());
            store.transaction.onerror = () => reject(new Error('could not damage the node'));
          };
        }),
    );
    await page.reload();
    await ready(page);
    await flush(page); // no new click: the rebuilding batch commits
    expect(await counts(page)).toEqual(expected);
    await clickAround(page, 3, expected);
    await flush(page);
    expect(await counts(page)).toEqual(expected);
    const damage = errors.filter((text) => text.includes('checkpoint "clicks:counts'));
    expect(damage.length).toBeGreaterThan(0);
    await context.close();
  });
});
