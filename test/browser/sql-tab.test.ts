// The monitor's SQL tab over the real thing: a tab's window.tabstream (its log, its executor
// workers, its tabstream.sql and status()), asked through the keyboard as a user would.
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type { Tabstream } from '../../src/entries/index';
import { Producer } from '../../src/log';
import { TabstreamMonitor } from '../../src/ui/monitor';
import { TabstreamSql } from '../../src/ui/sql';
import { HISTORY_KEY } from '../../src/ui/sql/history';
import { closeTabs, startTab } from './console-helpers';
import { tally, until } from './helpers';

if (!customElements.get('tabstream-sql')) customElements.define('tabstream-sql', TabstreamSql);
if (!customElements.get('tabstream-monitor'))
  customElements.define('tabstream-monitor', TabstreamMonitor);

const PAGES = ['/', '/pricing', '/docs', '/blog'];
/** 60 clicks, their pages skewed, each with its session. */
const CLICKS = Array.from({ length: 60 }, (_, i) => ({
  page: PAGES[(i * i) % PAGES.length]!,
  sessionId: `s${i % 7}`,
}));

const QUERY =
  'SELECT page, count(*) AS clicks FROM clicks GROUP BY page ORDER BY clicks DESC, page';

let tabstream: Tabstream;
let monitor: TabstreamMonitor;

const sqlOf = () => monitor.shadowRoot!.querySelector('tabstream-sql')!;
const $ = (selector: string) => sqlOf().shadowRoot!.querySelector<HTMLElement>(selector);
const rowsShown = () =>
  [...sqlOf().shadowRoot!.querySelectorAll('tr[part="row"]')].map((row) =>
    [...row.children].map((cell) => cell.textContent.trim()),
  );

/** Types `text` into the SQL tab's editor and runs it with Ctrl+Enter. */
async function typeAndRun(text: string): Promise<void> {
  const editor = $('textarea') as HTMLTextAreaElement;
  editor.focus();
  editor.select();
  await sendKeys({ type: text });
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'Enter' });
  await sendKeys({ up: 'Control' });
}

describe("<tabstream-monitor>'s SQL tab over a tab's tabstream.sql", () => {
  before(async () => {
    localStorage.removeItem(HISTORY_KEY);
    tabstream = startTab({ capture: [] });
    await tabstream.ready;
    const producer = new Producer({ log: tabstream.context.log, batchSize: 25 });
    for (const click of CLICKS) void producer.send('clicks', click, click.sessionId);
    await producer.close();
    monitor = document.createElement('tabstream-monitor');
    document.body.append(monitor);
    await until(() =>
      [...monitor.shadowRoot!.querySelectorAll('[role="tab"]')].some(
        (tab) => tab.textContent.trim() === 'SQL',
      ),
    );
    monitor.tab = 'sql';
    await monitor.updateComplete;
  });
  after(async () => {
    monitor.remove();
    localStorage.removeItem(HISTORY_KEY);
    await closeTabs();
  });

  it("shows the rows tabstream.sql answers, those of the log, and the query's jobs", async () => {
    await typeAndRun(QUERY);
    await until(() => $('[part="summary"]')?.textContent.includes(' rows in ') ?? false, 30000);
    const expected = Object.entries(tally(CLICKS.map((click) => click.page)))
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([page, clicks]) => [page, String(clicks)]);
    expect(rowsShown()).to.deep.equal(expected);
    const { columns, rows } = await tabstream.sql(QUERY);
    expect(columns).to.deep.equal(['page', 'clicks']);
    expect(rowsShown()).to.deep.equal(rows.map((row) => row.map(String)));

    // Its jobs, from the engine's status: at least the one that collected the rows.
    await until(() => $('table[part="jobs"]') !== null, 30000);
    const jobs = [...$('table[part="jobs"]')!.querySelectorAll('tbody tr')];
    expect(jobs.length).to.be.greaterThan(0);
    const ids = jobs.map((row) => Number(row.querySelector('th')!.textContent.trim()));
    const { engine } = await tabstream.status();
    for (const id of ids)
      expect(engine!.jobs.find((job) => job.jobId === id)?.group).to.match(
        /^sql \d+: SELECT page, count\(\*\) AS clicks FROM clicks/,
      );
    expect($('details[part="plan"] pre')!.textContent).to.contain('== Logical plan ==');
  });

  it('shows the error tabstream.sql gives, with its line and caret, in a <pre>', async () => {
    const text = 'SELECT pgae FROM clicks';
    await typeAndRun(text);
    await until(() => $('[part="error"]') !== null, 30000);
    const error = await tabstream.sql(text).then(
      () => null,
      (e: unknown) => (e as Error).message,
    );
    expect(error).to.match(/^line 1, column 8: .*pgae.*\n.*\n {7}\^$/);
    expect($('pre[part="error"]')!.textContent).to.equal(error);
  });
});
