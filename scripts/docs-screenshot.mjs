// `node scripts/docs-screenshot.mjs` (after `npm run build`): takes docs/images/dashboard.png,
// the README's picture, from the demo as `npm start` serves it: a visitor clicks around the
// site for a while, then the dashboard's panels are shown: its counts and its monitor. About
// 1150 px wide, 460 tall.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { serveDemo } from './serve-demo.mjs';

const OUT = fileURLToPath(new URL('../docs/images/dashboard.png', import.meta.url));

/** The visit: the nav links and some links in pages, in order (each a click, most a page view). */
const VISIT = [
  'nav a[href="/beans.html"]',
  'nav a[href="/brewing.html"]',
  'a[href="/downloads/brew-guide.pdf"]',
  'nav a[href="/"]',
  'a.button[href="/beans.html"]',
  'nav a[href="/about.html"]',
  'nav a[href="/brewing.html"]',
  'nav a[href="/beans.html"]',
  'nav a[href="/"]',
  'a.button.secondary[href="/brewing.html"]',
  'nav a[href="/shop/"]',
  'nav a[href="/beans.html"]',
  'nav a[href="/dashboard.html"]',
];

// The port the README names, if free: the picture then shows the URLs a reader sees.
const { origin, server } = await serveDemo({ port: 5173 }).catch(() => serveDemo({ port: 0 }));
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: chromiumArgs,
  headless: true,
});
try {
  const page = await browser.newPage({ viewport: { width: 1700, height: 1000 } });
  await page.goto(`${origin}/`);
  for (const link of VISIT) {
    const target = page.locator(link).first();
    if ((await target.getAttribute('download')) !== null || link.includes('.pdf')) {
      // A download stays on the page: its click is counted, nothing is saved.
      await page.evaluate(() =>
        document.addEventListener('click', (event) => event.preventDefault(), { once: true }),
      );
      await target.click();
      continue;
    }
    await Promise.all([page.waitForLoadState('load'), target.click()]);
    await page.waitForFunction(() => window.tabstream !== undefined);
    // A batch between visits: the sparklines get a point each.
    await page.evaluate(() => window.tabstream.flush());
  }
  await page.evaluate(() => window.tabstream.ready);
  await page.evaluate(() => window.tabstream.flush());
  // A few clicks on the dashboard itself, a batch each: its sparklines get points to draw.
  for (let i = 0; i < 4; i += 1) {
    await page.locator('h1').first().click();
    await page.evaluate(() => window.tabstream.flush());
  }
  // Every counts element shows rows, and the monitor its jobs.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('tabstream-counts')].every(
      (element) => element.shadowRoot?.querySelector('tbody tr') !== null,
    ),
  );
  await page.waitForFunction(
    () => document.querySelector('tabstream-monitor')?.shadowRoot?.querySelector('table') != null,
  );
  // The panels alone, the site's sticky header out of their way: the all-time counts beside the
  // monitor (the windows' counts left out), a picture wider than tall, so that the README's
  // first screen has room for its commands.
  await page.addStyleTag({
    content:
      '.site-header { position: static !important; }' +
      '.panels { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr) !important; }' +
      '.panel.span-2, .panel.span-full { grid-column: auto !important; }' +
      '.panel:has(tabstream-counts:not([window="all"])) { display: none !important; }',
  });
  const box = await page.locator('.panels').boundingBox();
  if (!box) throw new Error('the dashboard has no panels');
  const clip = { ...box, height: Math.min(box.height, box.width * 0.4) };
  await page.screenshot({ path: OUT, clip, fullPage: true });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
