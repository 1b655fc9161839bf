import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { cache } from 'lit/directives/cache.js';
import type { StatusSnapshot, StatusSource } from '../../status';
import { message, timeCell } from './cells';
import { executorsPage } from './executors';
import { jobsPage } from './jobs';
import { logPage } from './log';
import { ALL_STAGES, stagesPage, type StagesView } from './stages';
import { StatusController } from './status';
import { sinkPage } from './sink';
import { streamingPage } from './streaming';
import { pageTabstream } from '../shared';
import { pageSqlSource, type SqlSource } from '../sql';
import { monitorStyles } from './styles';

/**
 * The monitor's tabs, in order: Spark UI's top navigation (`sql` only where there is SQL to
 * ask, `sink` only with a sink).
 */
const MONITOR_TABS = ['jobs', 'stages', 'sql', 'executors', 'log', 'streaming', 'sink'] as const;

/** One of the monitor's tabs. */
export type MonitorTab = (typeof MONITOR_TABS)[number];

const TAB_TEXT: Readonly<Record<MonitorTab, string>> = {
  jobs: 'Jobs',
  stages: 'Stages',
  sql: 'SQL',
  executors: 'Executors',
  log: 'Log',
  streaming: 'Streaming',
  sink: 'Sink',
};

/** Where each key of the tab list moves from tab `at` of `count`: round with the arrows. */
const TAB_KEYS: Readonly<Record<string, (at: number, count: number) => number>> = {
  ArrowLeft: (at, count) => (at + count - 1) % count,
  ArrowRight: (at, count) => (at + 1) % count,
  Home: () => 0,
  End: (_, count) => count - 1,
};

const DEFAULT_REFRESH_MS = 2000;

const isTab = (value: unknown): value is MonitorTab => MONITOR_TABS.includes(value as MonitorTab);

/**
 * The tabs shown: the SQL tab only when there is SQL to ask, the Sink tab only when the site
 * has one (as Spark's UI shows a tab per feature), or either when it is the tab asked for (the
 * Sink tab then says why there is none).
 */
const tabsOf = (
  snapshot: StatusSnapshot | null,
  sql: SqlSource | undefined,
  tab: MonitorTab,
): readonly MonitorTab[] =>
  MONITOR_TABS.filter(
    (shown) =>
      shown === tab ||
      ((shown !== 'sink' || snapshot?.sink !== undefined) &&
        (shown !== 'sql' || sql !== undefined)),
  );

/**
 * `<tabstream-monitor>`: Spark's web UI for tabstream. Tabs for the engine's jobs, stages (with
 * the task summary of each), SQL over the log (a `<tabstream-sql>`, its queries' jobs linked to
 * their stages) and executors, the log's partitions with each consumer group's lag,
 * the streaming job's batches with timelines, and the Kafka sink's shipped offsets and lag when
 * the site has one. It shows `source`, or `window.tabstream` once there is one; it refreshes
 * every `refresh` ms while on the page and visible, and after every batch. Every name and
 * message is rendered as text, never as markup.
 *
 * @csspart tabs - the tab list
 * @csspart tab - each tab
 * @csspart tab-selected - the selected tab
 * @csspart panel - the selected tab's panel
 * @csspart table - each table
 * @csspart progress - each tasks progress bar
 * @csspart chart - each timeline chart (Streaming)
 * @csspart message - an empty state, or why a tab has nothing to show
 * @csspart error - why the last refresh failed
 * @csspart sink-error - the sink's last failed request, or that none failed (Sink)
 * @cssprop --tabstream-font - the font; default `14px/1.4 system-ui, sans-serif`
 * @cssprop --tabstream-color - the text colour; default `CanvasText`
 * @cssprop --tabstream-background - the background; default `Canvas`
 * @cssprop --tabstream-accent - the selected tab, links, running tasks and chart lines
 * @cssprop --tabstream-rule - the lines between rows and under the tabs
 * @cssprop --tabstream-muted - secondary text: empty states, axes, failure reasons
 * @cssprop --tabstream-ok - succeeded jobs, stages and tasks, active executors
 * @cssprop --tabstream-error - failures, dead executors, the refresh error
 */
export class TabstreamMonitor extends LitElement {
  static override properties = {
    source: { attribute: false },
    sql: { attribute: false },
    refresh: { type: Number },
    tab: { reflect: true },
    stagesView: { state: true },
  };

  static override styles = monitorStyles;

  /** Where the status comes from; default `window.tabstream`, looked for until it is there. */
  declare source: StatusSource | undefined;
  /** Where the SQL tab's queries go; default `window.tabstream.sql`, once it is there. */
  declare sql: SqlSource | undefined;
  /** The ms between two refreshes (attribute `refresh`); default 2000. */
  declare refresh: number;
  /**
   * The tab shown (attribute `tab`, reflected): `jobs`, `stages`, `sql`, `executors`, `log`,
   * `streaming`, `sink`.
   */
  declare tab: MonitorTab;
  declare private stagesView: StagesView;

  private readonly status = new StatusController(this, {
    source: () => this.source ?? defaultSource(),
    interval: () =>
      Number.isFinite(this.refresh) && this.refresh > 0 ? this.refresh : DEFAULT_REFRESH_MS,
  });

  constructor() {
    super();
    this.refresh = DEFAULT_REFRESH_MS;
    this.tab = 'jobs';
    this.stagesView = ALL_STAGES;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tab') && !isTab(this.tab)) this.tab = 'jobs';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('source') || changed.has('refresh')) this.status.sync();
  }

  protected override render(): TemplateResult {
    const { snapshot, error } = this.status;
    return html`<div role="tablist" part="tabs" aria-label="Monitor" @keydown=${this.onTabKey}>
        ${tabsOf(snapshot, this.sqlSource(), this.tab).map((tab) => {
          const selected = tab === this.tab;
          return html`<button
            type="button"
            role="tab"
            id="tab-${tab}"
            part=${selected ? 'tab tab-selected' : 'tab'}
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls=${selected ? 'panel' : nothing}
            tabindex=${selected ? 0 : -1}
            @click=${() => this.choose(tab)}
          >
            ${TAB_TEXT[tab]}
          </button>`;
        })}
      </div>
      ${
        error === null
          ? nothing
          : html`<p class="error" part="error" role="alert">Could not read the status: ${error}</p>`
      }
      <div role="tabpanel" id="panel" part="panel" aria-labelledby="tab-${this.tab}" tabindex="0">
        ${cache(this.tab === 'sql' ? this.sqlPanel() : this.statusPanel(snapshot))}
      </div>`;
  }

  /**
   * The SQL tab: its element is kept (with the query, the result and the scroll) while other
   * tabs show, and the query's jobs link to their stages.
   */
  private sqlPanel(): TemplateResult {
    return html`<tabstream-sql
      .source=${this.sqlSource()}
      .status=${this.status.source}
      .showJob=${this.showJobStages}
    ></tabstream-sql>`;
  }

  private statusPanel(snapshot: StatusSnapshot | null): TemplateResult {
    return html`${this.shown(snapshot)}
    ${snapshot ? html`<p class="as-of">As of ${timeCell(snapshot.takenAt)}</p>` : nothing}`;
  }

  private sqlSource(): SqlSource | undefined {
    return this.sql ?? pageSqlSource();
  }

  /** The tab's panel; a snapshot that passed the check but still cannot be shown says why. */
  private shown(snapshot: StatusSnapshot | null): TemplateResult {
    try {
      return this.panel(snapshot);
    } catch (error) {
      return message(`Could not show the status: ${String(error)}`);
    }
  }

  private panel(snapshot: StatusSnapshot | null): TemplateResult {
    if (!snapshot) {
      if (this.status.error !== null) return message('No status yet.');
      return message(this.status.source ? 'Loading…' : 'Waiting for tabstream to load…');
    }
    if (this.tab === 'log') return logPage(snapshot.log, snapshot.damage);
    if (this.tab === 'streaming') return streamingPage(snapshot.streaming);
    if (this.tab === 'sink')
      return snapshot.sink
        ? sinkPage(snapshot.sink)
        : message('This site ships no events: it has no sink, or the leader tab did not answer.');
    const { engine } = snapshot;
    if (!engine) return message('The streaming job runs in another tab, which did not answer.');
    if (this.tab === 'stages') return stagesPage(engine, this.stagesView, this.goToStages);
    if (this.tab === 'executors') return executorsPage(engine.executors);
    return jobsPage(engine, this.showJobStages);
  }

  private readonly showJobStages = (jobId: number): void => this.goToStages({ jobId, stage: null });

  /** Shows `tab` as its own first view (the Stages tab: every stage). */
  private choose(tab: MonitorTab): void {
    this.tab = tab;
    this.stagesView = ALL_STAGES;
  }

  /** Moves to `view` of the Stages tab, and focus to where it says what it shows. */
  private readonly goToStages = (view: StagesView): void => {
    this.tab = 'stages';
    this.stagesView = view;
    void this.focusRendered('[aria-current="page"]');
  };

  /** Moves to another tab by the keys of `TAB_KEYS`, and focus with it. */
  private readonly onTabKey = (event: KeyboardEvent): void => {
    const move = TAB_KEYS[event.key];
    if (!move) return;
    event.preventDefault();
    const tabs = tabsOf(this.status.snapshot, this.sqlSource(), this.tab);
    this.choose(tabs[move(tabs.indexOf(this.tab), tabs.length)]!);
    void this.focusRendered('[aria-selected="true"]');
  };

  private async focusRendered(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }
}

/** `window.tabstream`, once it is there and has `status()`. */
const defaultSource = (): StatusSource | undefined =>
  pageTabstream<StatusSource>((t) => typeof t.status === 'function');

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-monitor': TabstreamMonitor;
  }
}
