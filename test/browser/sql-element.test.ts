import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type { Tabstream } from '../../src/entries/index';
import { Producer } from '../../src/log';
import { SqlError } from '../../src/sql/sql-error';
import type { JobSummary, StageSummary, StatusSnapshot, StatusSource } from '../../src/status';
import { TabstreamMonitor } from '../../src/ui/monitor';
import { TabstreamSql, type SqlResult, type SqlSource } from '../../src/ui/sql';
import { HISTORY_KEY } from '../../src/ui/sql/history';
import { closeTabs, startTab } from './console-helpers';
import { tally, until } from './helpers';

if (!customElements.get('tabstream-sql')) customElements.define('tabstream-sql', TabstreamSql);
if (!customElements.get('tabstream-monitor'))
  customElements.define('tabstream-monitor', TabstreamMonitor);

const HOSTILE = '"><img src=x onerror=alert(1)>';
let alerts = 0;
window.alert = () => void alerts++;

/** A table of the in-test source: columns, and rows in their order. */
interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/**
 * An honest `SqlSource` for the element's rendering tests (never a stand-in for tabstream's
 * SQL): it answers `SELECT <columns or *> FROM <table> [LIMIT n]` over arrays, and anything
 * else, or an unknown name, with a SqlError that says where (line, column, caret), as the real
 * one does. Its `group` is told: each query's jobs are that group's.
 */
class ArraySource implements SqlSource {
  asked = 0;
  constructor(
    private readonly tables: Readonly<Record<string, Table>>,
    private readonly streamList?: readonly { name: string; text: string; result: Table }[],
  ) {}

  sql(text: string): Promise<SqlResult> {
    this.asked++;
    submitted = Date.now(); // as the engine would submit the query's job (see `status`)
    return Promise.resolve().then(() => this.answer(text));
  }

  explain(text: string): Promise<string> {
    return Promise.resolve().then(() => {
      const { table, names } = this.parse(text);
      return `== Logical Plan ==\nProject [${names.join(', ')}]\n+- Relation ${table}`;
    });
  }

  get streams() {
    const list = this.streamList;
    return list && (() => Promise.resolve(list.map(({ name, text }) => ({ name, text }))));
  }

  get results() {
    const list = this.streamList;
    return (
      list &&
      ((name: string) =>
        Promise.resolve(list.find((s) => s.name === name)?.result ?? { columns: [], rows: [] }))
    );
  }

  private answer(text: string): SqlResult {
    const { table, names, limit } = this.parse(text);
    const { columns, rows } = this.tables[table]!;
    const indexes = names.map((name) => columns.indexOf(name));
    return {
      columns: names,
      rows: rows.slice(0, limit).map((row) => indexes.map((i) => row[i])),
    };
  }

  private parse(text: string): { table: string; names: string[]; limit: number } {
    const match = /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+LIMIT\s+(\d+))?\s*;?\s*$/is.exec(text);
    if (!match) throw new SqlError('only SELECT … FROM … [LIMIT n] here', text, null);
    const [, list, table, limit] = match;
    const known = this.tables[table!];
    const at = (name: string) => {
      const offset = text.indexOf(name);
      const before = text.slice(0, offset).split('\n');
      return { offset, line: before.length, column: before.at(-1)!.length + 1 };
    };
    if (!known) throw new SqlError(`unknown table "${table}"`, text, at(table!));
    const names = list!.trim() === '*' ? [...known.columns] : list!.split(',').map((n) => n.trim());
    for (const name of names)
      if (!known.columns.includes(name))
        throw new SqlError(`unknown column "${name}"`, text, at(name));
    return { table: table!, names, limit: limit === undefined ? Infinity : Number(limit) };
  }
}

const T = Date.UTC(2024, 0, 2, 13, 4, 5);
const CLICKS: Table = {
  columns: ['page', 'target', '_timestamp', 'n'],
  rows: [
    ['/home', null, T, 1],
    ['/a,b "quoted"', '', T + 1000, -2],
    [HOSTILE, '=cmd|calc', T + 2000, 3],
  ],
};

const job = (
  jobId: number,
  group: string | null,
  description: string,
  submissionTime = T,
): JobSummary => ({
  jobId,
  description,
  group,
  status: 'succeeded',
  submissionTime,
  completionTime: submissionTime + 10,
  durationMs: 10,
  stageIds: [jobId * 10],
  numTasks: 2,
  succeededTasks: 2,
  failedTasks: 0,
  runningTasks: 0,
  failureReason: null,
});
const stage = (jobId: number): StageSummary => ({
  stageId: jobId * 10,
  attempt: 0,
  jobId,
  name: `${HOSTILE} stage of ${jobId}`,
  kind: 'result',
  status: 'succeeded',
  submissionTime: T,
  completionTime: T + 10,
  durationMs: 10,
  numTasks: 2,
  succeededTasks: 2,
  failedTasks: 0,
  runningTasks: 0,
  inputRecords: 3,
  outputRecords: 3,
  shuffleReadBytes: 0,
  shuffleWriteBytes: 0,
  taskDurationMs: null,
  taskRecords: null,
  failureReason: null,
});
/** When the engine's last `SELECT page FROM clicks` job was submitted (see `status`). */
let submitted = T;

/**
 * The engine's status as `tabstream.status()` answers it after `SELECT page FROM clicks` ran,
 * job groups named as tabstream.sql names them: job 4 is that query's, submitted `submitted`;
 * job 2 is the same text run an hour before, the others are no query's.
 */
const status: StatusSource = {
  status: () =>
    Promise.resolve({
      takenAt: submitted,
      engine: {
        jobs: [
          job(4, 'sql 2: SELECT page FROM clicks', 'collect', submitted),
          job(3, 'streaming x 1', 'batch', submitted),
          job(2, 'sql 1: SELECT page FROM clicks', 'collect', submitted - 3_600_000),
          job(1, null, 'count', submitted),
        ],
        stages: [stage(4), stage(3), stage(2), stage(1)],
        executors: [],
      },
      log: [],
      streaming: { batchIntervalMs: 1000, active: false, batches: [] },
      damage: { count: 0, recent: [] },
    } satisfies StatusSnapshot),
};

async function mount(source: SqlSource, status?: StatusSource): Promise<TabstreamSql> {
  const element = document.createElement('tabstream-sql');
  element.source = source;
  element.status = status;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

const $ = (element: TabstreamSql, selector: string) =>
  element.shadowRoot!.querySelector<HTMLElement>(selector);
const $$ = <E extends Element = HTMLTableRowElement>(element: TabstreamSql, selector: string) => [
  ...element.shadowRoot!.querySelectorAll<E>(selector),
];
const editor = (element: TabstreamSql) => $(element, 'textarea') as HTMLTextAreaElement;

/** Types `text` into the editor with the keyboard, then runs it with Ctrl+Enter. */
async function typeAndRun(element: TabstreamSql, text: string): Promise<void> {
  editor(element).focus();
  editor(element).select();
  await sendKeys({ type: text });
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'Enter' });
  await sendKeys({ up: 'Control' });
}

const summary = (element: TabstreamSql) => $(element, '[part="summary"]')?.textContent?.trim();
const cells = (element: TabstreamSql) =>
  $$(element, 'tr[part="row"]').map((row) => [...row.cells].map((cell) => cell.textContent.trim()));

describe('<tabstream-sql>', () => {
  beforeEach(() => localStorage.removeItem(HISTORY_KEY));
  afterEach(() => {
    document.querySelectorAll('tabstream-sql').forEach((element) => element.remove());
    localStorage.removeItem(HISTORY_KEY);
  });

  it('runs the typed query on Ctrl+Enter and shows its rows as text, NULL apart from the empty string', async () => {
    const element = await mount(new ArraySource({ clicks: CLICKS }));
    await typeAndRun(element, 'SELECT page, target FROM clicks');
    await until(() => summary(element)?.startsWith('3 rows') ?? false);
    expect(summary(element)).to.match(/^3 rows in \d+ ms$/);
    expect([...$$(element, 'thead th')].map((th) => th.textContent.trim())).to.deep.equal([
      'page',
      'target',
    ]);
    expect(cells(element)).to.deep.equal([
      ['/home', 'NULL'],
      ['/a,b "quoted"', ''],
      [HOSTILE, '=cmd|calc'],
    ]);
    const [nullCell, emptyCell] = [
      $$(element, 'tr[part="row"]')[0]!.cells[1]!,
      $$(element, 'tr[part="row"]')[1]!.cells[1]!,
    ];
    expect(nullCell.classList.contains('null')).to.equal(true);
    expect(emptyCell.classList.contains('null')).to.equal(false);
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
    expect(alerts).to.equal(0);
  });

  it('shows a _timestamp column as the number with its ISO time, and other numbers alone', async () => {
    const element = await mount(new ArraySource({ clicks: CLICKS }));
    element.query = 'SELECT _timestamp, n FROM clicks LIMIT 1';
    await element.updateComplete;
    await element.execute();
    await element.updateComplete;
    expect(cells(element)).to.deep.equal([[`${T} 2024-01-02T13:04:05.000Z`, '1']]);
  });

  it('shows "Running…" until the answer, then the time taken', async () => {
    let answer!: (result: SqlResult) => void;
    const source = new ArraySource({ clicks: CLICKS });
    source.sql = () => new Promise((resolve) => (answer = resolve));
    const element = await mount(source);
    element.query = 'SELECT page FROM clicks';
    await element.updateComplete;
    const done = element.execute();
    await element.updateComplete;
    expect(summary(element)).to.equal('Running…');
    expect(($(element, '[part="run"]') as HTMLButtonElement).disabled).to.equal(true);
    answer({ columns: ['page'], rows: [['/x']] });
    await done;
    await element.updateComplete;
    expect(summary(element)).to.match(/^1 row in \d+ ms$/);
  });

  it('shows an error with its line and caret, its lines kept, in a <pre>', async () => {
    const element = await mount(new ArraySource({ clicks: CLICKS }));
    await typeAndRun(element, 'SELECT pgae FROM clicks');
    await until(() => $(element, '[part="error"]') !== null);
    const error = $(element, '[part="error"]')!;
    expect(error.tagName).to.equal('PRE');
    expect(error.textContent).to.equal(
      'line 1, column 8: unknown column "pgae"\nSELECT pgae FROM clicks\n       ^',
    );
    expect(getComputedStyle(error).whiteSpace).to.equal('pre');
    expect(summary(element)).to.match(/^Failed after \d+ ms$/);
  });

  it('keeps the history across a reload, and recalls it with Up and Down and from its list', async () => {
    const source = new ArraySource({ clicks: CLICKS });
    let element = await mount(source);
    await typeAndRun(element, 'SELECT page FROM clicks');
    await until(() => source.asked === 1);
    await typeAndRun(element, 'SELECT n FROM clicks');
    await until(() => source.asked === 2);
    element.remove();

    // What a reload leaves: the storage, and a new element.
    element = await mount(source);
    expect(JSON.parse(localStorage.getItem(HISTORY_KEY)!)).to.deep.equal([
      'SELECT n FROM clicks',
      'SELECT page FROM clicks',
    ]);
    editor(element).focus();
    await sendKeys({ type: 'SELECT' });
    await sendKeys({ press: 'ArrowUp' });
    expect(editor(element).value).to.equal('SELECT n FROM clicks');
    await sendKeys({ press: 'ArrowUp' });
    expect(editor(element).value).to.equal('SELECT page FROM clicks');
    await sendKeys({ press: 'ArrowUp' }); // nothing older
    expect(editor(element).value).to.equal('SELECT page FROM clicks');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(editor(element).value).to.equal('SELECT', 'back to the text being written');

    const list = $(element, 'select[part="history"]') as HTMLSelectElement;
    expect([...list.options].slice(1).map((o) => o.text)).to.deep.equal([
      'SELECT n FROM clicks',
      'SELECT page FROM clicks',
    ]);
    list.value = '1';
    list.dispatchEvent(new Event('change'));
    expect(editor(element).value).to.equal('SELECT page FROM clicks');
  });

  it('exports the result as RFC 4180 CSV, NULL empty, through a Blob download', async () => {
    const element = await mount(new ArraySource({ clicks: CLICKS }));
    element.query = 'SELECT page, target, n FROM clicks';
    await element.updateComplete;
    await element.execute();
    await element.updateComplete;
    const expected =
      'page,target,n\r\n' +
      '/home,,1\r\n' +
      '"/a,b ""quoted""","",-2\r\n' +
      `"${HOSTILE.replaceAll('"', '""')}",'=cmd|calc,3\r\n`;
    expect(element.toCSV()).to.equal(expected);

    // The button's download: an <a download> clicked on a Blob URL, read back here.
    const clicked: HTMLAnchorElement[] = [];
    Object.defineProperty(HTMLAnchorElement.prototype, 'click', {
      configurable: true,
      value(this: HTMLAnchorElement) {
        clicked.push(this);
      },
    });
    try {
      $(element, 'button[aria-label="Download CSV"]')!.click();
      $(element, 'button[aria-label="Download JSON"]')!.click();
    } finally {
      delete (HTMLAnchorElement.prototype as Partial<HTMLAnchorElement>).click;
    }
    expect(clicked.map((a) => a.download)).to.deep.equal([
      'tabstream-sql.csv',
      'tabstream-sql.json',
    ]);
    expect(clicked.every((a) => a.href.startsWith('blob:'))).to.equal(true);
    expect(await (await fetch(clicked[0]!.href)).text()).to.equal(expected);
    expect(JSON.parse(await (await fetch(clicked[1]!.href)).text())).to.deep.equal({
      columns: ['page', 'target', 'n'],
      rows: CLICKS.rows.map(([page, target, , n]) => [page, target, n]),
    });
  });

  it('renders only the rows in view of a large result, and the last ones when scrolled there', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [`/page/${i}`, i]);
    const element = await mount(new ArraySource({ big: { columns: ['page', 'n'], rows } }));
    element.query = 'SELECT * FROM big';
    await element.updateComplete;
    await element.execute();
    await element.updateComplete;
    expect(summary(element)).to.match(/^10,000 rows in/);
    await until(() => $$(element, 'tr[part="row"]').length > 0);
    expect($$(element, 'tr[part="row"]').length).to.be.below(100);
    expect(cells(element)[0]).to.deep.equal(['/page/0', '0']);
    const scroll = $(element, '[part="scroll"]')!;
    // To the end, again as the rows measured move it.
    await until(() => {
      scroll.scrollTop = scroll.scrollHeight;
      return cells(element).at(-1)?.[0] === '/page/9999';
    });
    expect($$(element, 'tr[part="row"]').length).to.be.below(100);
    expect($(element, 'table[part="result"]')!.getAttribute('aria-rowcount')).to.equal('10001');
  });

  it('shows the plan in a collapsible block', async () => {
    const element = await mount(new ArraySource({ clicks: CLICKS }));
    element.query = 'SELECT page FROM clicks';
    await element.updateComplete;
    await element.explain();
    await element.updateComplete;
    const plan = $(element, 'details[part="plan"]') as HTMLDetailsElement;
    expect(plan.open).to.equal(false);
    expect(plan.querySelector('pre')!.textContent).to.equal(
      '== Logical Plan ==\nProject [page]\n+- Relation clicks',
    );
  });

  it("lists the query's jobs (its job group's, run then) and their stages", async () => {
    const element = await mount(new ArraySource({ clicks: CLICKS }), status);
    const shown: number[] = [];
    element.showJob = (jobId) => shown.push(jobId);
    element.query = 'SELECT page FROM clicks';
    await element.updateComplete;
    await element.execute();
    await element.updateComplete;
    const jobRows = $$(element, 'table[part="jobs"] tbody tr');
    expect(jobRows.map((row) => row.cells[0]!.textContent.trim())).to.deep.equal(['4']);
    expect(jobRows[0]!.cells[1]!.textContent).to.equal('collect');
    const stageRows = $$(element, 'table[part="stages"] tbody tr');
    expect(stageRows.map((row) => row.cells[1]!.textContent)).to.deep.equal([
      `${HOSTILE} stage of 4`,
    ]);
    (jobRows[0]!.querySelector('button') as HTMLButtonElement).click();
    expect(shown).to.deep.equal([4]);
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it('says "No continuous queries." when the source has none, and shows each one with its latest results', async () => {
    const none = await mount(new ArraySource({ clicks: CLICKS }));
    await until(() => $(none, '[part="no-streams"]') !== null);
    expect($(none, '[part="no-streams"]')!.textContent).to.equal('No continuous queries.');
    none.remove();

    const element = await mount(
      new ArraySource({ clicks: CLICKS }, [
        {
          name: 'per-minute',
          text: "SELECT window.start, count(*) FROM clicks GROUP BY window(_timestamp, '1 minute')",
          result: { columns: ['window_start', 'count(1)'], rows: [[T, 4]] },
        },
      ]),
    );
    await until(() => $(element, '[part="stream"]') !== null);
    const stream = $(element, '[part="stream"]')!;
    expect(stream.querySelector('h4')!.textContent).to.equal('per-minute');
    expect(stream.querySelector('pre')!.textContent).to.contain('GROUP BY window(_timestamp');
    expect(
      [...stream.querySelectorAll('tbody td')].map((td) => td.textContent.trim()),
    ).to.deep.equal([String(T), '4']);
  });
});

describe("<tabstream-monitor>'s SQL tab", () => {
  afterEach(() => {
    document.querySelectorAll('tabstream-monitor').forEach((element) => element.remove());
    localStorage.removeItem(HISTORY_KEY);
  });

  async function monitor(sql: SqlSource | undefined): Promise<TabstreamMonitor> {
    const element = document.createElement('tabstream-monitor');
    element.source = status;
    element.sql = sql;
    document.body.append(element);
    await until(() => !!element.shadowRoot?.querySelector('[role="tab"]'));
    return element;
  }
  const tabs = (element: TabstreamMonitor) =>
    [...element.shadowRoot!.querySelectorAll('[role="tab"]')].map((tab) => tab.textContent.trim());
  const tab = (element: TabstreamMonitor, text: string) =>
    [...element.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')].find(
      (t) => t.textContent.trim() === text,
    )!;
  const sqlOf = (element: TabstreamMonitor) => element.shadowRoot!.querySelector('tabstream-sql')!;

  it('is there only where there is SQL to ask (this page has no window.tabstream)', async () => {
    expect(tabs(await monitor(undefined))).to.not.include('SQL');
    expect(tabs(await monitor(new ArraySource({ clicks: CLICKS })))).to.deep.equal([
      'Jobs',
      'Stages',
      'SQL',
      'Executors',
      'Log',
      'Streaming',
    ]);
  });

  it('keeps its query and result while other tabs show, and links the jobs to their stages', async () => {
    const element = await monitor(new ArraySource({ clicks: CLICKS }));
    tab(element, 'SQL').click();
    await element.updateComplete;
    expect(element.getAttribute('tab')).to.equal('sql');
    const sql = sqlOf(element);
    sql.query = 'SELECT page FROM clicks';
    await sql.updateComplete;
    await sql.execute();
    await sql.updateComplete;
    expect(cells(sql).length).to.equal(3);

    tab(element, 'Jobs').click();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('tabstream-sql')).to.equal(null);
    tab(element, 'SQL').click();
    await element.updateComplete;
    expect(sqlOf(element)).to.equal(sql, 'the same element');
    expect(editor(sql).value).to.equal('SELECT page FROM clicks');
    expect(cells(sql).length).to.equal(3);

    $(sql, 'table[part="jobs"] tbody button')!.click();
    await element.updateComplete;
    expect(element.getAttribute('tab')).to.equal('stages');
    const current = element.shadowRoot!.querySelector('[aria-current="page"]')!;
    expect(current.textContent.trim()).to.equal('Job 4');
  });
});

// The monitor's SQL tab over the real thing: a tab's window.tabstream (its log, its executor
// workers, its tabstream.sql and status()), asked through the keyboard as a user would. In this
// file, not one of its own: test files run side by side in one origin, and the history's key in
// localStorage is one.
const PAGES = ['/', '/pricing', '/docs', '/blog'];
/** 60 clicks, their pages skewed, each with its session. */
const LOG_CLICKS = Array.from({ length: 60 }, (_, i) => ({
  page: PAGES[(i * i) % PAGES.length]!,
  sessionId: `s${i % 7}`,
}));

const LOG_QUERY =
  'SELECT page, count(*) AS clicks FROM clicks GROUP BY page ORDER BY clicks DESC, page';

let tabstream: Tabstream;
let monitor: TabstreamMonitor;

const monitorSql = () => monitor.shadowRoot!.querySelector('tabstream-sql')!;
const inMonitor = (selector: string) =>
  monitorSql().shadowRoot!.querySelector<HTMLElement>(selector);
const monitorRows = () =>
  [...monitorSql().shadowRoot!.querySelectorAll('tr[part="row"]')].map((row) =>
    [...row.children].map((cell) => cell.textContent.trim()),
  );

describe("<tabstream-monitor>'s SQL tab over a tab's tabstream.sql", () => {
  before(async () => {
    localStorage.removeItem(HISTORY_KEY);
    tabstream = startTab({ capture: [] });
    await tabstream.ready;
    const producer = new Producer({ log: tabstream.context.log, batchSize: 25 });
    for (const click of LOG_CLICKS) void producer.send('clicks', click, click.sessionId);
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
    await typeAndRun(monitorSql(), LOG_QUERY);
    await until(
      () => inMonitor('[part="summary"]')?.textContent.includes(' rows in ') ?? false,
      30000,
    );
    const expected = Object.entries(tally(LOG_CLICKS.map((click) => click.page)))
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([page, clicks]) => [page, String(clicks)]);
    expect(monitorRows()).to.deep.equal(expected);
    const { columns, rows } = await tabstream.sql(LOG_QUERY);
    expect(columns).to.deep.equal(['page', 'clicks']);
    expect(monitorRows()).to.deep.equal(rows.map((row) => row.map(String)));

    // Its jobs, from the engine's status: at least the one that collected the rows.
    await until(() => inMonitor('table[part="jobs"]') !== null, 30000);
    const jobs = [...inMonitor('table[part="jobs"]')!.querySelectorAll('tbody tr')];
    expect(jobs.length).to.be.greaterThan(0);
    const ids = jobs.map((row) => Number(row.querySelector('th')!.textContent.trim()));
    const { engine } = await tabstream.status();
    for (const id of ids)
      expect(engine!.jobs.find((job) => job.jobId === id)?.group).to.match(
        /^sql \d+: SELECT page, count\(\*\) AS clicks FROM clicks/,
      );
    expect(inMonitor('details[part="plan"] pre')!.textContent).to.contain('== Logical plan ==');
  });

  it('lists the continuous queries with their latest results, as tabstream.sql.results answers', async () => {
    const text = 'SELECT page, count(*) AS n FROM clicks GROUP BY page ORDER BY page';
    await tabstream.sql.stream('per_page', text);
    const expected = Object.entries(tally(LOG_CLICKS.map((click) => click.page)))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([page, n]) => [page, String(n)]);
    const shown = () => {
      const stream = inMonitor('[part="stream"]');
      return {
        name: stream?.querySelector('h4')?.textContent,
        text: stream?.querySelector('pre')?.textContent,
        rows: [...(stream?.querySelectorAll('tbody tr') ?? [])].map((row) =>
          [...row.children].map((cell) => cell.textContent.trim()),
        ),
      };
    };
    await until(() => JSON.stringify(shown().rows) === JSON.stringify(expected), 30000);
    expect(shown()).to.deep.equal({ name: 'per_page', text, rows: expected });
    const { rows } = await tabstream.sql.results('per_page');
    expect(rows.map((row) => row.map(String))).to.deep.equal(expected);
  });

  it('shows the error tabstream.sql gives, with its line and caret, in a <pre>', async () => {
    const text = 'SELECT pgae FROM clicks';
    await typeAndRun(monitorSql(), text);
    await until(() => inMonitor('[part="error"]') !== null, 30000);
    const error = await tabstream.sql(text).then(
      () => null,
      (e: unknown) => (e as Error).message,
    );
    expect(error).to.match(/^line 1, column 8: .*pgae.*\n.*\n {7}\^$/);
    expect(inMonitor('pre[part="error"]')!.textContent).to.equal(error);
  });
});
