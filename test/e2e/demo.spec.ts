// The demo site, as `npm start` serves it (scripts/serve-demo.mjs): its pages, its service worker,
// the shop's single-page app, downloads, outbound links and the dashboard, online and offline.
// What the tests check is what reached the log (IndexedDB) and what the network saw.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import type { Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickEvent, CustomEvent, PageViewEvent } from '../../src/tracker/events';
import { VERSION } from '../../src/shared/version';
import { serveDemo } from '../../scripts/serve-demo.mjs';
import { counts, flush, readTopic, ready } from './browser';
import { monitorJobIds, monitorTopic } from './devtools';
import {
  controlled,
  demoFiles,
  follow,
  openDemo,
  shownRows,
  startDemo,
  watch,
  type Demo,
  type Watched,
} from './demo-site';

/**
 * `page` for the helpers that read the DevTools panel's elements (a puppeteer Frame): they only
 * evaluate functions in it, which a Playwright page does alike.
 */
const asFrame = (page: Page) => page as unknown as Frame;

/** Every page of the site, as its navigation links them. */
const NAV = ['/', '/beans.html', '/brewing.html', '/shop/', '/about.html', '/dashboard.html'];

/** Adds `n` clicks on `page` to `expected`. */
const add = (expected: Record<string, number>, page: string, n = 1) =>
  void (expected[page] = (expected[page] ?? 0) + n);

/** Clicks on links to other origins do nothing in `page` (the tests never leave for the web). */
const stayOnSite = (page: Page) =>
  page.evaluate(() =>
    document.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a') : null;
      if (link && link.origin !== location.origin) event.preventDefault();
    }),
  );

/**
 * The requests of `watched` from index `from` on (but those the page gave up itself, and blob:
 * URLs): every one to the demo's origin, answered by its service worker, and none made by the
 * service worker itself (nothing from the network).
 */
async function fromServiceWorker(demo: Demo, watched: Watched, from: number) {
  const requests = watched.requests
    .slice(from)
    .filter((request) => !request.url().startsWith('blob:') && !watched.aborted.includes(request));
  const made = await Promise.all(
    requests.map(async (request) => ({
      url: request.url(),
      worker: request.serviceWorker() !== null,
      answered: (await request.response())?.fromServiceWorker() ?? false,
    })),
  );
  expect(made.filter((r) => !r.url.startsWith(`${demo.origin}/`))).toEqual([]);
  expect(made.filter((r) => r.worker)).toEqual([]);
  expect(made.filter((r) => !r.answered)).toEqual([]);
  return made.map((r) => r.url);
}

/** The requests the server received from the `from`th on, but the browser's update checks of /sw.js. */
const sinceOffline = (received: readonly string[], from: number): string[] =>
  received.slice(from).filter((url) => url.split('?')[0] !== '/sw.js');

describe('the demo site', () => {
  let demo: Demo;
  beforeAll(async () => (demo = await startDemo()));
  afterAll(() => demo?.close());

  let context: BrowserContext;
  let watched: Watched;
  const newContext = async () => {
    context = await demo.browser.newContext();
    watched = watch(context);
  };
  afterAll(() => context?.close());

  it('links every page from every page, and loads them with no error and nothing from elsewhere', async () => {
    await newContext();
    const page = await openDemo(context, `${demo.origin}/`);
    for (const path of [...NAV, '/shop/basket', '/shop/checkout', '/shop/orders']) {
      await page.goto(`${demo.origin}${path}`);
      await ready(page);
      const links = await page.$$eval('nav.site-nav a', (as) =>
        as.map((a) => new URL((a as HTMLAnchorElement).href).pathname),
      );
      expect(links, path).toEqual(NAV);
      expect(await page.title(), path).toMatch(/ · Tabstream Roasters$|^Tabstream Roasters · /);
    }
    await flush(page);
    expect(watched.errors).toEqual([]);
    expect(watched.failed).toEqual([]);
    const elsewhere = watched.requests
      .map((r) => r.url())
      .filter((url) => !url.startsWith(`${demo.origin}/`) && !url.startsWith('blob:'));
    expect(elsewhere).toEqual([]);
    await context.close();
  });

  it('has a service worker stamped with the build, which caches every file and deletes old caches', async () => {
    const response = await fetch(`${demo.origin}/sw.js`);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    const build = /^const BUILD = '([0-9a-f]{12})';$/m.exec(await response.text())?.[1];
    expect(build).toBeDefined();

    await newContext();
    const page = await context.newPage();
    // A cache of an older build, and one of another app, before the worker is installed.
    await page.goto(`${demo.origin}/favicon.svg`);
    await page.evaluate(async () => {
      await (await caches.open('tabstream-demo-0123456789ab')).put('/old', new Response('old'));
      await (await caches.open('another-app')).put('/kept', new Response('kept'));
    });
    watched.errors.length = 0; // the SVG's page asks for /favicon.ico, which the site has not
    await page.goto(`${demo.origin}/`);
    await controlled(page);
    const cached = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      const names = (await caches.keys()).sort();
      const files: Record<string, string[]> = {};
      for (const name of names)
        files[name] = (await (await caches.open(name)).keys())
          .map((request) => new URL(request.url).pathname)
          .sort();
      return { scope: registration?.scope, names, files };
    });
    expect(cached.scope).toBe(`${demo.origin}/`);
    expect(cached.names).toEqual(['another-app', `tabstream-demo-${build}`]);
    const expected = [...demoFiles(), '/', '/shop/', '/tabstream.js', '/tabstream-core.js'];
    expect(cached.files[`tabstream-demo-${build}`]).toEqual([...new Set(expected)].sort());
    // The SVG's page asks for /favicon.ico (which the site has not) when it likes: on a busy
    // machine, after the errors were cleared. Its errors are no page's of the site.
    const svgPage = `${demo.origin}/favicon.svg: `;
    expect(watched.errors.filter((error) => !error.startsWith(svgPage))).toEqual([]);
    await context.close();
  });

  it("keeps a page on its build's core while a rebuild's worker waits, which takes over once the page is gone", async () => {
    // A server of its own, to rebuild: once `rebuilt`, it serves build B, whose worker has
    // another hash and whose core another text.
    const { origin, server } = await serveDemo({ port: 0 });
    const serveA = server.listeners('request')[0] as RequestListener;
    const swA = await (await fetch(`${origin}/sw.js`)).text();
    const coreA = await (await fetch(`${origin}/tabstream-core.js`)).text();
    const buildA = /^const BUILD = '([0-9a-f]{12})';$/m.exec(swA)?.[1];
    const buildB = buildA === 'bbbbbbbbbbbb' ? 'cccccccccccc' : 'bbbbbbbbbbbb';
    const builtB = {
      '/sw.js': swA.replace(`const BUILD = '${buildA}';`, `const BUILD = '${buildB}';`),
      '/tabstream-core.js': `${coreA}\n// build B\n`,
    };
    expect(builtB['/sw.js']).not.toBe(swA);
    let rebuilt = false;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', origin).pathname;
      if (rebuilt && (path === '/sw.js' || path === '/tabstream-core.js'))
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(builtB[path]);
      else serveA.call(server, req, res);
    });
    const context = await demo.browser.newContext();
    try {
      const watched = watch(context);
      /** Which build's core `page` gets when it asks again for the URL its tracker asked for. */
      const coreOf = async (page: Page) => {
        const { url, text } = await page.evaluate(async () => {
          const url = performance
            .getEntriesByType('resource')
            .map((entry) => entry.name)
            .find((name) => new URL(name).pathname === '/tabstream-core.js');
          return { url, text: url ? await (await fetch(url)).text() : null };
        });
        expect(url).toBe(`${origin}/tabstream-core.js?v=${VERSION}`);
        return text === coreA ? 'A' : text === builtB['/tabstream-core.js'] ? 'B' : text;
      };
      const cacheNames = (page: Page) => page.evaluate(async () => (await caches.keys()).sort());

      const pageA = await openDemo(context, `${origin}/beans.html`);
      expect(await coreOf(pageA)).toBe('A');
      // Rebuilt: the page of build A finds the worker of build B, which installs.
      rebuilt = true;
      const installed = await pageA.evaluate(async () => {
        const registration = (await navigator.serviceWorker.getRegistration())!;
        const found = new Promise<ServiceWorker>((resolve) =>
          registration.addEventListener('updatefound', () => resolve(registration.installing!), {
            once: true,
          }),
        );
        await registration.update();
        const worker = await found;
        await new Promise<void>((resolve) => {
          const settled = () => worker.state !== 'installing' && resolve();
          worker.addEventListener('statechange', settled);
          settled();
        });
        // A worker that skips waiting activates once its install job completes: Chromium runs
        // the registration's next job (an update that finds the same script) after that.
        await registration.update();
        return worker.state;
      });
      expect(installed).not.toBe('redundant');
      // The page of build A still gets the core of build A, from the cache of build A.
      expect(await coreOf(pageA)).toBe('A');
      expect(
        await pageA.evaluate(async () => {
          const registration = (await navigator.serviceWorker.getRegistration())!;
          return {
            waiting: registration.waiting?.state,
            controlled: navigator.serviceWorker.controller === registration.active,
          };
        }),
      ).toEqual({ waiting: 'installed', controlled: true });
      expect(await cacheNames(pageA)).toEqual(
        [`tabstream-demo-${buildA}`, `tabstream-demo-${buildB}`].sort(),
      );

      // Once the page is gone, the worker of build B takes over and deletes the old cache.
      await pageA.close();
      const pageB = await openDemo(context, `${origin}/beans.html`);
      await expect.poll(() => coreOf(pageB)).toBe('B');
      await expect.poll(() => cacheNames(pageB)).toEqual([`tabstream-demo-${buildB}`]);
      expect(watched.errors).toEqual([]);
    } finally {
      await context.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('works offline: pages and the shop from the service worker, each click counted once', async () => {
    await newContext();
    const page = await openDemo(context, `${demo.origin}/`);
    const at = (path: string) => `${demo.origin}${path}`;
    // Online: two clicks, counted before going offline.
    await page.click('.hero h1');
    await page.click('.note h2');
    await flush(page);
    const before = await counts(page);
    expect(before).toEqual({ [at('/')]: 2 });

    const since = watched.requests.length;
    const received = demo.received.length;
    const offlineFrom = Date.now();
    await context.setOffline(true);
    const expected: Record<string, number> = { ...before };

    await page.reload();
    await ready(page);
    await page.click('.hero h1');
    add(expected, at('/'));
    await follow(page, 'nav.site-nav a[href="/beans.html"]', '/beans.html');
    add(expected, at('/'));
    await ready(page);
    for (const bean of ['huila', 'huila', 'cerrado']) await page.click(`#${bean} button`);
    add(expected, at('/beans.html'), 3);
    expect(await page.textContent('.basket-size')).toBe('3');
    // The header's basket link: the shop, loaded on one of its views.
    await follow(page, '.basket-link', '/shop/basket');
    add(expected, at('/beans.html'));
    await ready(page);
    expect(await page.textContent('#view h1')).toBe('Your basket');
    // In the shop: pushState navigations, and popstate.
    await follow(page, '.tabs a[href="/shop/"]', '/shop/');
    add(expected, at('/shop/basket'));
    await page.click('[data-add-to-basket="kirinyaga"]');
    add(expected, at('/shop/'));
    await follow(page, '.tabs a[href="/shop/checkout"]', '/shop/checkout');
    add(expected, at('/shop/'));
    await page.fill('input[name="name"]', 'Ada Lovelace');
    await page.fill('input[name="email"]', 'ada@example.com');
    await page.fill('input[name="address"]', '12 Canal Street, Bristol');
    await page.fill('input[name="card"]', '4242 4242 4242 4242');
    await page.click('#place-order');
    add(expected, at('/shop/checkout'));
    await page.waitForURL(/\/shop\/orders\/TR-\w+$/);
    const order = new URL(page.url()).pathname;
    expect(await page.textContent('#view h1')).toBe(`Order ${order.split('/').pop()}`);
    await page.goBack();
    await page.waitForURL(at('/shop/checkout'));
    expect(await page.textContent('#view h1')).toBe('Your basket'); // emptied by the order
    await follow(page, '.tabs a[href="/shop/orders"]', '/shop/orders');
    add(expected, at('/shop/checkout'));
    // A view of the shop loaded by itself: the service worker answers with the shop's page.
    await page.reload();
    await ready(page);
    expect(await page.textContent('#view h1')).toBe('Your orders');
    await page.click(`a[href="${order}"]`);
    add(expected, at('/shop/orders'));
    await page.waitForURL(at(order));
    await follow(page, 'nav.site-nav a[href="/dashboard.html"]', '/dashboard.html');
    add(expected, at(order));
    await ready(page);
    await flush(page);
    expect(await counts(page)).toEqual(expected);
    // The dashboard shows them: every page's clicks, the most clicked first.
    const allTime = 'tabstream-counts[by="page"][window="all"]';
    await expect
      .poll(async () => Object.fromEntries(await shownRows(page, allTime)), { timeout: 10000 })
      .toEqual(expected);
    const shown = (await shownRows(page, allTime)).map(([, clicks]) => clicks);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));

    // What reached the log: every click once, the page views of loads and of the shop's router.
    const clicks = (await readTopic<ClickEvent>(page, 'clicks')).map((r) => r.value);
    expect(clicks.filter((c) => c.ts >= offlineFrom)).toHaveLength(13);
    const views = (await readTopic<PageViewEvent>(page, 'pageviews'))
      .map((r) => r.value)
      .filter((v) => v.ts >= offlineFrom)
      .map((v) => [v.kind, new URL(v.page).pathname, v.title]);
    // A load's title is read after the page's own deferred scripts (the shop's router) ran.
    expect(views).toEqual([
      ['load', '/', 'Tabstream Roasters · Small-batch coffee'],
      ['load', '/beans.html', 'Beans · Tabstream Roasters'],
      ['load', '/shop/basket', 'Your basket · Tabstream Roasters'],
      ['push', '/shop/', 'Shop · Tabstream Roasters'],
      ['push', '/shop/checkout', 'Checkout · Tabstream Roasters'],
      ['push', order, `Order ${order.split('/').pop()} · Tabstream Roasters`],
      ['pop', '/shop/checkout', 'Your basket · Tabstream Roasters'],
      ['push', '/shop/orders', 'Your orders · Tabstream Roasters'],
      ['load', '/shop/orders', 'Your orders · Tabstream Roasters'],
      ['push', order, `Order ${order.split('/').pop()} · Tabstream Roasters`],
      ['load', '/dashboard.html', 'Dashboard · Tabstream Roasters'],
    ]);
    const events = (await readTopic<CustomEvent>(page, 'events'))
      .map((r) => r.value)
      .filter((e) => e.ts >= offlineFrom)
      .map((e) => [e.name, e.props]);
    expect(events).toEqual([
      ['add-to-basket', { bean: 'huila' }],
      ['add-to-basket', { bean: 'huila' }],
      ['add-to-basket', { bean: 'cerrado' }],
      ['add-to-basket', { bean: 'kirinyaga', from: 'shop' }],
      ['place-order', { bags: '4', total: '46.8' }],
    ]);
    // Nothing typed into the checkout form was recorded. (The card's digits with their space:
    // a random hex id holds "4242" now and then.)
    const stored = JSON.stringify([clicks, views, events]);
    for (const typed of ['Ada Lovelace', 'ada@example.com', 'Canal Street', '4242 4242'])
      expect(stored).not.toContain(typed);

    // Nothing reached the server; the service worker answered every request. (The browser's
    // own update check of the worker's script, /sw.js, may: it bypasses the worker and the
    // offline emulation, on a schedule of the browser's, sooner or later on a busy machine.)
    expect(sinceOffline(demo.received, received)).toEqual([]);
    expect(watched.failed).toEqual([]);
    const urls = await fromServiceWorker(demo, watched, since);
    expect(urls).toContain(at(`/tabstream-core.js?v=${VERSION}`));
    expect(urls).toContain(at('/shop/orders'));
    expect(watched.errors).toEqual([]);
    await context.setOffline(false);
    await context.close();
  });

  it('records outbound links and downloads with their flags, and downloads offline', async () => {
    await newContext();
    const page = await openDemo(context, `${demo.origin}/brewing.html`);
    const since = watched.requests.length;
    const received = demo.received.length;
    await context.setOffline(true);
    await page.reload();
    await ready(page);
    await stayOnSite(page);

    await page.click('main a[href="https://sca.coffee/research/coffee-standards"]');
    await page.click('footer a[href="https://www.instagram.com/tabstreamroasters/"]');
    // The site fetches its downloads (through the service worker) and saves them from a Blob.
    for (const file of ['brew-guide.pdf', 'price-list.csv']) {
      const link = `${file.endsWith('.pdf') ? 'main' : 'footer'} a[href="/downloads/${file}"]`;
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(link)]);
      expect(await download.failure()).toBeNull();
      expect(download.suggestedFilename()).toBe(file);
      const bytes = readFileSync(await download.path());
      const original = readFileSync(new URL(`../../demo/downloads/${file}`, import.meta.url));
      expect(bytes.equals(original)).toBe(true);
    }
    expect(
      readFileSync(new URL('../../demo/downloads/brew-guide.pdf', import.meta.url), 'latin1'),
    ).toMatch(/^%PDF-1\.4\n[\s\S]*\nstartxref\n\d+\n%%EOF\n$/);
    await follow(page, 'main a[href="/beans.html"]', '/beans.html');
    await flush(page);

    const clicks = (await readTopic<ClickEvent>(page, 'clicks'))
      .map((r) => r.value)
      .filter((c) => c.page === `${demo.origin}/brewing.html`)
      .map((c) => [c.target, c.outbound, c.download]);
    expect(clicks).toEqual([
      ['https://sca.coffee/research/coffee-standards', true, false],
      ['https://www.instagram.com/tabstreamroasters/', true, false],
      [`${demo.origin}/downloads/brew-guide.pdf`, false, true],
      [`${demo.origin}/downloads/price-list.csv`, false, true],
      [`${demo.origin}/beans.html`, false, false],
    ]);
    expect(sinceOffline(demo.received, received)).toEqual([]);
    expect(watched.failed).toEqual([]);
    const urls = await fromServiceWorker(demo, watched, since);
    expect(urls).toContain(`${demo.origin}/downloads/brew-guide.pdf`);
    expect(urls).toContain(`${demo.origin}/downloads/price-list.csv`);
    expect(watched.errors).toEqual([]);
    await context.setOffline(false);
    await context.close();
  });

  it('shows the counts on the dashboard, with room for the monitor', async () => {
    await newContext();
    const page = await openDemo(context, `${demo.origin}/beans.html`);
    for (const bean of ['huila', 'kirinyaga', 'kirinyaga']) await page.click(`#${bean} button`);
    await follow(page, 'nav.site-nav a[href="/dashboard.html"]', '/dashboard.html');
    await ready(page);
    await page.click('.dashboard h1');
    await flush(page);
    const expected = { [`${demo.origin}/beans.html`]: 4, [`${demo.origin}/dashboard.html`]: 1 };
    expect(await counts(page)).toEqual(expected);
    // The element shows the same results once the batch's broadcast reaches it.
    const allTime = 'tabstream-counts[by="page"][window="all"]';
    await expect
      .poll(() => shownRows(page, allTime), { timeout: 10000 })
      .toEqual(Object.entries(expected));

    // The monitor shows the streaming job: its Jobs tab (the first shown) lists the jobs run.
    const monitor = asFrame(page);
    await expect
      .poll(async () => (await monitorJobIds(monitor))?.length ?? 0, { timeout: 10000 })
      .toBeGreaterThan(0);
    const jobIds = (await monitorJobIds(monitor))!;
    const { engine } = await page.evaluate(() => window.tabstream!.status());
    expect(jobIds.every((id) => Number.isInteger(id) && id >= 0)).toBe(true);
    expect(Math.max(...jobIds)).toBeLessThanOrEqual(Math.max(...engine!.jobs.map((j) => j.jobId)));
    // Its Log tab, clicked as a user would: a click in tabstream's own elements is not recorded.
    // The clicks in the log, all counted by the job's consumer group (which commits its offsets
    // after the batch: the monitor may first show a lag).
    const logTab = page.getByRole('tab', { name: 'Log', exact: true });
    await logTab.click();
    await expect.poll(() => logTab.getAttribute('aria-selected')).toBe('true');
    const clicked = Object.values(expected).reduce((sum, n) => sum + n, 0);
    await expect
      .poll(() => monitorTopic(monitor, 'clicks'), { timeout: 10000 })
      .toEqual({ records: clicked, lag: [0] });
    await flush(page);
    expect(await counts(page)).toEqual(expected);

    // The monitor has the page's width, whether or not the core has defined it yet.
    const widths = await page.evaluate(() => {
      const monitor = document.querySelector('tabstream-monitor')!;
      return {
        monitor: monitor.getBoundingClientRect().width,
        panels: document.querySelector('.panels')!.getBoundingClientRect().width,
      };
    });
    expect(widths.monitor).toBeGreaterThan(widths.panels * 0.9);
    expect(watched.errors).toEqual([]);
    await context.close();
  });

  it("shows the floating panel in the site's colours, minimised across the site's pages", async () => {
    await newContext();
    const page = await openDemo(context, `${demo.origin}/brewing.html`);
    const panel = page.locator('#tabstream-panel');
    await panel.locator('tabstream-counts').waitFor();
    const colours = await page.evaluate(() => {
      const style = (element: Element) => getComputedStyle(element);
      const panel = style(document.getElementById('tabstream-panel')!);
      const site = style(document.documentElement);
      return {
        panel: [panel.backgroundColor, panel.color, panel.fontFamily],
        site: [site.backgroundColor, site.color, site.fontFamily],
      };
    });
    expect(colours.panel).toEqual(colours.site);
    await panel.getByRole('button', { name: 'Minimise the tabstream panel' }).click();
    await expect.poll(() => panel.locator('tabstream-counts').count()).toBe(0);

    await follow(page, 'nav.site-nav a[href="/about.html"]', '/about.html');
    await ready(page);
    await page.click('main h1');
    await flush(page);
    const restore = panel.getByRole('button', { name: /^tabstream: \d+ clicks?$/ });
    const total = Object.values(await counts(page)).reduce((sum, n) => sum + n, 0);
    await expect.poll(() => restore.textContent()).toBe(`tabstream: ${total} clicks`);
    await restore.click();
    await panel.locator('tabstream-counts').waitFor();
    await panel.getByRole('button', { name: 'Close the tabstream panel' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(watched.errors).toEqual([]);
    await context.close();
  });
});
