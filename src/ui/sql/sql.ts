import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { EngineStatus, StatusSource } from '../../status';
import { download, formatCount, formatDuration, pageTabstream, plural, rowRange } from '../shared';
import { resultToCSV, resultToJSON } from './export';
import { QueryHistory } from './history';
import { jobsOf, queryJobs, type QueryRun } from './jobs';
import { resultTable } from './result-table';
import { pageSqlSource, type SqlResult, type SqlSource } from './source';
import { readStreams, streamsSection, type StreamView } from './streams';
import { sqlStyles } from './styles';

const ESTIMATED_ROW_HEIGHT = 28; // px, until a row is measured
const ESTIMATED_VIEW_HEIGHT = 400; // px, until the scroll region is measured
/** How often the continuous queries are read again, while shown: as often as the monitor's. */
const STREAMS_REFRESH_MS = 2000;

/** The keys that run the query, as this platform writes them. */
const RUN_KEYS = /^(Mac|iP)/.test(globalThis.navigator?.platform ?? '') ? '⌘+Enter' : 'Ctrl+Enter';

/** A query run, and how it ended. */
type Run =
  | { readonly text: string; readonly state: 'running' }
  | {
      readonly text: string;
      readonly state: 'done';
      readonly result: SqlResult;
      readonly ms: number;
      readonly jobs: QueryRun;
    }
  | {
      readonly text: string;
      readonly state: 'failed';
      readonly error: string;
      readonly ms: number;
    };

/** A plan asked for, or why there is none. */
type Plan = { readonly text: string } | { readonly error: string } | null;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** `window.tabstream` as a status source, once it is there. */
const pageStatus = (): StatusSource | undefined =>
  pageTabstream<StatusSource>((t) => typeof t.status === 'function');

/**
 * `<tabstream-sql>`: Spark SQL over the log, as Spark UI's SQL tab and a console in one. An
 * editor (Ctrl/Cmd+Enter runs; Up on its first line and Down on its last recall the history,
 * kept in this origin's localStorage), the answer as a table of which only the rows in view are
 * in the DOM, CSV and JSON exports, the plan, the query's jobs and stages, and the running
 * continuous queries with their latest results. Every value is rendered as text.
 *
 * @csspart editor - the query's textarea
 * @csspart run - the Run button
 * @csspart explain - the Explain button
 * @csspart history - the history's select
 * @csspart summary - "Running…", or the rows and the time taken
 * @csspart error - why the query failed, with its line and caret
 * @csspart scroll - the scrolling region around the result
 * @csspart result - the result's table
 * @csspart row - a result row
 * @csspart plan - the plan's collapsible block
 * @csspart jobs - the query's jobs' table
 * @csspart stages - the query's stages' table
 * @csspart streams - the continuous queries' section
 * @csspart stream - one continuous query
 * @csspart no-streams - the sentence shown when there are none
 * @cssprop --tabstream-font - the font; default `14px/1.4 system-ui, sans-serif`
 * @cssprop --tabstream-color - the text colour; default `CanvasText`
 * @cssprop --tabstream-background - the editor's and the sticky header's background
 * @cssprop --tabstream-accent - the Run button, links, running jobs
 * @cssprop --tabstream-rule - the lines between rows and around the editor
 * @cssprop --tabstream-muted - secondary text: NULL, ISO times, the summary, the hint
 * @cssprop --tabstream-ok - succeeded jobs and stages
 * @cssprop --tabstream-error - the query's error, failed jobs and stages
 * @cssprop --tabstream-row-height - a result row's height; default `1.75rem`
 * @cssprop --tabstream-max-height - the result region's height at most; default `min(24rem, 60vh)`
 */
export class TabstreamSql extends LitElement {
  static override properties = {
    source: { attribute: false },
    status: { attribute: false },
    showJob: { attribute: false },
    run: { state: true },
    plan: { state: true },
    engine: { state: true },
    streams: { state: true },
    viewTop: { state: true },
    viewHeight: { state: true },
    rowHeight: { state: true },
    bodyTop: { state: true },
  };

  static override styles = sqlStyles;

  /** Where queries go; default the page's `window.tabstream.sql`. */
  declare source: SqlSource | undefined;
  /** Where the query's jobs are read; default the page's `window.tabstream`. */
  declare status: StatusSource | undefined;
  /** Shows a job's stages elsewhere (the monitor's Stages tab); null: job ids are not links. */
  declare showJob: ((jobId: number) => void) | null;

  declare private run: Run | null;
  declare private plan: Plan;
  declare private engine: EngineStatus | null;
  /** The continuous queries; why they could not be read; null before the first answer. */
  declare private streams: readonly StreamView[] | string | null;
  declare private viewTop: number;
  declare private viewHeight: number;
  declare private rowHeight: number;
  declare private bodyTop: number;

  private readonly history = new QueryHistory();
  /** Where Up and Down are in the history: -1 at the text being written (`draft`). */
  private recalled = -1;
  private draft = '';
  /** The query set before the editor was rendered: it starts with it. */
  private initialQuery = '';
  /** Bumped by each run: an answer to an earlier one is not shown. */
  private runs = 0;
  private streamsAsked = 0;
  private streamsPending = false;
  private streamsTimer: ReturnType<typeof setInterval> | undefined;
  private readonly resizes = new ResizeObserver(() => this.measure());

  constructor() {
    super();
    this.showJob = null;
    this.run = null;
    this.plan = null;
    this.engine = null;
    this.streams = null;
    this.viewTop = 0;
    this.viewHeight = ESTIMATED_VIEW_HEIGHT;
    this.rowHeight = 0;
    this.bodyTop = 0;
  }

  /** The text in the editor. */
  get query(): string {
    return this.editor?.value ?? this.initialQuery;
  }

  set query(text: string) {
    if (this.editor) this.editor.value = text;
    else this.initialQuery = text;
  }

  /** The last result, as RFC 4180 CSV; '' if there is none. */
  toCSV(): string {
    return this.run?.state === 'done' ? resultToCSV(this.run.result) : '';
  }

  /** The last result, as JSON `{ columns, rows }`; '' if there is none. */
  toJSON(): string {
    return this.run?.state === 'done' ? resultToJSON(this.run.result) : '';
  }

  /**
   * Runs the editor's text: must keep it first in the history, show "Running…" until the answer,
   * then the rows (or the error with its caret), the time taken, the plan and the query's jobs.
   */
  async execute(): Promise<void> {
    const text = this.query.trim();
    if (text === '') return;
    const source = this.sqlSource();
    const ask = ++this.runs;
    this.history.add(text);
    this.recalled = -1;
    this.run = { text, state: 'running' };
    this.plan = null;
    this.engine = null;
    this.viewTop = 0;
    const scroller = this.scroller;
    if (scroller) scroller.scrollTop = 0;
    const started = Date.now();
    const since = performance.now();
    try {
      if (!source) throw new Error('No tabstream.sql on this page (yet).');
      const result = await source.sql(text);
      if (ask !== this.runs) return;
      const ms = performance.now() - since;
      const jobs = { text, from: started, to: Date.now() };
      this.run = { text, state: 'done', result, ms, jobs };
      await Promise.all([this.explainText(text, ask), this.readJobs(ask)]);
    } catch (error) {
      if (ask === this.runs)
        this.run = {
          text,
          state: 'failed',
          error: messageOf(error),
          ms: performance.now() - since,
        };
    }
  }

  /** Shows the plan of the editor's text, without running it. */
  async explain(): Promise<void> {
    const text = this.query.trim();
    if (text !== '') await this.explainText(text, this.runs);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Not after each batch of the pipeline: a continuous query runs batches of its own.
    this.streamsTimer = setInterval(() => {
      if (!document.hidden && !this.streamsPending) void this.readStreams();
    }, STREAMS_REFRESH_MS);
    void this.readStreams();
    if (!this.hasUpdated) return;
    // Back in a document (the monitor's SQL tab shown again): its result starts at the top.
    this.viewTop = this.scroller?.scrollTop ?? 0;
    this.observeLayout();
  }

  protected override firstUpdated(): void {
    this.query = this.initialQuery;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.streamsTimer);
    this.resizes.disconnect();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('source')) void this.readStreams();
    if (changed.has('run')) this.observeLayout();
  }

  protected override render(): TemplateResult {
    const run = this.run;
    return html`<div class="editor">
        <label class="visually-hidden" for="query">SQL query</label>
        <textarea
          id="query"
          part="editor"
          spellcheck="false"
          autocomplete="off"
          autocapitalize="off"
          placeholder="SELECT page, count(*) FROM clicks GROUP BY 1 ORDER BY 2 DESC LIMIT 10"
          @keydown=${this.onKeydown}
        ></textarea>
        <div class="actions">
          <button
            type="button"
            part="run"
            ?disabled=${run?.state === 'running'}
            @click=${this.onRun}
          >
            Run
          </button>
          <span class="hint">${RUN_KEYS}</span>
          <button type="button" part="explain" @click=${this.onExplain}>Explain</button>
          ${this.historySelect()}
        </div>
      </div>
      ${run === null ? nothing : this.outcome(run)} ${this.planBlock()}
      ${run?.state === 'done' ? this.jobsBlock(run.jobs) : nothing}
      <section part="streams" aria-labelledby="streams">
        <h3 id="streams">Continuous queries</h3>
        ${streamsSection(this.streams)}
      </section>`;
  }

  private historySelect(): TemplateResult {
    const queries = this.history.queries;
    return html`<select part="history" aria-label="History" @change=${this.onRecall}>
      <option value="" selected>${queries.length === 0 ? 'No history yet' : 'History…'}</option>
      ${queries.map((query, i) => html`<option value=${i}>${oneLine(query)}</option>`)}
    </select>`;
  }

  private outcome(run: Run): TemplateResult {
    if (run.state === 'running') return html`<p part="summary" role="status">Running…</p>`;
    const took = formatDuration(run.ms);
    if (run.state === 'failed')
      return html`<p part="summary" role="status">Failed after ${took}</p>
        <pre part="error" class="error" role="alert">${run.error}</pre>`;
    const { result } = run;
    const height = this.rowHeight || ESTIMATED_ROW_HEIGHT;
    const range = rowRange(
      result.rows.length,
      height,
      this.viewTop - this.bodyTop,
      this.viewHeight,
    );
    return html`<p part="summary" role="status">${plural(result.rows.length, 'row')} in ${took}</p>
      <div
        part="scroll"
        class="scroll"
        role="region"
        tabindex="0"
        aria-label="Result, ${formatCount(result.rows.length)} rows"
        @scroll=${this.onScroll}
      >
        ${resultTable(result, range, height)}
      </div>
      <div class="footer">
        <button type="button" aria-label="Download CSV" @click=${this.onCSV}>CSV</button>
        <button type="button" aria-label="Download JSON" @click=${this.onJSON}>JSON</button>
      </div>`;
  }

  private planBlock(): TemplateResult | typeof nothing {
    const plan = this.plan;
    if (plan === null) return nothing;
    return html`<details part="plan">
      <summary>Plan</summary>
      ${'text' in plan ? html`<pre>${plan.text}</pre>` : html`<pre class="error">${plan.error}</pre>`}
    </details>`;
  }

  private jobsBlock(of: QueryRun): TemplateResult {
    const engine = this.engine;
    return html`<details part="query-jobs" open>
      <summary>Jobs and stages</summary>
      ${
        engine === null
          ? html`<p class="muted">No status of the engine: its jobs are not known here.</p>`
          : queryJobs(jobsOf(engine, of), engine, this.showJob)
      }
    </details>`;
  }

  private sqlSource(): SqlSource | undefined {
    return this.source ?? pageSqlSource();
  }

  private statusSource(): StatusSource | undefined {
    return this.status ?? pageStatus();
  }

  private async explainText(text: string, ask: number): Promise<void> {
    let plan: Plan;
    try {
      const source = this.sqlSource();
      if (!source) throw new Error('No tabstream.sql on this page (yet).');
      plan = { text: await source.explain(text) };
    } catch (error) {
      plan = { error: messageOf(error) };
    }
    if (ask === this.runs) this.plan = plan;
  }

  /** The engine's jobs and stages once the query answered: its own are among them. */
  private async readJobs(ask: number): Promise<void> {
    const source = this.statusSource();
    if (!source) return;
    try {
      await source.ready;
      const { engine } = await source.status();
      if (ask === this.runs) this.engine = engine;
    } catch {
      // Said in the block: the jobs are not known here.
    }
  }

  /** Reads the continuous queries again; [] where the source has none. */
  private async readStreams(): Promise<void> {
    const ask = ++this.streamsAsked;
    this.streamsPending = true;
    let streams: StreamView[] | string;
    try {
      streams = await readStreams(this.sqlSource());
    } catch (error) {
      streams = `Could not read the continuous queries: ${messageOf(error)}`;
    }
    if (ask !== this.streamsAsked) return;
    this.streamsPending = false;
    this.streams = streams;
  }

  private get editor(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.scroll[part="scroll"]');
  }

  private observeLayout(): void {
    this.resizes.disconnect();
    const scroller = this.scroller;
    if (!scroller) return;
    this.resizes.observe(scroller);
    const head = scroller.querySelector('thead');
    if (head) this.resizes.observe(head);
  }

  /** Reads the sizes that place the rows: the region's height, a row's, the body's offset. */
  private measure(): void {
    const scroller = this.scroller;
    const body = scroller?.querySelector('tbody');
    const row = body?.querySelector('tr[part="row"]');
    if (!scroller || !body || !row) return;
    this.rowHeight = row.getBoundingClientRect().height;
    this.viewHeight = scroller.clientHeight || ESTIMATED_VIEW_HEIGHT;
    this.bodyTop =
      body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  }

  private readonly onScroll = (event: Event): void => {
    this.viewTop = (event.currentTarget as HTMLElement).scrollTop;
  };

  private readonly onRun = (): void => void this.execute();

  private readonly onExplain = (): void => void this.explain();

  /**
   * Ctrl/Cmd+Enter runs; Up with the caret on the first line recalls the query before, Down
   * on the last line the one after (and, past the newest, the text that was being written).
   */
  private readonly onKeydown = (event: KeyboardEvent): void => {
    const editor = event.currentTarget as HTMLTextAreaElement;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.execute();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const { selectionStart: start, selectionEnd: end, value } = editor;
    if (start !== end) return;
    const older = event.key === 'ArrowUp' && !value.slice(0, start).includes('\n');
    const newer = event.key === 'ArrowDown' && !value.slice(end).includes('\n');
    const queries = this.history.queries;
    const to = older ? this.recalled + 1 : newer ? this.recalled - 1 : null;
    if (to === null || to < -1 || to >= queries.length) return;
    event.preventDefault();
    if (this.recalled === -1) this.draft = value;
    this.recalled = to;
    editor.value = to === -1 ? this.draft : queries[to]!;
    editor.setSelectionRange(editor.value.length, editor.value.length);
  };

  private readonly onRecall = (event: Event): void => {
    const select = event.currentTarget as HTMLSelectElement;
    const query = this.history.queries[Number(select.value)];
    select.value = '';
    if (query === undefined || !this.editor) return;
    this.editor.value = query;
    this.editor.focus();
  };

  private readonly onCSV = (): void =>
    download('tabstream-sql.csv', 'text/csv;charset=utf-8', this.toCSV());

  private readonly onJSON = (): void =>
    download('tabstream-sql.json', 'application/json', this.toJSON());
}

/** A query on one line, for the history's list. */
const oneLine = (query: string): string => query.replace(/\s+/g, ' ');

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-sql': TabstreamSql;
  }
}
