// Chromium with the built DevTools extension (dist/devtools-extension), driven by puppeteer-core:
// Playwright cannot open DevTools on a page, puppeteer can (`page.openDevTools()`).
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { rowsShown } from './browser';
import { listen, type Served } from './site';

const EXTENSION = fileURLToPath(new URL('../../dist/devtools-extension', import.meta.url));

/** How long a wait for the browser may take, on a slow machine. */
const WAIT_MS = 30000;

export function launchWithExtension(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    pipe: true, // enableExtensions installs over the pipe
    enableExtensions: [EXTENSION],
    handleDevToolsAsPage: true,
    args: chromiumArgs,
  });
}

/** Resolves with `fn()`'s value once it is truthy (checked every 100 ms); `what` names it. */
export async function until<T>(what: string, fn: () => Promise<T>): Promise<NonNullable<T>> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs in the DevTools page: shows the panel whose tab id ends with `title` (DevTools add
 * an extension's panel as `chrome-extension://<id><title>`; their own have ids like
 * `elements`); false while it is not there yet.
 * DevTools' internals, as of Chromium 156: a string, since a test function's own `import()` is
 * rewritten by Vitest. At the default window size, the panel's tab is in the "more tabs" menu,
 * which cannot be clicked headless.
 */
const SHOW_PANEL = `async (title) => {
  const { InspectorView } = (await import('./ui/legacy/legacy.js')).InspectorView;
  const view = InspectorView.instance();
  const id = view.tabbedPane.tabIds().find((id) => id.endsWith(title));
  if (id === undefined) return false;
  await view.showPanel(id);
  return true;
}`;

/** The frame of the extension's page `path` in `devtools`. */
function frameOf(devtools: Page, path: string): Frame | undefined {
  return devtools.frames().find((frame) => frame.url().endsWith(path));
}

/** Shows the DevTools panel `title` (see SHOW_PANEL), once it is there. */
export async function showPanel(devtools: Page, title: string): Promise<void> {
  await until(`the "${title}" panel`, () =>
    devtools.evaluate(`(${SHOW_PANEL})(${JSON.stringify(title)})`),
  );
}

/** Opens DevTools on `page`, shows the "tabstream" panel, and resolves with the panel's frame. */
export async function openPanel(page: Page): Promise<{ devtools: Page; panel: Frame }> {
  const devtools = await page.openDevTools();
  // DevTools load the extension's devtools_page once they are set up; it adds the panel.
  await until('the devtools page', () => Promise.resolve(frameOf(devtools, '/devtools.html')));
  await showPanel(devtools, 'tabstream');
  const panel = await until('the panel page', () =>
    Promise.resolve(frameOf(devtools, '/panel.html')),
  );
  return { devtools, panel };
}

/** The rows the panel's <tabstream-counts> shows, { url: count }; null while it shows none. */
export async function panelCounts(panel: Frame): Promise<Record<string, number> | null> {
  const rows = await panel.evaluate(rowsShown, 'tabstream-counts');
  return rows.length > 0 ? Object.fromEntries(rows) : null;
}

/**
 * Chooses, as a user would, to count by `by` and to filter on `filter` in the panel's
 * <tabstream-counts> (`>>>`: into its shadow root).
 */
export async function chooseInCounts(panel: Frame, by: string, filter: string): Promise<void> {
  await panel.select('tabstream-counts >>> select[name="by"]', by);
  await panel.type('tabstream-counts >>> input[part="filter"]', filter);
}

/**
 * What the panel's <tabstream-counts> controls show: its "Count by" select's value and its
 * filter's text; null while it is not in the panel or not rendered yet.
 */
export function countsChoices(panel: Frame): Promise<{ by: string; filter: string } | null> {
  return panel.evaluate(() => {
    const counts = document.querySelector('tabstream-counts')?.shadowRoot;
    const by = counts?.querySelector<HTMLSelectElement>('select[name="by"]');
    const filter = counts?.querySelector<HTMLInputElement>('input[part="filter"]');
    return by && filter ? { by: by.value, filter: filter.value } : null;
  });
}

/** The ids of the jobs the panel's <tabstream-monitor> lists (its Jobs tab); null while none. */
export function monitorJobIds(panel: Frame): Promise<number[] | null> {
  return panel.evaluate(() => {
    const monitor = document.querySelector('tabstream-monitor')?.shadowRoot;
    const ids = [...(monitor?.querySelectorAll('tbody tr') ?? [])]
      .filter((row) => !row.querySelector('td.empty'))
      .map((row) => Number(row.querySelector('th, td')?.textContent.trim()));
    return ids.length > 0 ? ids : null;
  });
}

/** The panel's text (shadow roots aside), whitespace collapsed; `selector` picks a part. */
export function panelText(panel: Frame, selector = 'body'): Promise<string> {
  return panel.evaluate(
    (selector) => document.querySelector(selector)?.textContent.replace(/\s+/g, ' ').trim() ?? '',
    selector,
  );
}

/** Clicks `selector` in `page`, and waits for the page it leads to if it is a link. */
export async function click(page: Page, selector: string, navigates = false): Promise<void> {
  if (navigates) await Promise.all([page.waitForNavigation(), page.click(selector)]);
  else await page.click(selector);
}

/** Serves one page without tabstream, at /. */
export function servePlainPage(): Promise<Served> {
  return listen((_, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>No tabstream</title><h1>A page without tabstream</h1>'),
  );
}

/**
 * The panel monitor's Log tab, for `topic`: the records in the log (its partitions' end
 * offsets, summed) and each group's lag there; null until the tab shows that topic.
 */
export async function monitorTopic(
  panel: Frame,
  topic: string,
): Promise<{ records: number; lag: number[] } | null> {
  return panel.evaluate((topic) => {
    const monitor = document.querySelector('tabstream-monitor')?.shadowRoot;
    const tab = [...(monitor?.querySelectorAll<HTMLElement>('[role="tab"]') ?? [])].find(
      (t) => t.textContent.trim() === 'Log',
    );
    if (tab?.getAttribute('aria-selected') !== 'true') tab?.click();
    const table = [...(monitor?.querySelectorAll('table') ?? [])].find((t) =>
      t.caption?.textContent.includes(`Topic ${topic} `),
    );
    if (!table) return null;
    const number = (cell: Element | undefined) => Number(cell?.textContent.replaceAll(',', ''));
    const records = [...table.tBodies[0]!.rows].reduce((sum, row) => sum + number(row.cells[2]), 0);
    const headers = [...table.tHead!.rows].at(-1)!.cells;
    const totals = table.tFoot!.rows[0]!.cells;
    // The header row under the groups lists their columns from the first column under a group.
    const lagColumns = [...headers].flatMap((cell, i) =>
      cell.textContent.trim() === 'Lag' ? [i] : [],
    );
    const offset = totals.length - headers.length;
    return { records, lag: lagColumns.map((i) => number(totals[i + offset])) };
  }, topic);
}

/**
 * Puts `query` into the panel's SQL tab (its <tabstream-sql> editor) and runs it with
 * Ctrl+Enter, as a user would: the keys go to DevTools' page, which holds the panel. (The
 * editor's typing is tested in the element's own tests: typed through DevTools, a key now and
 * then goes astray.)
 */
export async function runInPanelSql(devtools: Page, panel: Frame, query: string): Promise<void> {
  const editor = 'tabstream-sql >>> textarea';
  await panel.$eval(editor, (textarea, query) => (textarea.value = query), query);
  await panel.focus(editor);
  await devtools.keyboard.down('Control');
  await devtools.keyboard.press('Enter');
  await devtools.keyboard.up('Control');
}

/**
 * What the panel's <tabstream-sql> shows of its answer: the column headers and every row's
 * cells as text (all of them: a small answer is rendered whole), or its error; null while it
 * shows neither (running).
 */
export function panelSqlShown(
  panel: Frame,
): Promise<{ columns: string[]; rows: string[][] } | { error: string } | null> {
  return panel.evaluate(() => {
    const sql = document.querySelector('tabstream-sql')?.shadowRoot;
    const error = sql?.querySelector('[part="error"]')?.textContent;
    if (error != null) return { error };
    const table = sql?.querySelector('table[part="result"]');
    if (!table) return null;
    const text = (cells: Iterable<Element>) => [...cells].map((cell) => cell.textContent.trim());
    return {
      columns: text(table.querySelectorAll('thead th')),
      rows: [...table.querySelectorAll('tr[part="row"]')].map((row) => text(row.children)),
    };
  });
}
