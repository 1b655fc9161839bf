// Where in the element a click falls (ex, ey) and scroll depth (topic scrolls), on real pages of
// the built script tag: tabs of one window, so that hiding a tab is the browser's own doing.
// Every test reads back what reached the log (IndexedDB), not what a page holds.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClickEvent, PageViewEvent, ScrollEvent } from '../../src/tracker/events';
import { readTopic, ready, setUpWindow, type WindowSetup } from './browser';

/** The pages are long: 5,000 px of body, to scroll down. */
const LONG = '<style>body { min-height: 5000px }</style>';

async function stored<T>(page: Page, topic: string): Promise<T[]> {
  return (await readTopic<T>(page, topic)).map((record) => record.value);
}

/** Scrolls `page` to `y`, and waits for its scroll event (what the tracker listens to). */
async function scrollPage(page: Page, y: number): Promise<void> {
  await page.evaluate(async (y) => {
    const scrolled = new Promise((resolve) => addEventListener('scroll', resolve, { once: true }));
    scrollTo(0, y);
    await scrolled;
  }, y);
  expect(await page.evaluate(() => scrollY)).toBe(y);
}

describe('the tracker’s heatmap fields, in the log', () => {
  let setup: WindowSetup;
  beforeAll(async () => (setup = await setUpWindow({ head: () => LONG })));
  afterAll(() => setup.close());
  beforeEach(async () => {
    const cdp = await setup.context.newCDPSession(setup.context.pages()[0]!);
    await cdp.send('Storage.clearDataForOrigin', {
      origin: setup.site.origin,
      storageTypes: 'all',
    });
    await cdp.detach();
  });

  /** Hides tab `a` behind `b`, then shows it again. */
  async function hideAndShow(a: Page, b: Page): Promise<void> {
    await b.bringToFront();
    await expect.poll(() => a.evaluate(() => document.visibilityState)).toBe('hidden');
    await a.bringToFront();
    await expect.poll(() => a.evaluate(() => document.visibilityState)).toBe('visible');
  }

  it('records where in the element a click falls: (50, 25) inside the 200×50 #box is 0.25, 0.5', async () => {
    const { context, site } = setup;
    const page = await context.newPage();
    await page.goto(`${site.origin}/p/0`);
    await ready(page);
    const box = (await page.locator('#box').boundingBox())!;
    expect([box.width, box.height]).toEqual([200, 50]);
    // The mouse clicks at whole pixels; the box may start between two (the h1's margins).
    const at = (dx: number, dy: number) =>
      [Math.round(box.x + dx), Math.round(box.y + dy)] as const;
    const fractionOf = ([x, y]: readonly [number, number]) =>
      [(x - box.x) / box.width, (y - box.y) / box.height].map((f) => Math.round(f * 1000) / 1000);
    const points = [at(50, 25), at(150, 40)];
    for (const [x, y] of points) await page.mouse.click(x, y);
    await page.focus('#next');
    await page.keyboard.press('Enter'); // leaves the page: its click is handed on as it goes
    await page.waitForURL(`${site.origin}/p/1`);
    await ready(page);
    const clicks = await stored<ClickEvent>(page, 'clicks');
    expect(clicks.map((c) => [c.selector, c.keyboard, c.ex, c.ey])).toEqual([
      ['#box', false, ...fractionOf(points[0]!)],
      ['#box', false, ...fractionOf(points[1]!)],
      ['#next', true, null, null],
    ]);
    // Within a pixel of (50, 25) and (150, 40) in 200×50.
    expect(clicks[0]!.ex).toBeCloseTo(0.25, 2);
    expect(clicks[0]!.ey).toBeCloseTo(0.5, 1);
    expect(clicks[1]!.ex).toBeCloseTo(0.75, 2);
    expect(clicks[1]!.ey).toBeCloseTo(0.8, 1);
    await page.close();
  });

  it('records one scroll record per page view as it ends or is hidden, whenever it was seen further down', async () => {
    const { context, site } = setup;
    const a = await context.newPage();
    await a.goto(`${site.origin}/p/0`);
    await ready(a);
    const b = await context.newPage();
    await b.goto(`${site.origin}/p/5`);
    await ready(b);
    await a.bringToFront();
    const { vh, height } = await a.evaluate(() => ({
      vh: innerHeight,
      height: document.documentElement.scrollHeight,
    }));
    expect(height).toBeGreaterThan(5000);

    await scrollPage(a, 1200);
    await scrollPage(a, 100); // back up: the deepest stays
    await a.evaluate(() => history.pushState({}, '', '/p/0/more')); // ends the load's page view
    await scrollPage(a, 2000);
    await hideAndShow(a, b); // recorded: seen further down
    await hideAndShow(a, b); // not seen further: none
    await scrollPage(a, 2500);
    await a.click('#next'); // scrolls up to the link, then leaves: recorded, 2,500 px down
    await a.waitForURL(`${site.origin}/p/1`);
    await ready(a);

    const views = await stored<PageViewEvent>(a, 'pageviews');
    const scrolls = (await stored<ScrollEvent>(a, 'scrolls')).filter((s) =>
      s.page.startsWith(`${site.origin}/p/0`),
    );
    const load = views.find((v) => v.page === `${site.origin}/p/0`)!;
    const more = views.find((v) => v.page === `${site.origin}/p/0/more`)!;
    const depth = (bottom: number) => Math.min(1, Math.round((bottom / height) * 1000) / 1000);
    expect(scrolls.map((s) => [s.pageviewId, s.bottom, s.height, s.depth, s.vh])).toEqual([
      [load.pageviewId, vh, height, depth(vh), vh], // hidden as tab b opened, never scrolled
      [load.pageviewId, 1200 + vh, height, depth(1200 + vh), vh],
      [more.pageviewId, 2000 + vh, height, depth(2000 + vh), vh],
      [more.pageviewId, 2500 + vh, height, depth(2500 + vh), vh],
    ]);
    expect(scrolls.every((s) => s.type === 'scroll' && s.tabId === load.tabId)).toBe(true);
    // The core created the topic as it does the others.
    expect(
      await a.evaluate(
        async () => (await window.tabstream!.log.describeTopic('scrolls')).partitions.length,
      ),
    ).toBe(4);
    await Promise.all([a.close(), b.close()]);
  });
});
