// Page views and the page lifecycle, on real pages of the built script tag: single-page-app
// navigations, the back/forward cache, prerendering, hidden tabs, pagehide, reloads offline and
// the lazy core. Every test reads back what reached the log (IndexedDB), not what a page holds.
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClickEvent, PageViewEvent, ScrollEvent } from '../../src/tracker/events';
import { VERSION } from '../../src/shared/version';
import {
  counts,
  crash,
  flush,
  readTopic,
  readTopicInPage,
  ready,
  setUp,
  setUpWindow,
  TabTargets,
  type CdpPage,
  type Setup,
  type StoredRecord,
  type WindowSetup,
} from './browser';
import { serveScript, serveSite, type Served } from './site';

declare global {
  interface Document {
    /** True while the document is prerendered (not in TypeScript's DOM types yet). */
    readonly prerendering?: boolean;
  }
  interface PerformanceNavigationTiming {
    /** When a prerendered document was shown (0 if it was not prerendered). */
    readonly activationStart?: number;
  }
  interface Window {
    /** `persisted` of each `pageshow` of the document (recorded by an init script). */
    shows?: boolean[];
    /** Set on a document before it is left: still there if it comes back from the bfcache. */
    left?: boolean;
    /** What happened to the document, in order (recorded by the tests). */
    lifecycle?: string[];
    /** When each idle callback ran (`performance.now()`), recorded by an init script. */
    idleCallbacks?: number[];
  }
}

const values = <T>(records: readonly StoredRecord<T>[]): T[] => records.map((r) => r.value);

async function pageViews(page: Page): Promise<PageViewEvent[]> {
  return values(await readTopic<PageViewEvent>(page, 'pageviews'));
}

async function clicks(page: Page): Promise<ClickEvent[]> {
  return values(await readTopic<ClickEvent>(page, 'clicks'));
}

/** Clicks `#box` (no link) of `page` with the mouse, `n` times, at once. */
async function clickBox(page: Page, n = 1): Promise<void> {
  const box = (await page.locator('#box').boundingBox())!;
  for (let i = 0; i < n; i++) await page.mouse.click(box.x + 20 + i, box.y + 20);
}

describe('page views of single-page-app navigations', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp()));
  afterAll(() => setup.close());

  it('records a load, each push, a replace to a new path and a back (pop), once each; no other', async () => {
    const { browser, site } = setup;
    const at = (path: string) => `${site.origin}${path}`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(at('/p/0'));
    await ready(page);
    await clickBox(page);
    // A router: the URL first, then the title (the tracker reads it a moment later).
    await page.evaluate(() => {
      history.pushState({}, '', '/app/a?token=s3cr3t#top');
      document.title = 'A';
    });
    await clickBox(page);
    await page.evaluate(() => {
      history.pushState({}, '', '/app/b');
      document.title = 'B';
    });
    await clickBox(page);
    await page.evaluate(() => history.replaceState({}, '', '/app/b?tab=2')); // same path: none
    await page.evaluate(() => (location.hash = '#section')); // a fragment, not kept: none
    await page.waitForURL(at('/app/b?tab=2#section'));
    await page.evaluate(() => history.replaceState({}, '', '/app/c'));
    await clickBox(page);
    await page.evaluate(() => history.back());
    await page.waitForURL(at('/app/b?tab=2'));
    await clickBox(page);

    const views = await pageViews(page);
    expect(views.map((v) => [v.kind, v.page, v.referrer])).toEqual([
      ['load', at('/p/0'), null],
      ['push', at('/app/a'), at('/p/0')],
      ['push', at('/app/b'), at('/app/a')],
      ['replace', at('/app/c'), at('/app/b')],
      ['pop', at('/app/b'), at('/app/c')],
    ]);
    expect(views.map((v) => v.title)).toEqual(['Page 0', 'A', 'B', 'B', 'B']);
    expect(new Set(views.map((v) => v.pageviewId)).size).toBe(5);
    expect(new Set(views.map((v) => `${v.tabId} ${v.sessionId}`)).size).toBe(1);
    // Each click belongs to the page view it was made in.
    expect((await clicks(page)).map((c) => [c.pageviewId, c.page])).toEqual(
      views.map((v) => [v.pageviewId, v.page]),
    );
    await context.close();
  });

  it('hands every click of a burst on when the page is left, before its second has passed', async () => {
    const { browser, site } = setup;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/p/0`);
    await ready(page);
    await clickBox(page, 10);
    await page.click('#next');
    await page.waitForURL(`${site.origin}/p/1`);
    await ready(page);
    const stored = (await clicks(page)).filter((c) => c.page === `${site.origin}/p/0`);
    expect(stored.map((c) => c.selector)).toEqual([...Array<string>(10).fill('#box'), '#next']);
    expect(new Set(stored.map((c) => `${c.ts} ${c.x}`)).size).toBe(11);
    expect(await counts(page)).toEqual({ [`${site.origin}/p/0`]: 11 });
    const views = await pageViews(page);
    expect(views.map((v) => [v.kind, v.page, v.referrer])).toEqual([
      ['load', `${site.origin}/p/0`, null],
      ['load', `${site.origin}/p/1`, `${site.origin}/p/0`],
    ]);
    await context.close();
  });

  it('keeps the query of the page it came from out of a load page view (its referrer)', async () => {
    const { browser, site } = setup;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/p/0?token=s3cr3t#inbox`);
    await ready(page);
    await page.click('#next');
    await page.waitForURL(`${site.origin}/p/1`);
    await ready(page);
    const views = await pageViews(page);
    expect(views.map((v) => [v.kind, v.page, v.referrer])).toEqual([
      ['load', `${site.origin}/p/0`, null],
      ['load', `${site.origin}/p/1`, `${site.origin}/p/0`],
    ]);
    await context.close();
  });
});

describe('page views with the hash and the query kept (data-keep-hash, data-keep-query)', () => {
  let setup: Setup;
  beforeAll(
    async () =>
      (setup = await setUp({
        scriptAttributes: { 'data-keep-hash': 'true', 'data-keep-query': 'all' },
      })),
  );
  afterAll(() => setup.close());

  it('records a replaceState only when the path changes, even if the URL kept changes', async () => {
    const { browser, site } = setup;
    const at = (path: string) => `${site.origin}${path}`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(at('/p/0?tab=1'));
    await ready(page);
    await page.evaluate(() => history.replaceState({}, '', '/p/0?tab=2')); // same path: none
    await page.evaluate(() => history.pushState({}, '', '/p/0?tab=3'));
    await page.evaluate(() => history.replaceState({}, '', '/p/1?tab=3'));
    const views = await pageViews(page);
    expect(views.map((v) => [v.kind, v.page, v.referrer])).toEqual([
      ['load', at('/p/0?tab=1'), null],
      ['push', at('/p/0?tab=3'), at('/p/0?tab=1')],
      ['replace', at('/p/1?tab=3'), at('/p/0?tab=3')],
    ]);
    await context.close();
  });

  it('records one hash page view per fragment navigation, though Chrome fires popstate and hashchange', async () => {
    const { browser, site } = setup;
    const at = (hash: string) => `${site.origin}/p/0${hash}`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(at(''));
    await ready(page);
    await page.evaluate(() => {
      window.lifecycle = [];
      for (const type of ['popstate', 'hashchange'])
        addEventListener(type, () => window.lifecycle!.push(`${type} ${location.hash}`));
    });
    await clickBox(page);
    for (const hash of ['#/a', '#/b']) {
      await page.evaluate((hash) => (location.hash = hash), hash);
      await page.waitForFunction((n) => window.lifecycle!.length === n, hash === '#/a' ? 2 : 4);
      await clickBox(page);
    }
    await page.evaluate(() => history.back());
    await page.waitForFunction(() => window.lifecycle!.length === 6);
    await clickBox(page);
    // Each of the three navigations fired both events: a naive tracker counts each twice.
    expect(await page.evaluate(() => window.lifecycle)).toEqual([
      'popstate #/a',
      'hashchange #/a',
      'popstate #/b',
      'hashchange #/b',
      'popstate #/a',
      'hashchange #/a',
    ]);
    const views = await pageViews(page);
    expect(views.map((v) => [v.kind, v.page, v.referrer])).toEqual([
      ['load', at(''), null],
      ['hash', at('#/a'), at('')],
      ['hash', at('#/b'), at('#/a')],
      ['hash', at('#/a'), at('#/b')],
    ]);
    expect((await clicks(page)).map((c) => [c.pageviewId, c.page])).toEqual(
      views.map((v) => [v.pageviewId, v.page]),
    );
    await context.close();
  });
});

/** Records `persisted` of every `pageshow`, from the start of every document of `context`. */
async function recordPageShows(context: BrowserContext): Promise<void> {
  await context.addInitScript(() =>
    addEventListener('pageshow', (event) => (window.shows ??= []).push(event.persisted)),
  );
}

/**
 * Leaves `page` (`leave`), goes back, and resolves with the `persisted` of the pageshow events
 * of the document shown: `[false, true]` if it was restored from the bfcache, `[false]` if loaded
 * again.
 */
async function leaveAndComeBack(page: Page, leave: () => Promise<unknown>): Promise<boolean[]> {
  await page.evaluate(() => (window.left = true));
  await leave();
  await page.goBack({ waitUntil: 'commit' }); // a restored page fires no load event
  await page.waitForFunction(() => window.shows?.length === (window.left ? 2 : 1));
  return page.evaluate(() => window.shows!);
}

/** Why Chromium did not restore a page from the back/forward cache, as its DevTools say. */
async function notRestoredReasons(context: BrowserContext, page: Page): Promise<string[]> {
  const reasons: string[] = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  cdp.on('Page.backForwardCacheNotUsed', (event) => {
    for (const { type, reason, context } of event.notRestoredExplanations)
      reasons.push(`${reason} (${type}${context ? `: ${context}` : ''})`);
  });
  return reasons;
}

describe('the back/forward cache', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp({ bfcache: true })));
  afterAll(() => setup.close());

  it('makes a page restored after another site a bfcache page view, and counts its clicks', async () => {
    const { browser, site } = setup;
    const p0 = `${site.origin}/p/0`;
    const context = await browser.newContext();
    await recordPageShows(context);
    const page = await context.newPage();
    const reasons = await notRestoredReasons(context, page);
    await page.goto(p0);
    await ready(page);
    await clickBox(page);
    const shows = await leaveAndComeBack(page, () => page.goto('about:blank'));
    expect(shows, reasons.join(', ')).toEqual([false, true]);
    await clickBox(page, 2);
    const views = await pageViews(page);
    expect(views.map((v) => [v.kind, v.page])).toEqual([
      ['load', p0],
      ['bfcache', p0],
    ]);
    expect(views[1]!.pageviewId).not.toBe(views[0]!.pageviewId);
    expect((await clicks(page)).map((c) => c.pageviewId)).toEqual([
      views[0]!.pageviewId,
      views[1]!.pageviewId,
      views[1]!.pageviewId,
    ]);
    expect(await counts(page)).toEqual({ [p0]: 3 });
    await context.close();
  });

  // Chromium refuses a page whose channels could be messaged or whose Web Locks other tabs
  // want while it is cached: tabstream lets go of them on pagehide. A transaction of IndexedDB
  // still running when the page is frozen (a batch, a read) makes it refuse now and then
  // (IgnoreEventAndEvict), and so does a page busy when it should freeze (JavaScriptExecution):
  // so it is left right after a batch (the quiet moment of a leader, whose batches run every
  // second), up to 10 tries on a loaded machine, and never a refusal for channels or locks.
  it('lets a page left for another page of the site be restored, as a bfcache page view', async () => {
    const { browser, site } = setup;
    const p0 = `${site.origin}/p/0`;
    const p1 = `${site.origin}/p/1`;
    const context = await browser.newContext();
    await recordPageShows(context);
    const page = await context.newPage();
    const reasons = await notRestoredReasons(context, page);
    await page.goto(p0);
    await ready(page);
    await clickBox(page);
    const refusals: string[] = [];
    let tries = 0;
    let restored = false;
    while (!restored && tries < 10) {
      tries++;
      // Left as a reader leaves a page: once it is quiet (a batch just counted what it had).
      await flush(page);
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const unsubscribe = window.tabstream!.onBatch(() => {
              unsubscribe();
              resolve();
            });
          }),
      );
      const shows = await leaveAndComeBack(page, async () => {
        await page.click('#next');
        await page.waitForURL(p1);
        await ready(page);
        await clickBox(page);
      });
      restored = shows.length === 2 && shows[1] === true;
      if (!restored) {
        // Chromium says why it did not restore the page; the new document's notRestoredReasons too.
        const why = await page.evaluate(() =>
          JSON.stringify(
            (
              performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming & {
                notRestoredReasons?: unknown;
              }
            ).notRestoredReasons ?? null,
          ),
        );
        refusals.push(`${reasons.splice(0).join(', ')} ${why}`);
        await ready(page);
      }
    }
    expect(refusals.join(' | ')).not.toMatch(/BroadcastChannel|WebLocks/);
    expect(restored, refusals.join(' | ')).toBe(true);
    await clickBox(page);
    const views = await pageViews(page);
    expect(views[0]!.kind).toBe('load');
    expect(views.at(-1)).toMatchObject({ kind: 'bfcache', page: p0 });
    expect(views.filter((v) => v.page === p1).map((v) => v.kind)).toEqual(
      Array(tries).fill('load'),
    );
    // p0: a box click, each try's click on #next, and a box click once restored; p1: a box click a try.
    expect(await counts(page)).toEqual({ [p0]: 2 + tries, [p1]: tries });
    await context.close();
  });
});

describe('a prerendered page (speculation rules)', () => {
  let script: Served;
  let site: Served;
  let chromium: TabTargets;
  beforeAll(async () => {
    script = await serveScript();
    const rules = JSON.stringify({ prerender: [{ source: 'list', urls: ['/p/1'] }] });
    site = await serveSite(script.origin, {
      head: (n) => (n === 0 ? `<script type="speculationrules">${rules}</script>` : ''),
    });
    chromium = await TabTargets.launch();
  });
  afterAll(async () => {
    await chromium?.close();
    await Promise.all([script?.close(), site?.close()]);
  });

  /** Clicks the middle of the element `selector` of `page` with the mouse. */
  async function click(page: CdpPage, selector: string): Promise<void> {
    const { x, y } = await page.evaluate((selector) => {
      const rect = document.querySelector(selector)!.getBoundingClientRect();
      return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    }, selector);
    for (const type of ['mousePressed', 'mouseReleased'])
      await chromium.send(
        'Input.dispatchMouseEvent',
        { type, x, y, button: 'left', clickCount: 1 },
        page.sessionId,
      );
  }

  async function stored<T>(page: CdpPage, topic: string): Promise<T[]> {
    await page.evaluate(() => window.tabstream!.flush());
    return values((await page.evaluate(readTopicInPage, topic)) as StoredRecord<T>[]);
  }

  it('records no page view while prerendered, and one load page view once shown', async () => {
    const [p0, p1] = [`${site.origin}/p/0`, `${site.origin}/p/1`];
    const first = await chromium.newTab(p0);
    await first.waitFor(() => window.tabstream !== undefined);
    await first.evaluate(() => window.tabstream!.ready);
    const prerendered = await chromium.prerendered(p1);
    expect(
      await prerendered.evaluate(() => [document.prerendering, window.tabstream?.capturing]),
    ).toEqual([true, true]);
    expect((await stored<PageViewEvent>(first, 'pageviews')).map((v) => v.page)).toEqual([p0]);

    await click(first, '#next'); // activates the prerendered page
    await prerendered.waitFor(() => !document.prerendering);
    const activationStart = await prerendered.evaluate(
      () =>
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
          .activationStart,
    );
    expect(activationStart).toBeGreaterThan(0); // it was prerendered, then shown
    await prerendered.evaluate(() => window.tabstream!.ready);
    await click(prerendered, '#box');
    const views = await stored<PageViewEvent>(prerendered, 'pageviews');
    expect(views.map((v) => [v.kind, v.page, v.referrer])).toEqual([
      ['load', p0, null],
      ['load', p1, p0],
    ]);
    const clicked = await stored<ClickEvent>(prerendered, 'clicks');
    expect(clicked.map((c) => [c.page, c.selector])).toEqual([
      [p0, '#next'],
      [p1, '#box'],
    ]);
    // Its page view began when it was shown, after the click that showed it, not before.
    expect(views[1]!.ts).toBeGreaterThanOrEqual(clicked[0]!.ts);
    expect(clicked[1]!.pageviewId).toBe(views[1]!.pageviewId);
    // Scroll records of begun page views only: p0's, as it was left; none while prerendered.
    const scrolled = await stored<ScrollEvent>(prerendered, 'scrolls');
    expect(scrolled.map((s) => [s.pageviewId, s.page])).toEqual([[views[0]!.pageviewId, p0]]);
  });
});

describe('a hidden tab', () => {
  let setup: WindowSetup;
  beforeAll(async () => (setup = await setUpWindow()));
  afterAll(() => setup.close());
  // The tests share the default context: each starts with the site's storage empty.
  beforeEach(async () => {
    const cdp = await setup.context.newCDPSession(setup.context.pages()[0]!);
    await cdp.send('Storage.clearDataForOrigin', {
      origin: setup.site.origin,
      storageTypes: 'all',
    });
    await cdp.detach();
  });

  /** Opens `p0` in a tab `a` and another page of the site in a tab `b`; `a` in front. */
  async function twoTabs(): Promise<{ a: Page; b: Page; p0: string }> {
    const { context, site } = setup;
    const p0 = `${site.origin}/p/0`;
    const a = await context.newPage();
    await a.goto(p0);
    await ready(a);
    const b = await context.newPage(); // a tab in front of a: a is hidden
    await b.goto(`${site.origin}/p/5`);
    await ready(b);
    await a.bringToFront();
    await a.evaluate(() => {
      window.lifecycle = [];
      document.addEventListener('visibilitychange', () =>
        window.lifecycle!.push(document.visibilityState),
      );
    });
    return { a, b, p0 };
  }

  it('keeps the clicks a tab holds when it is hidden, though it is then discarded', async () => {
    const { a, b, p0 } = await twoTabs();
    await clickBox(a, 3); // held for their second
    await b.bringToFront();
    await expect.poll(() => a.evaluate(() => document.visibilityState)).toBe('hidden');
    // As a phone may do to a hidden tab: its renderer goes, with no pagehide and no timer left.
    await crash(setup.context, a);
    const stored = (await clicks(b)).filter((c) => c.page === p0);
    expect(stored.map((c) => c.selector)).toEqual(['#box', '#box', '#box']);
    expect(await counts(b)).toEqual({ [p0]: 3 });
    await Promise.all([a.close(), b.close()]);
  });

  it('appends the clicks it held when hidden once, when it lives on and is shown again', async () => {
    const { a, b, p0 } = await twoTabs();
    await clickBox(a, 3);
    await b.bringToFront();
    await expect.poll(() => a.evaluate(() => document.visibilityState)).toBe('hidden');
    const stored = (await clicks(b)).filter((c) => c.page === p0);
    expect(stored.map((c) => c.selector)).toEqual(['#box', '#box', '#box']);
    expect(await counts(b)).toEqual({ [p0]: 3 });

    await a.bringToFront();
    await expect.poll(() => a.evaluate(() => document.visibilityState)).toBe('visible');
    expect(await a.evaluate(() => window.lifecycle)).toEqual(['hidden', 'visible']);
    // Spilled to localStorage and appended too when hidden: recovered, yet in the log once.
    await flush(a);
    expect(await counts(a)).toEqual({ [p0]: 3 });
    expect((await clicks(a)).filter((c) => c.page === p0)).toHaveLength(3);
    await Promise.all([a.close(), b.close()]);
  });

  it('lets a tab opened while the leader tab is hidden take the lead from it', async () => {
    const { context, site } = setup;
    const a = await context.newPage();
    await a.goto(`${site.origin}/p/0`);
    await ready(a);
    await expect
      .poll(() => a.evaluate(() => window.tabstream!.isLeader), { timeout: 10000 })
      .toBe(true);
    const b = await context.newPage(); // a is hidden before b opens the site
    await expect.poll(() => a.evaluate(() => document.visibilityState)).toBe('hidden');
    await b.goto(`${site.origin}/p/5`);
    await ready(b);
    // A hidden leader may be throttled, or frozen: the visible tab leads (README, leader.ts).
    await expect
      .poll(() => b.evaluate(() => window.tabstream!.isLeader), { timeout: 10000 })
      .toBe(true);
    expect(await a.evaluate(() => window.tabstream!.isLeader)).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('a reload while the browser is offline', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp({ serviceWorker: true })));
  afterAll(() => setup.close());

  it('counts every click once, with no request but those the service worker answers', async () => {
    const { browser, site, script } = setup;
    const p0 = `${site.origin}/p/0`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(p0);
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await ready(page);
    await clickBox(page, 3);

    const offline: Request[] = [];
    const failed: string[] = [];
    context.on('request', (request) => offline.push(request));
    context.on('requestfailed', (request) => failed.push(request.url()));
    const reached = [site.requests.length, script.requests.length];
    await context.setOffline(true);
    await page.reload();
    await ready(page);
    await clickBox(page, 4);
    await flush(page);
    expect(await counts(page)).toEqual({ [p0]: 7 });
    expect((await clicks(page)).filter((c) => c.page === p0)).toHaveLength(7);

    // Nothing reached the servers; every request the page made, the service worker answered.
    expect([site.requests.length, script.requests.length]).toEqual(reached);
    expect(failed).toEqual([]);
    const fromPage = offline.filter((r) => !r.serviceWorker() && !r.url().startsWith('blob:'));
    const answered = await Promise.all(
      fromPage.map(async (r) => [r.url(), (await r.response())?.fromServiceWorker() ?? false]),
    );
    expect(answered).toEqual([
      [p0, true],
      [`${script.origin}/tabstream.js`, true],
      [`${script.origin}/tabstream-core.js?v=${VERSION}`, true],
    ]);
    expect(offline.filter((r) => r.serviceWorker()).map((r) => r.url())).toEqual([]);
    await context.setOffline(false);
    await context.close();
  });
});

describe('the core, loaded lazily', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp()));
  afterAll(() => setup.close());

  it('is requested in idle time, once per page, and clicks made before it loads count', async () => {
    const { browser, site, script } = setup;
    const [p0, p1] = [`${site.origin}/p/0`, `${site.origin}/p/1`];
    const [tracker, core] = [
      `${script.origin}/tabstream.js`,
      `${script.origin}/tabstream-core.js?v=${VERSION}`,
    ];
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const requestIdle = window.requestIdleCallback.bind(window);
      window.idleCallbacks = [];
      window.requestIdleCallback = (callback, options) =>
        requestIdle((deadline) => {
          window.idleCallbacks!.push(performance.now());
          callback(deadline);
        }, options);
    });
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    // The core's response waits until the test lets it through.
    let letThrough!: () => void;
    const gate = new Promise<void>((resolve) => (letThrough = resolve));
    await context.route(
      (url) => url.href === core,
      async (route) => {
        await gate;
        await route.continue();
      },
    );
    const page = await context.newPage();
    await page.goto(p0, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.tabstream !== undefined);
    await clickBox(page, 3);
    await page.waitForFunction(() => window.idleCallbacks!.length > 0);
    expect(await page.evaluate(() => 'tabstreamCore' in window)).toBe(false);
    letThrough();
    await ready(page);
    // The core was requested by the idle callback, not before.
    const [requestedAt, idleAt] = await page.evaluate((core) => {
      const entry = performance.getEntriesByName(core)[0]!;
      return [entry.startTime, window.idleCallbacks![0]!];
    }, core);
    expect(requestedAt).toBeGreaterThanOrEqual(idleAt);
    await page.click('#next');
    await page.waitForURL(p1);
    await ready(page);
    await flush(page);
    expect(await counts(page)).toEqual({ [p0]: 4 });
    const scripts = requests.filter((url) => url === tracker || url === core);
    expect(scripts).toEqual([tracker, core, tracker, core]);
    await context.close();
  });
});
