// tabstream.heatmap(), paths(), pageRank() and funnel() from the built script tag, on real
// pages: real clicks and navigations, computed on the tab's engine from the log.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, setUp, type Setup } from './browser';

/** Follows the page's #next link `n` times. */
async function walk(page: Page, n: number): Promise<string[]> {
  const seen = [page.url()];
  for (let i = 0; i < n; i++) {
    const next = new URL((await page.getAttribute('#next', 'href'))!, page.url()).href;
    await page.click('#next');
    await page.waitForURL(next);
    seen.push(next);
  }
  return seen;
}

/** Whether the heatmap overlay's canvas is painted at viewport point (x, y). */
const paintedAt = ([x, y]: readonly number[]): boolean => {
  const canvas = document.querySelector('tabstream-heatmap')?.shadowRoot?.querySelector('canvas');
  if (!canvas) return false;
  const ratio = canvas.width / document.documentElement.clientWidth;
  const [, , , alpha] = canvas
    .getContext('2d')!
    .getImageData(Math.round(x! * ratio), Math.round(y! * ratio), 1, 1).data;
  return alpha! > 0;
};

describe('the analytics of window.tabstream on a page with the built script tag', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp()));
  afterAll(() => setup.close());

  it("shows this page's heatmap over it, with a spot where it was clicked, and toggles it", async () => {
    const page = await setup.browser.newPage();
    await page.goto(`${setup.site.origin}/p/3`);
    await ready(page);
    const box = (await page.locator('#box').boundingBox())!;
    const at = [box.x + 150, box.y + 25] as const;
    for (let i = 0; i < 4; i++) await page.mouse.click(at[0], at[1]);

    const heatmap = await page.evaluate(() => window.tabstream!.heatmap());
    expect(heatmap.page).toBe(page.url());
    expect(heatmap.band).toBe('desktop');
    expect(heatmap.clicks).toBe(4);
    const spot = heatmap.spots.find((s) => s.selector.includes('box'))!;
    expect(spot.count).toBe(4);
    expect(spot.ex).toBeCloseTo(150 / 200, 1);
    expect(await page.evaluate(paintedAt, at)).toBe(true);
    expect(await page.evaluate(paintedAt, [box.x + 150, box.y + 300])).toBe(false);
    // The overlay takes no clicks: the page under it still gets them.
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id, at)).toBe('box');

    await page.evaluate(() => window.tabstream!.heatmap());
    expect(await page.locator('tabstream-heatmap').count()).toBe(0);
  });

  it('keeps a live heatmap, and follows the page on an in-app navigation', async () => {
    const page = await setup.browser.newPage();
    await page.goto(`${setup.site.origin}/p/4`);
    await ready(page);
    const box = (await page.locator('#box').boundingBox())!;
    for (let i = 0; i < 3; i++) await page.mouse.click(box.x + 20, box.y + 25);

    const heatmap = await page.evaluate(() =>
      window.tabstream!.heatmap({ live: true, layers: ['clusters', 'clicks'] }),
    );
    expect(heatmap.clicks).toBe(3);
    expect(heatmap.clusters).toHaveLength(1);
    // New clicks elsewhere in the box: the overlay's data gains them, batch by batch.
    for (let i = 0; i < 2; i++) await page.mouse.click(box.x + 180, box.y + 25);
    await page.waitForFunction(
      () => document.querySelector('tabstream-heatmap')?.data?.clicks === 5,
    );
    const live = (await page.evaluate(() => document.querySelector('tabstream-heatmap')!.data))!;
    const spot = live.spots.find((s) => s.selector.includes('box') && s.ex > 0.8)!;
    expect(spot.count).toBe(2);
    // The cluster moved toward them (its weight: 3 decayed, plus 2).
    expect(live.clusters[0]!.x).toBeGreaterThan(heatmap.clusters[0]!.x);
    expect(await page.evaluate(paintedAt, [box.x + 180, box.y + 25])).toBe(true);

    // An in-app navigation: the overlay shows the new page's heatmap (no click yet), still live.
    const next = await page.evaluate(() => {
      history.pushState({}, '', '/p/7');
      return location.href;
    });
    await page.waitForFunction(
      (url) => document.querySelector('tabstream-heatmap')?.data?.page === url,
      next,
    );
    expect(
      await page.evaluate(() => document.querySelector('tabstream-heatmap')!.data!.clicks),
    ).toBe(0);
    await page.mouse.click(box.x + 100, box.y + 25);
    await page.waitForFunction(
      () => document.querySelector('tabstream-heatmap')?.data?.clicks === 1,
    );

    await page.evaluate(() => window.tabstream!.heatmap.hide());
    expect(await page.locator('tabstream-heatmap').count()).toBe(0);
  });

  it('finds the paths, the PageRank and the funnel of pages walked through', async () => {
    const page = await setup.browser.newPage();
    await page.goto(`${setup.site.origin}/p/5`);
    await ready(page);
    const [first, second, third] = await walk(page, 2);
    await ready(page);

    const paths = await page.evaluate((start) => window.tabstream!.paths({ start }), first!);
    const at = (step: number) => paths.nodes.filter((n) => n.step === step).map((n) => n.page);
    expect(at(0)).toEqual([first]);
    expect(at(1)).toEqual([second]);
    expect(at(2)).toEqual([third]);
    expect(paths.links.map((l) => [l.step, l.source, l.target])).toEqual(
      expect.arrayContaining([
        [0, first, second],
        [1, second, third],
      ]),
    );

    const ranks = await page.evaluate(() => window.tabstream!.pageRank());
    expect(ranks.map((r) => r.page).sort()).toEqual(expect.arrayContaining([first, second, third]));
    expect(ranks.reduce((sum, r) => sum + r.rank, 0)).toBeCloseTo(1, 6);

    const funnel = await page.evaluate(
      (pages) =>
        window.tabstream!.funnel({
          steps: [
            ...pages.map((p) => ({ match: { page: new URL(p).pathname.replace(/^/, '**') } })),
            { match: { page: '**/never' }, optional: true },
          ],
        }),
      [first!, second!, third!],
    );
    expect(funnel.entered).toBe(1);
    expect(funnel.steps.map((s) => s.count)).toEqual([1, 1, 1, 0]);
    expect(funnel.steps.map((s) => s.optional)).toEqual([false, false, false, true]);
  });
});
