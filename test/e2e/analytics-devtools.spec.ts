// The DevTools panel's Heatmap, Paths and Funnels tabs (dist/devtools-extension): each asks the
// inspected page's tabstream, and the heatmap is drawn over the inspected page itself.
import type { Browser, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabstreamFunnel, TabstreamHeatmap } from '../../src/ui';
import { click, launchWithExtension, openPanel, until } from './devtools';
import { serveScript, serveSite, type Served } from './site';

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => window.tabstream !== undefined);
  await page.evaluate(() => window.tabstream!.ready);
}

/** Sets `selector`'s input (in a shadow root, `>>>`) in the panel as typing would. */
async function type(panel: Frame, selector: string, text: string): Promise<void> {
  await panel.$eval(
    selector,
    (input, text) => {
      (input as HTMLInputElement).value = text;
      input.dispatchEvent(new Event('input'));
    },
    text,
  );
}

describe("the DevTools panel's analytics tabs", () => {
  let browser: Browser;
  let script: Served;
  let site: Served;

  beforeAll(async () => {
    script = await serveScript();
    site = await serveSite(script.origin);
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([script, site].map((server) => server?.close()));
  });

  it('toggles the heatmap over the inspected page, and draws its paths and a funnel', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/p/7`);
    await ready(page);
    await click(page, '#box');
    await click(page, '#box');
    await click(page, '#next', true);
    await ready(page);
    await click(page, '#box');
    const { panel } = await openPanel(page);

    await panel.click('button[data-tab="heatmap"]');
    await panel.click('tabstream-heatmap-controls >>> button[aria-pressed]');
    const clicks = await until('the heatmap over the page', () =>
      page.evaluate(
        () => document.querySelector<TabstreamHeatmap>('tabstream-heatmap')?.data?.clicks,
      ),
    );
    expect(clicks).toBe(1); // this page's: the two others were on /p/7
    // The overlay is drawn before the page's answer reaches the panel, which then presses it.
    const pressed = 'tabstream-heatmap-controls >>> button[aria-pressed="true"]';
    await panel.waitForSelector(pressed, { timeout: 60_000 });
    await panel.click(pressed);
    await until('the heatmap taken off', () =>
      page.evaluate(() => document.querySelector('tabstream-heatmap') === null),
    );

    await panel.click('button[data-tab="paths"]');
    await type(panel, 'tabstream-paths-explorer >>> input[name="start"]', `${site.origin}/p/7`);
    await panel.click('tabstream-paths-explorer >>> button[type="submit"]');
    const pages = await until('the Sankey in the panel', () =>
      panel.evaluate(() => {
        const sankey = document
          .querySelector('tabstream-paths-explorer')
          ?.shadowRoot?.querySelector('tabstream-paths')?.shadowRoot;
        const labels = [...(sankey?.querySelectorAll('g.step text.page') ?? [])];
        return labels.length > 0 ? labels.map((label) => label.textContent) : null;
      }),
    );
    // The inspected page's own URLs, as paths: the panel gives the Sankey that page's origin.
    expect(pages).toEqual(['/p/7', '/p/8']);

    await panel.click('button[data-tab="funnels"]');
    await type(panel, 'tabstream-funnel-explorer >>> li.step:nth-child(1) .match input', '**/p/7');
    await type(panel, 'tabstream-funnel-explorer >>> li.step:nth-child(2) .match input', '**/p/9');
    await panel.click('tabstream-funnel-explorer >>> button[type="submit"]');
    const counts = await until('the funnel in the panel', () =>
      panel.evaluate(() => {
        const bars = document
          .querySelector('tabstream-funnel-explorer')
          ?.shadowRoot?.querySelector<TabstreamFunnel>('tabstream-funnel');
        return bars?.data ? bars.data.steps.map((step) => step.count) : null;
      }),
    );
    expect(counts).toEqual([1, 0]);
  });
});
