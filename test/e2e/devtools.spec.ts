// The DevTools extension (dist/devtools-extension, `npm run build`): its "tabstream" panel shows
// the counts, the monitor and the SQL tab of the inspected page, read through
// chrome.devtools.inspectedWindow.
import { isDeepStrictEqual } from 'node:util';
import type { Browser, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDemo } from '../../scripts/serve-demo.mjs';
import { VERSION } from '../../src/shared/version';
import {
  chooseInCounts,
  click,
  countsChoices,
  launchWithExtension,
  monitorJobIds,
  monitorTopic,
  openPanel,
  panelCounts,
  panelSqlShown,
  panelText,
  runInPanelSql,
  servePlainPage,
  showPanel,
  until,
} from './devtools';
import { serveScript, serveSite, type Served } from './site';

/** Waits until the page's tabstream has opened the log. */
async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => window.tabstream !== undefined);
  await page.evaluate(() => window.tabstream!.ready);
}

/** Waits until the panel's counts show `expected`, { url: count }. */
async function countsShown(panel: Frame, expected: Record<string, number>): Promise<void> {
  await until(`the counts ${JSON.stringify(expected)} in the panel`, async () =>
    isDeepStrictEqual(await panelCounts(panel), expected),
  );
}

/**
 * Runs in the page, self-contained: whether it keeps the call `id` of the panel (in
 * devtools/page-side.ts' map); with `startedAgo` (ms), first keeps one started that long ago.
 */
const keptInPage = (id: string, startedAgo?: number): boolean => {
  const key = Symbol.for('tabstream.devtools');
  const calls = (globalThis as unknown as Record<symbol, Map<string, { at: number }>>)[key]!;
  if (startedAgo !== undefined) calls.set(id, { at: performance.now() - startedAgo });
  return calls.has(id);
};

describe('the DevTools panel', () => {
  let browser: Browser;
  let script: Served;
  const servers: Served[] = [];
  /** A site of its own (an origin, so a log) for each test. */
  const newSite = async () => {
    const site = await serveSite(script.origin);
    servers.push(site);
    return site;
  };

  beforeAll(async () => {
    script = await serveScript();
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([script, ...servers].map((server) => server?.close()));
  });

  it("shows the inspected page's counts and monitor", async () => {
    const site = await newSite();
    const page = await browser.newPage();
    await page.goto(`${site.origin}/p/0`);
    await ready(page);
    await click(page, '#box');
    await click(page, '#box');
    await click(page, '#next', true);
    await ready(page);
    await click(page, '#box');
    await page.evaluate(() => window.tabstream!.flush());
    const expected = { [`${site.origin}/p/0`]: 3, [`${site.origin}/p/1`]: 1 };
    const counted = await page.evaluate(() => window.tabstream!.counts());
    expect(counted).toEqual(expected);

    const { devtools, panel } = await openPanel(page);
    // Counting was over before the panel opened: the first counts it shows are the last.
    const shown = await until('the counts in the panel', () => panelCounts(panel));
    expect(shown).toEqual(counted);
    const leader = await page.evaluate(() => window.tabstream!.isLeader);
    const header = `tabstream — ${site.origin}/p/1 ${leader ? 'leader' : 'follower'} v${VERSION}`;
    expect(await panelText(panel, 'header')).toBe(header);

    // The user's choices in the counts: by the link followed, and a filter.
    const filter = 'p/1';
    const choices = { by: 'target', filter };
    const byTarget = await page.evaluate(() => window.tabstream!.counts({ by: 'target' }));
    const chosen = Object.fromEntries(
      Object.entries(byTarget).filter(([url]) => url.includes(filter)),
    );
    expect(chosen).toEqual({ [`${site.origin}/p/1`]: 1 }); // the link followed
    await chooseInCounts(panel, 'target', filter);
    await countsShown(panel, chosen);

    await panel.click('button[data-tab="monitor"]');
    const defined = await panel.evaluate(() => !!customElements.get('tabstream-monitor'));
    expect(defined, 'defineElements() defines <tabstream-monitor>').toBe(true);
    const jobIds = await until('jobs in the monitor', () => monitorJobIds(panel));
    const { engine } = await page.evaluate(() => window.tabstream!.status());
    const known = engine!.jobs.map((job) => job.jobId);
    expect(jobIds.every((id) => Number.isInteger(id) && id >= 0)).toBe(true);
    expect(Math.max(...jobIds)).toBeLessThanOrEqual(Math.max(...known));
    // The Log tab: the 4 clicks in the log, all counted by the job's consumer group (which
    // commits its offsets after the batch: the monitor may first show a lag).
    const logged = { records: 4, lag: [0] };
    await until(`the clicks topic in the monitor: ${JSON.stringify(logged)}`, async () =>
      isDeepStrictEqual(await monitorTopic(panel, 'clicks'), logged),
    );

    // Back to the counts: the same element, with the choices made in it.
    await panel.click('button[data-tab="counts"]');
    expect(await until("the counts' controls", () => countsChoices(panel))).toEqual(choices);
    await countsShown(panel, chosen);
    // DevTools show another panel, then this one again: nothing polled the page meanwhile (the
    // element was out of the panel), and the choices are still there.
    await showPanel(devtools, 'elements');
    await until('the counts out of the hidden panel', () =>
      panel.evaluate(() => document.querySelector('tabstream-counts') === null),
    );
    await showPanel(devtools, 'tabstream');
    expect(await until("the counts' controls", () => countsChoices(panel))).toEqual(choices);
    await countsShown(panel, chosen);
    // The monitor kept its own: the Log tab.
    await panel.click('button[data-tab="monitor"]');
    const tab = await until('the monitor shown again', () =>
      panel.evaluate(() => document.querySelector('tabstream-monitor')?.getAttribute('tab')),
    );
    expect(tab).toBe('log');

    // The page drops a call the panel abandoned (or could not collect) a minute after it began,
    // when the next one starts (the monitor asks every 2 s), and keeps those of a moment ago.
    await page.evaluate(keptInPage, 'abandoned', 61000);
    await page.evaluate(keptInPage, 'recent', 1000);
    await until(
      'the abandoned call dropped',
      async () => !(await page.evaluate(keptInPage, 'abandoned')),
    );
    expect(await page.evaluate(keptInPage, 'recent')).toBe(true);
    await page.close();
  });

  it("runs SQL in its SQL tab against the demo's log, and keeps the history for the next time", async () => {
    const demo = await serveDemo({ port: 0 });
    const page = await browser.newPage();
    try {
      await page.goto(`${demo.origin}/`);
      await ready(page);
      for (let n = 0; n < 3; n++) await click(page, 'main h1');
      await page.evaluate(() => window.tabstream!.flush());
      const query =
        'SELECT page, count(*) AS clicks\nFROM clicks\nGROUP BY page\nORDER BY clicks DESC';
      const answer = await page.evaluate((query) => window.tabstream!.sql(query), query);
      expect(answer.rows.length).toBeGreaterThan(0);

      const { devtools, panel } = await openPanel(page);
      await until('the page in the panel', async () =>
        (await panelText(panel, 'header')).includes(`v${VERSION}`),
      );
      await panel.click('button[data-tab="sql"]');
      await runInPanelSql(devtools, panel, query);
      const shown = await until('the answer in the panel', async () => {
        const shown = await panelSqlShown(panel);
        return shown && 'rows' in shown ? shown : null;
      });
      // Every value as text; the page's answer crossed as JSON.
      expect(shown).toEqual({
        columns: answer.columns,
        rows: answer.rows.map((row) => row.map(String)),
      });
      const jobs = await until("the query's jobs", () =>
        panel.evaluate(
          () =>
            document
              .querySelector('tabstream-sql')
              ?.shadowRoot?.querySelectorAll('table[part="jobs"] tbody tr').length,
        ),
      );
      expect(jobs).toBeGreaterThan(0);

      const typo = 'SELECT pgae FROM clicks';
      await runInPanelSql(devtools, panel, typo);
      const error = await until('the error in the panel', async () => {
        const shown = await panelSqlShown(panel);
        return shown && 'error' in shown ? shown.error : null;
      });
      const thrown = await page.evaluate(
        (typo) =>
          window.tabstream!.sql(typo).then(
            () => '',
            (e: Error) => e.message,
          ),
        typo,
      );
      expect(thrown).toMatch(/^line 1, column 8: .*pgae.*\nSELECT pgae FROM clicks\n {7}\^$/);
      expect(error).toBe(thrown);

      // A continuous query of the page, with its latest results, as the page reads them.
      const stream = 'SELECT page, count(*) AS n FROM clicks GROUP BY page ORDER BY page';
      await page.evaluate((stream) => window.tabstream!.sql.stream('per_page', stream), stream);
      const latest = () => page.evaluate(() => window.tabstream!.sql.results('per_page'));
      await until('the continuous query in the panel', async () => {
        const { rows } = await latest();
        const shown = await panel.evaluate(() => {
          const article = document
            .querySelector('tabstream-sql')
            ?.shadowRoot?.querySelector('[part="stream"]');
          return {
            name: article?.querySelector('h4')?.textContent,
            rows: [...(article?.querySelectorAll('tbody tr') ?? [])].map((row) =>
              [...row.children].map((cell) => cell.textContent.trim()),
            ),
          };
        });
        return (
          rows.length > 0 &&
          isDeepStrictEqual(shown, { name: 'per_page', rows: rows.map((r) => r.map(String)) })
        );
      });

      // DevTools closed and opened again: a new panel page, the history read from its storage.
      await devtools.close();
      const again = await openPanel(page);
      await until('the page in the panel', async () =>
        (await panelText(again.panel, 'header')).includes(`v${VERSION}`),
      );
      await again.panel.click('button[data-tab="sql"]');
      const history = await until('the history', () =>
        again.panel.evaluate(() => {
          const options = document
            .querySelector('tabstream-sql')
            ?.shadowRoot?.querySelectorAll('select[part="history"] option');
          return options && options.length > 1
            ? [...options].slice(1).map((option) => option.textContent)
            : null;
        }),
      );
      expect(history).toEqual([typo, query.replace(/\s+/g, ' ')]);
    } finally {
      await page.close();
      demo.server.close();
    }
  });

  it('says when the page has no tabstream, and shows the one of the page it navigates to', async () => {
    const plain = await servePlainPage();
    servers.push(plain);
    const site = await newSite();
    const page = await browser.newPage();
    await page.goto(`${plain.origin}/`);
    const { panel } = await openPanel(page);
    await until('"No tabstream"', async () =>
      (await panelText(panel)).includes('No tabstream on this page'),
    );
    expect(await panelText(panel, 'header')).toBe(`tabstream — ${plain.origin}/`);

    await page.goto(`${site.origin}/p/5`);
    await ready(page);
    const header = `tabstream — ${site.origin}/p/5 leader v${VERSION}`;
    await until('the new page in the header', async () =>
      (await panelText(panel, 'header')) === header ? header : null,
    );
    // The element's empty state: it has read the counts, and there are none yet.
    await until('the empty counts', () =>
      panel.evaluate(() =>
        document.querySelector('tabstream-counts')?.shadowRoot?.textContent?.includes('No clicks'),
      ),
    );
    await click(page, '#box');
    await click(page, '#box');
    await page.evaluate(() => window.tabstream!.flush());
    // The panel hears of the batch that counted them, and shows its counts.
    const shown = await until('the counts in the panel', () => panelCounts(panel));
    expect(shown).toEqual({ [`${site.origin}/p/5`]: 2 });
    expect(await page.evaluate(() => window.tabstream!.counts())).toEqual(shown);
    await page.close();
  });

  it("shows the page's Kafka sink on the monitor's Sink tab, and says why a malformed one is not", async () => {
    const plain = await servePlainPage();
    servers.push(plain);
    const page = await browser.newPage();
    await page.goto(`${plain.origin}/`);
    // The page's window.tabstream, as a site's leader with a sink answers (the panel is what
    // is tested: it reads any page's, through DevTools): its sink set by `sinkInPage`.
    await page.evaluate((version) => {
      const sinkOf = () => (window as unknown as { sink: unknown }).sink;
      (window as unknown as { tabstream: unknown }).tabstream = {
        version,
        isLeader: true,
        ready: Promise.resolve(),
        counts: () => Promise.resolve({}),
        status: () =>
          Promise.resolve({
            takenAt: Date.now(),
            engine: { jobs: [], stages: [], executors: [] },
            log: [],
            streaming: { batchIntervalMs: 1000, active: true, batches: [] },
            damage: { count: 0, recent: [] },
            sink: sinkOf(),
          }),
      };
    }, VERSION);
    const sinkInPage = (sink: unknown) =>
      page.evaluate((sink) => void ((window as unknown as { sink: unknown }).sink = sink), sink);
    await sinkInPage({
      state: 'waiting-online',
      partitions: [{ topic: 'clicks', partition: 0, shipped: 40, highWatermark: 42, lag: 2 }],
      requests: 5,
      retries: 2,
      recordsShipped: 40,
      lastError: { message: '<img src=x onerror=alert(1)>', at: Date.now() },
    });
    const { panel } = await openPanel(page);
    await until('the panel on the page', async () =>
      (await panelText(panel, 'header')).includes('leader'),
    );
    await panel.click('button[data-tab="monitor"]');
    const monitorText = () =>
      panel.evaluate(() => {
        const monitor = document.querySelector('tabstream-monitor')?.shadowRoot;
        const tab = [...(monitor?.querySelectorAll<HTMLElement>('[role="tab"]') ?? [])].find(
          (t) => t.textContent.trim() === 'Sink',
        );
        if (tab?.getAttribute('aria-selected') !== 'true') tab?.click();
        return tab
          ? monitor!.querySelector<HTMLElement>('[role="tabpanel"]')!.innerText.replace(/\s+/g, ' ')
          : null;
      });
    const shown = await until('the Sink tab in the panel', async () => {
      const text = await monitorText();
      return text?.includes('Topic clicks') ? text : null;
    });
    expect(shown).toContain('State Waiting for the network');
    expect(shown).toContain('Requests 5 Retries 2 Records shipped 40 Lag 2');
    expect(shown).toMatch(/Last error, at [\d:]+: <img src=x onerror=alert\(1\)>/);
    expect(shown).toContain('Partition Shipped offset End offset Lag 0 40 42 2 Total 2');
    const images = await panel.evaluate(
      () => document.querySelector('tabstream-monitor')!.shadowRoot!.querySelectorAll('img').length,
    );
    expect(images).toBe(0);

    // A page that answers a malformed sink: the monitor says why, not what it cannot trust.
    await sinkInPage({ state: 'running', partitions: [], requests: '5', retries: 0 });
    const alert = await until('why the status is not shown', () =>
      panel.evaluate(
        () =>
          document
            .querySelector('tabstream-monitor')
            ?.shadowRoot?.querySelector('[role="alert"]')
            ?.textContent.trim() ?? null,
      ),
    );
    expect(alert).toBe(
      "Could not read the status: the status is malformed: sink's requests is no count",
    );
    await page.close();
  });

  it('says why it cannot look at about:blank, with no placeholder left unfilled', async () => {
    const page = await browser.newPage();
    await page.goto('about:blank');
    const { panel } = await openPanel(page);
    const said = await until('what the panel says of about:blank', async () => {
      const text = await panelText(panel);
      return /No tabstream|Could not|failed/i.test(text) ? text : null;
    });
    expect(said).not.toContain('%s');
    expect(said).toContain('No tabstream on this page');
    // DevTools' own reason, filled in, and what it means.
    expect(await panelText(panel, '.error')).toBe(
      'DevTools let no extension look into this page (Operation failed: Permission denied): ' +
        'tabstream can only be inspected on web pages, not about:blank, chrome:// or data: URLs.',
    );
    await page.close();
  });
});
