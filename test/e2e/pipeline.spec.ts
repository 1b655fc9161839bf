import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/shared/version';
import { clickAround, counts, flush, ready, setUp, shownCounts, type Setup } from './browser';

describe('dist/tabstream.js on a site, served from another origin', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp()));
  afterAll(() => setup.close());

  it('counts every click per page URL, through page unloads, with no other request', async () => {
    const { browser, script, site } = setup;
    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    await page.goto(`${site.origin}/p/0`);
    await ready(page);
    const expected = await clickAround(page, 24);
    await flush(page);
    expect(await counts(page)).toEqual(expected);
    await expect.poll(() => shownCounts(page)).toEqual(expected);
    const tracker = `${script.origin}/tabstream.js`;
    const core = `${script.origin}/tabstream-core.js?v=${VERSION}`;
    const allowed = (url: string) =>
      url === tracker || url === core || new URL(url).origin === site.origin;
    expect(requests.filter((url) => !allowed(url))).toEqual([]);
    // Each page loads the tracker at once, and the rest at most once, in idle time.
    const pages = requests.filter((url) => url.startsWith(site.origin)).length;
    expect(requests.filter((url) => url === tracker)).toHaveLength(pages);
    expect(requests.filter((url) => url === core).length).toBeLessThanOrEqual(pages);
    await context.close();
  });

  it('counts exactly with a second tab clicking at the same time', async () => {
    const { browser, site } = setup;
    const context = await browser.newContext();
    const [a, b] = [await context.newPage(), await context.newPage()];
    await Promise.all([a.goto(`${site.origin}/p/0`), b.goto(`${site.origin}/p/5`)]);
    await Promise.all([ready(a), ready(b)]);
    const expected: Record<string, number> = {};
    await Promise.all([clickAround(a, 15, expected), clickAround(b, 15, expected)]);
    await Promise.all([flush(a), flush(b)]);
    expect(await counts(a)).toEqual(expected);
    expect(await counts(b)).toEqual(expected);
    await context.close();
  });

  it('resumes after a reload with nothing lost or counted twice', async () => {
    const { browser, site } = setup;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/p/3`);
    await ready(page);
    const expected = await clickAround(page, 8);
    await page.reload();
    await ready(page);
    await clickAround(page, 5, expected);
    await page.reload();
    await ready(page);
    await flush(page);
    expect(await counts(page)).toEqual(expected);
    await context.close();
  });
});

describe('a page whose Content-Security-Policy blocks blob: workers', () => {
  it('still counts exactly, running tasks on the main thread, and says why', async () => {
    const setup = await setUp({
      headers: { 'content-security-policy': "worker-src 'self'" },
    });
    try {
      const page = await setup.browser.newPage();
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text());
      });
      await page.goto(`${setup.site.origin}/p/0`);
      await ready(page);
      const expected = await clickAround(page, 9);
      await flush(page);
      expect(await counts(page)).toEqual(expected);
      expect(warnings.join('\n')).toMatch(/executor workers could not start.*main thread.*blob:/s);
    } finally {
      await setup.close();
    }
  });
});

describe('the ES module build, imported from another origin', () => {
  it('runs the same pipeline once init() is called', async () => {
    const setup = await setUp({ module: true });
    try {
      const page = await setup.browser.newPage();
      await page.goto(`${setup.site.origin}/p/0`);
      await ready(page);
      const expected = await clickAround(page, 9);
      await flush(page);
      expect(await counts(page)).toEqual(expected);
      await expect.poll(() => shownCounts(page)).toEqual(expected);
    } finally {
      await setup.close();
    }
  });
});
