import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clickAround, counts, flush, ready, setUp, shownCounts } from './browser';

/** A CSP that requires Trusted Types for every script sink, and allows the `names` policies. */
const trustedTypes = (names: string): Record<string, string> => ({
  'content-security-policy': `require-trusted-types-for 'script'; trusted-types ${names}`,
});

/** Console errors of `page`, as they come. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Whether the page's tabstream started, or why not (its `ready` settled). */
const started = (page: Page): Promise<string> =>
  page.evaluate(() =>
    window.tabstream!.ready.then(
      () => 'started',
      (error: Error) => error.name,
    ),
  );

/** Every localStorage key: tabstream keeps events there until the core can take them. */
const stored = (page: Page): Promise<string[]> => page.evaluate(() => Object.keys(localStorage));

describe('a page that requires Trusted Types', () => {
  it('counts every click, in workers, when its CSP names tabstream and lit-html', async () => {
    const setup = await setUp({ headers: trustedTypes('tabstream lit-html') });
    try {
      const page = await setup.browser.newPage();
      const errors = consoleErrors(page);
      await page.goto(`${setup.site.origin}/p/0`);
      await ready(page);
      const expected = await clickAround(page, 9);
      await flush(page);
      expect(await counts(page)).toEqual(expected);
      await expect.poll(() => shownCounts(page)).toEqual(expected);
      const executors = await page.evaluate(async () => {
        const status = await window.tabstream!.status();
        return status.engine!.executors.filter((e) => e.active).map((e) => e.executorId);
      });
      expect(executors.filter((id) => id !== 'driver').length).toBeGreaterThan(0);
      expect(errors.filter((text) => /trusted|tabstream/i.test(text))).toEqual([]);
    } finally {
      await setup.close();
    }
  });

  for (const [names, refused] of [
    ['lit-html', 'tabstream'],
    ['tabstream', 'lit-html'],
  ] as const) {
    it(`captures nothing, says once which names to allow, when its CSP refuses ${refused}`, async () => {
      const setup = await setUp({ headers: trustedTypes(names) });
      try {
        const page = await setup.browser.newPage();
        const errors = consoleErrors(page);
        await page.goto(`${setup.site.origin}/p/0`);
        await page.waitForFunction(() => window.tabstream !== undefined);
        expect(await started(page)).toBe('TrustedTypesBlockedError');
        const named = () =>
          errors.filter((text) => text.includes('trusted-types tabstream lit-html'));
        expect(named()).toHaveLength(1);
        await page.click('#box');
        errors.length = 0;
        await page.click('#next'); // the next page too; nothing kept for it
        await page.waitForURL(/\/p\/1$/);
        await page.waitForFunction(() => window.tabstream !== undefined);
        expect(await started(page)).toBe('TrustedTypesBlockedError');
        expect(named()).toHaveLength(1);
        expect(await page.evaluate(() => window.tabstream!.capturing)).toBe(false);
        expect(await page.evaluate(() => window.tabstream!.track('signup'))).toBe(false);
        await page.evaluate(() => {
          Object.defineProperty(document, 'visibilityState', { value: 'hidden' });
          document.dispatchEvent(new Event('visibilitychange'));
        });
        expect(await stored(page)).toEqual([]);
      } finally {
        await setup.close();
      }
    });
  }
});
