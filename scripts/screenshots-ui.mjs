// `npm run build && node scripts/screenshots-ui.mjs`: screenshots of what a user sees of the
// elements at narrow widths, for the notes of issue 17, in /tmp/tabstream-shots/: the monitor
// and the counts (by target, long URLs) at 554 px (DevTools docked at their default width) and
// 360 px, the monitor's Sink tab at both, its SQL tab (a query run, with its jobs, and a
// continuous query) at 554 px,
// the floating panel open and minimised on a demo page, and the DevTools panel at 554 px (its
// monitor's Sink tab, and its SQL tab).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { serveDemo } from './serve-demo.mjs';

const OUT = '/tmp/tabstream-shots';
const EXTENSION = fileURLToPath(new URL('../dist/devtools-extension', import.meta.url));
/** Links the demo does not have: two long paths of the site that differ at their end, one out. */
const LONG_LINKS = [
  '/downloads/2024/quarterly-reports/annual-review/report-2024-final.pdf',
  '/downloads/2024/quarterly-reports/annual-review/report-2024-final.csv',
  'https://partner.example/wholesale/programmes/specialty-coffee/cafes/apply.html',
];

mkdirSync(OUT, { recursive: true });
const shot = (name) => join(OUT, `${name}.png`);

/** Waits until the page's tabstream has opened the log. */
async function ready(page) {
  await page.waitForFunction(() => window.tabstream !== undefined);
  await page.evaluate(() => window.tabstream.ready);
}

/**
 * Runs in the page, self-contained: its `tabstream.status()` answers a sink as well, made from
 * its log, backing off after a 503. The demo has no proxy to ship to; this is what a leader
 * with a sink (`data-kafka-rest`) answers.
 */
function sinkInPage() {
  const status = window.tabstream.status.bind(window.tabstream);
  window.tabstream.status = async () => {
    const snapshot = await status();
    const partitions = snapshot.log.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, highWatermark }) => {
        const shipped = Math.max(0, highWatermark - 2);
        return { topic, partition, shipped, highWatermark, lag: highWatermark - shipped };
      }),
    );
    const message =
      'POST https://proxy.example:8082/topics/clicks: HTTP 503 (50301 broker unavailable)';
    const sink = {
      state: 'backing-off',
      partitions,
      requests: 12,
      retries: 2,
      recordsShipped: partitions.reduce((sum, p) => sum + p.shipped, 0),
      lastError: { message, at: Date.now() - 4000 },
    };
    return { ...snapshot, sink };
  };
}

/** The query the SQL tabs' screenshots run: the most clicked pages, with their last click. */
const QUERY = `SELECT page, count(*) AS clicks, max(_timestamp) AS last_timestamp
FROM clicks
GROUP BY page
ORDER BY 2 DESC
LIMIT 10`;

/** The continuous query the SQL tabs' screenshots show. */
const STREAM = `SELECT window.start AS start_timestamp, count(*) AS clicks
FROM clicks
GROUP BY window(_timestamp, '1 minute')`;

/**
 * Runs in the page (or the panel), self-contained: types `query` into the SQL tab's editor of
 * `<tabstream-sql>` (under `host`'s shadow root if a host is named) and runs it with
 * Ctrl+Enter, as a user would.
 */
function runQuery({ host, query }) {
  const root = host ? document.querySelector(host).shadowRoot : document;
  const editor = root.querySelector('tabstream-sql').shadowRoot.querySelector('textarea');
  editor.value = query;
  editor.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, composed: true }),
  );
}

/**
 * Runs in the page (or the panel): whether `<tabstream-sql>` shows its result's rows and jobs,
 * and a continuous query's results.
 */
function queryShown(host) {
  const root = host ? document.querySelector(host)?.shadowRoot : document;
  const sql = root?.querySelector('tabstream-sql')?.shadowRoot;
  return (
    !!sql?.querySelector('tr[part="row"]') &&
    !!sql.querySelector('[part="query-jobs"] table') &&
    !!sql.querySelector('[part="stream"] tbody tr')
  );
}

/** Clicks around `page`: its own buttons, and the long links (which lead nowhere: prevented). */
async function clickAround(page) {
  await page.evaluate((links) => {
    const list = document.createElement('p');
    list.id = 'long-links';
    for (const href of links) {
      const link = document.createElement('a');
      link.href = href;
      link.textContent = href;
      link.addEventListener('click', (event) => event.preventDefault());
      list.append(link, ' ');
    }
    document.querySelector('main').prepend(list);
  }, LONG_LINKS);
  for (const [i, href] of LONG_LINKS.entries())
    for (let n = 0; n <= i; n++) await page.click(`#long-links a[href="${href}"]`);
  for (let n = 0; n < 3; n++) await page.click('main h1');
  await page.evaluate(() => window.tabstream.flush());
}

const { origin, server } = await serveDemo({ port: 0 });
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();

  // The floating panel on a page of the demo (data-panel), open, then minimised.
  await page.goto(`${origin}/`);
  await ready(page);
  await clickAround(page);
  const panel = page.locator('#tabstream-panel');
  await panel.locator('tabstream-counts tbody th.url').first().waitFor();
  await page.screenshot({ path: shot('panel-open') });
  await panel.getByRole('button', { name: 'Minimise the tabstream panel' }).click();
  await panel.getByRole('button', { name: /clicks$/ }).waitFor();
  await page.screenshot({ path: shot('panel-minimised') });
  await panel.getByRole('button', { name: /clicks$/ }).click(); // open again, for the next pages

  // The dashboard's elements at 554 px and 360 px: the monitor's Jobs, the counts by target.
  await page.goto(`${origin}/dashboard.html`);
  await ready(page);
  // The monitor shows this tab's jobs: a few batches of clicks here.
  for (let batch = 0; batch < 3; batch++) {
    await page.click('main h1');
    await page.evaluate(() => window.tabstream.flush());
  }
  const monitor = page.locator('tabstream-monitor');
  await monitor
    .locator('tbody th button')
    .first()
    .waitFor({ timeout: 10000 })
    .catch(async (error) => {
      console.log(await monitor.evaluate((m) => m.shadowRoot.textContent.replace(/\s+/g, ' ')));
      throw error;
    });
  const counts = page.locator('tabstream-counts[by="target"]');
  await counts.evaluate((element) => element.setAttribute('window', 'all'));
  for (const width of [554, 360]) {
    await page.setViewportSize({ width: width + 80, height: 900 });
    for (const element of [monitor, counts])
      await element.evaluate((e, w) => (e.style.width = `${w}px`), width);
    await counts.locator('tbody th.url').first().waitFor();
    await page.waitForFunction(() =>
      [
        ...document
          .querySelector('tabstream-counts[by="target"]')
          .shadowRoot.querySelectorAll('tbody th.url'),
      ].some((cell) => cell.textContent.includes('…')),
    );
    await monitor.screenshot({ path: shot(`monitor-jobs-${width}`) });
    await counts.screenshot({ path: shot(`counts-target-${width}`) });
  }
  await page.evaluate(sinkInPage);
  await monitor.evaluate((element) => element.setAttribute('tab', 'sink'));
  for (const width of [554, 360]) {
    await page.setViewportSize({ width: width + 80, height: 900 });
    await monitor.evaluate((e, w) => (e.style.width = `${w}px`), width);
    await monitor.locator('caption', { hasText: 'Topic clicks' }).waitFor();
    await monitor.screenshot({ path: shot(`monitor-sink-${width}`) });
  }
  // A continuous query, for the SQL tab's second section: clicks per minute of their time.
  await page.evaluate((stream) => window.tabstream.sql.stream('clicks_per_minute', stream), STREAM);
  await monitor.evaluate((element) => element.setAttribute('tab', 'sql'));
  await page.setViewportSize({ width: 554 + 80, height: 1400 });
  await monitor.evaluate((e) => (e.style.width = '554px'));
  await page.evaluate(runQuery, { host: 'tabstream-monitor', query: QUERY });
  await page.waitForFunction(queryShown, 'tabstream-monitor');
  await monitor.screenshot({ path: shot('monitor-sql-554') });
  await context.close();
} finally {
  await browser.close();
}

// The DevTools panel at 554 px wide (puppeteer: Playwright cannot open DevTools on a page).
const withExtension = await puppeteer.launch({
  executablePath: chromiumPath,
  headless: true,
  pipe: true,
  enableExtensions: [EXTENSION],
  handleDevToolsAsPage: true,
  args: chromiumArgs,
});
try {
  const page = await withExtension.newPage();
  await page.goto(`${origin}/brewing.html`);
  await ready(page);
  await clickAround(page);
  const devtools = await page.openDevTools();
  await devtools.setViewport({ width: 800, height: 760 });
  await withExtension.waitForTarget((t) => t.url().endsWith('/devtools.html'));
  // DevTools' internals, as of Chromium 156 (as test/e2e/devtools.ts does).
  const show = `async (title) => {
    const { InspectorView } = (await import('./ui/legacy/legacy.js')).InspectorView;
    const view = InspectorView.instance();
    const id = view.tabbedPane.tabIds().find((id) => id.endsWith(title));
    if (id === undefined) return false;
    await view.showPanel(id);
    return true;
  }`;
  await devtools.waitForFunction(`(${show})('tabstream')`, { polling: 200 });
  const frame = async () => devtools.frames().find((f) => f.url().endsWith('/panel.html'));
  let panel;
  while (!(panel = await frame())) await new Promise((resolve) => setTimeout(resolve, 100));
  await panel.waitForFunction(() =>
    document.querySelector('tabstream-counts')?.shadowRoot?.querySelector('tbody th.url'),
  );
  // DevTools draw more than the panel (the inspected page's area, docked): size them so that
  // the panel is 554 px wide, DevTools' default docked width.
  const around = 800 - (await panel.evaluate(() => innerWidth));
  await devtools.setViewport({ width: 554 + around, height: 760 });
  await panel.waitForFunction(() => innerWidth === 554);
  /** The panel's box in DevTools, its tab bar above it included. */
  const frameBox = async () => {
    const { x, y, width, height } = await (await panel.frameElement()).boundingBox();
    return { x, y: Math.max(0, y - 28), width, height: height + Math.min(y, 28) };
  };
  await panel.select('tabstream-counts >>> select[name="by"]', 'target');
  await panel.waitForFunction(() =>
    [
      ...document.querySelector('tabstream-counts').shadowRoot.querySelectorAll('tbody th.url'),
    ].some((cell) => cell.textContent.includes('…')),
  );
  await devtools.screenshot({ path: shot('devtools-counts-554'), clip: await frameBox() });
  await panel.click('button[data-tab="monitor"]');
  await panel.waitForFunction(() =>
    document.querySelector('tabstream-monitor')?.shadowRoot?.querySelector('tbody th button'),
  );
  await devtools.screenshot({ path: shot('devtools-monitor-554'), clip: await frameBox() });
  await page.evaluate(sinkInPage);
  await panel.waitForFunction(() => {
    const monitor = document.querySelector('tabstream-monitor').shadowRoot;
    const tab = [...monitor.querySelectorAll('[role="tab"]')].find(
      (t) => t.textContent.trim() === 'Sink',
    );
    if (tab?.getAttribute('aria-selected') !== 'true') tab?.click();
    return monitor.querySelector('[part="sink-error"]');
  });
  await devtools.screenshot({ path: shot('devtools-sink-554'), clip: await frameBox() });
  await page.evaluate((stream) => window.tabstream.sql.stream('clicks_per_minute', stream), STREAM);
  await panel.click('button[data-tab="sql"]');
  await panel.evaluate(runQuery, { host: null, query: QUERY });
  await panel.waitForFunction(queryShown, {}, null);
  await devtools.screenshot({ path: shot('devtools-sql-554'), clip: await frameBox() });
} finally {
  await withExtension.close();
  server.close();
}
console.log(`screenshots in ${OUT}/`);
