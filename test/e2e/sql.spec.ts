// tabstream.sql from the built script tag, on real pages: a fresh site's tables already have the
// tracker's columns, answers match the log's records, and a continuous query runs in the leader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickAround, flush, ready, readTopicInPage, setUp, type Setup } from './browser';

describe('tabstream.sql on a page with the built script tag', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp()));
  afterAll(() => setup.close());

  it("answers over the tracker's topics, before the first click and after", async () => {
    const page = await setup.browser.newPage();
    await page.goto(`${setup.site.origin}/p/0`);
    await ready(page);
    const query = 'SELECT page, count(*) AS n FROM clicks GROUP BY page ORDER BY page';
    const before = await page.evaluate((q) => window.tabstream!.sql(q), query);
    expect(before).toEqual({ columns: ['page', 'n'], rows: [] });
    const declared = await page.evaluate(() => window.tabstream!.sql('DESCRIBE clicks'));

    const expected = await clickAround(page, 6);
    await flush(page);
    const after = await page.evaluate((q) => window.tabstream!.sql(q), query);
    expect(Object.fromEntries(after.rows)).toEqual(expected);

    // The columns a fresh site's table has are the fields the tracker stores, no more, no less.
    const [click] = await page.evaluate(readTopicInPage, 'clicks');
    const stored = [...Object.keys(click!.value), '_partition', '_offset', '_timestamp', '_key'];
    expect(declared.rows.map((row) => row[0]).sort()).toEqual(stored.sort());
  });

  it('runs a continuous query in the leader, read from the page', async () => {
    const page = await setup.browser.newPage();
    await page.goto(`${setup.site.origin}/p/0`);
    await ready(page);
    await page.evaluate(() =>
      window.tabstream!.sql.stream('pages', 'SELECT page, count(*) FROM clicks GROUP BY page'),
    );
    const expected: Record<string, number> = await page.evaluate(async () => {
      const { rows } = await window.tabstream!.sql(
        'SELECT page, count(*) FROM clicks GROUP BY page',
      );
      return Object.fromEntries(rows as [string, number][]);
    });
    await clickAround(page, 3, expected);
    await flush(page);
    await page.waitForFunction(
      async (want: Record<string, number>) => {
        const { rows } = await window.tabstream!.sql.results('pages');
        const sorted = (entries: unknown[][]) => JSON.stringify(entries.map(String).sort());
        return sorted(rows) === sorted(Object.entries(want));
      },
      expected,
      { polling: 100, timeout: 60_000 },
    );
    const streams = await page.evaluate(() => window.tabstream!.sql.streams());
    expect(streams.map((s) => s.name)).toEqual(['pages']);
  });
});
