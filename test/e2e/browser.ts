import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import type { Tabstream } from '../../src/api';
import { serveScript, serveSite, type Served, type SiteOptions } from './site';

declare global {
  interface Window {
    tabstream?: Tabstream;
  }
}

/** A browser, the script's origin and the site's, started together and closed together. */
export interface Setup {
  readonly browser: Browser;
  readonly script: Served;
  readonly site: Served;
  readonly close: () => Promise<void>;
}

export async function setUp(options: SiteOptions = {}): Promise<Setup> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
  });
  const script = await serveScript();
  const site = await serveSite(script.origin, options);
  const close = async (): Promise<void> => {
    await browser.close();
    await Promise.all([script.close(), site.close()]);
  };
  return { browser, script, site, close };
}

/** Waits until the page's tabstream has opened the log. */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => window.tabstream !== undefined);
  await page.evaluate(() => window.tabstream!.ready);
}

export function flush(page: Page): Promise<void> {
  return page.evaluate(() => window.tabstream!.flush());
}

export function counts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => window.tabstream!.counts());
}

/**
 * Clicks `n` times in `page`: two of every three clicks on the link to the next page (the page
 * unloads), the third on an element that is no link. Returns the expected count per page URL.
 */
export async function clickAround(page: Page, n: number, expected: Record<string, number> = {}) {
  for (let i = 0; i < n; i++) {
    const url = page.url();
    expected[url] = (expected[url] ?? 0) + 1;
    if (i % 3 === 2) {
      await page.click('#box');
    } else {
      const next = new URL((await page.getAttribute('#next', 'href'))!, url).href;
      await page.click('#next');
      await page.waitForURL(next);
    }
  }
  return expected;
}

/** The rows <tabstream-counts> shows: [url, count]. */
export function shownCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const counts: Record<string, number> = {};
    const rows = document
      .querySelector('tabstream-counts')!
      .shadowRoot!.querySelectorAll('tbody tr');
    for (const row of rows) {
      const [url, count] = [...row.querySelectorAll('td')].map((td) => td.textContent.trim());
      if (url !== undefined && count !== undefined) counts[url] = Number(count);
    }
    return counts;
  });
}
