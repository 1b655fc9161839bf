import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { rowsToCSV, rowsToJSON } from './export';
import {
  CountsFeed,
  type CountsBy,
  type CountsSource,
  type CountsView,
  type CountsWindow,
} from './feed';
import {
  matchingRows,
  memoizeOne,
  SortedRows,
  type CountRow,
  type Matching,
  type SortKey,
  type SortOrder,
} from './rows';
import { BatchHistory, sparkline, sparkText } from './sparkline';
import { countsStyles } from './styles';
import {
  download,
  formatCount,
  pageTabstream,
  plural,
  rowRange,
  TextFitter,
  urlText,
} from '../shared';

export type { CountsBy, CountsSource, CountsView, CountsWindow } from './feed';
export type { SortKey, SortOrder } from './rows';

const BY: Readonly<Record<CountsBy, string>> = { page: 'Page URL', target: 'Target URL' };
const WINDOW: Readonly<Record<CountsWindow, string>> = {
  all: 'All time',
  '1m': 'Last minute',
  '5m': 'Last 5 minutes',
};
// The first of each is the default.
const BYS = ['page', 'target'] as const satisfies readonly CountsBy[];
const WINDOWS = ['all', '1m', '5m'] as const satisfies readonly CountsWindow[];
const SORT_KEYS = ['count', 'url'] as const satisfies readonly SortKey[];
const ORDERS = ['desc', 'asc'] as const satisfies readonly SortOrder[];
const DEFAULT_LIMIT = 100;
const WAIT_FOR_PAGE_SOURCE_MS = 500;
const ESTIMATED_ROW_HEIGHT = 28; // px, until a row is measured
const ESTIMATED_VIEW_HEIGHT = 600; // px, until the scroll region is measured
const NO_COUNTS: Readonly<Record<string, number>> = Object.freeze({});
const HEADER_ROWS = 1; // aria-rowindex of the first body row is HEADER_ROWS + 1

/** The 0-based index of a body row among all rows shown. */
const rowIndex = (row: Element): number =>
  Number(row.getAttribute('aria-rowindex')) - HEADER_ROWS - 1;

/** A body row's URL (its cell's title holds it whole, the shared origin too). */
const rowUrl = (row: Element): string | undefined =>
  row.querySelector<HTMLElement>('[part="url"]')?.title;

/** The row that had the focus when an update began. */
interface FocusedRow {
  readonly url: string;
  readonly index: number;
}

/** `value` if it is one of `values`, else the first of them (an invalid attribute's default). */
function oneOf<T extends string>(values: readonly [T, ...T[]], value: unknown): T {
  return values.find((v) => v === value) ?? values[0];
}
const attribute = <T extends string>(values: readonly [T, ...T[]]) => ({
  reflect: true,
  converter: { fromAttribute: (value: string | null) => oneOf(values, value) },
});

/** `window.tabstream` if it is there and looks like a source. */
const pageSource = (): CountsSource | undefined =>
  pageTabstream<CountsSource>(
    (t) => typeof t.subscribe === 'function' && typeof t.counts === 'function',
  );

/**
 * `<tabstream-counts>`: live clicks per URL, of the page clicked on or of the link followed,
 * over all time or the last minutes: sortable, filterable, exportable, with each URL's clicks
 * in recent batches as a sparkline. It shows `source`, or `window.tabstream` when no source is
 * set (waiting for it to appear), and updates after every batch. Only the rows in view are in
 * the DOM, so 10,000 URLs scroll smoothly. URLs are rendered as text, never as markup or links.
 *
 * @attr by - `page` (default) or `target`: which URL of a click is counted
 * @attr window - `all` (default), `1m` or `5m`: over which time
 * @attr limit - how many rows before "Show all"; default 100
 * @attr show-all - shows every row, not the first `limit`
 * @attr sort - `count` (default) or `url`: the column rows are sorted by
 * @attr order - `desc` (default) or `asc`
 * @attr filter - shows only the URLs containing this text, ignoring case
 * @attr origin - the origin whose URLs show as paths when not every URL shares one; default
 *   the page's own (`location.origin`)
 *
 * @csspart controls - the row of controls above the table
 * @csspart select - the "Count by" and "Over" selects
 * @csspart filter - the filter's text input
 * @csspart error - the message shown when the source fails
 * @csspart scroll - the scrolling region around the table
 * @csspart table - the table of counts
 * @csspart row - a row of the table's body (one URL)
 * @csspart url - a URL's cell
 * @csspart count - a count's cell (the total's too)
 * @csspart sparkline - a URL's sparkline (an `svg`; its line is a `polyline`)
 * @csspart bar - a URL's bar, its share of the largest count
 * @csspart total - the total row
 * @csspart footer - the row below the table: the summary and the buttons
 * @csspart button - every button: the column headers' sort buttons, "Show all", the exports
 * @csspart sort - the column headers' sort buttons
 *
 * @cssprop --tabstream-accent - bars, sparklines, sort arrows, focus rings; default `#4f6bed`
 * @cssprop --tabstream-color - the text colour; default inherited
 * @cssprop --tabstream-background - the background, also of the sticky header and footer
 *   (default: transparent, and `Canvas` behind the sticky parts)
 * @cssprop --tabstream-rule - the lines between rows and around inputs; default `#e3e3e8`
 * @cssprop --tabstream-muted - labels and secondary text; default `#6b6f80`
 * @cssprop --tabstream-font - the font shorthand; default `14px/1.4 system-ui, sans-serif`
 * @cssprop --tabstream-row-height - every row's height; default `1.75rem`
 * @cssprop --tabstream-max-height - the scrolling region's height at most; default `min(24rem, 60vh)`
 */
export class TabstreamCounts extends LitElement {
  static override properties = {
    source: { attribute: false },
    by: attribute(BYS),
    window: attribute(WINDOWS),
    limit: { type: Number },
    showAll: { type: Boolean, attribute: 'show-all', reflect: true },
    sort: attribute(SORT_KEYS),
    order: attribute(ORDERS),
    filter: { converter: { fromAttribute: (value: string | null) => value ?? '' } },
    origin: {},
    counts: { state: true },
    failed: { state: true },
    announcement: { state: true },
    viewTop: { state: true },
    viewHeight: { state: true },
    rowHeight: { state: true },
    bodyTop: { state: true },
    urlRoom: { state: true },
    urlFont: { state: true },
  };

  static override styles = countsStyles;

  /** Where the counts come from; default `window.tabstream`. */
  declare source: CountsSource | undefined;
  /** Which URL of a click is counted: the page's (default) or the link's. */
  declare by: CountsBy;
  /** Which clicks are counted: all (default), or the last minute's or 5 minutes'. */
  declare window: CountsWindow;
  /** How many rows are shown before "Show all"; default 100. */
  declare limit: number;
  /** Whether every row is shown, not only the first `limit`. */
  declare showAll: boolean;
  /** The column the rows are sorted by: count (default) or URL. */
  declare sort: SortKey;
  /** The direction of the sort: descending (default) or ascending. */
  declare order: SortOrder;
  /** Shows only the URLs that contain this text, ignoring case; default `''`, all. */
  declare filter: string;
  /**
   * The origin whose URLs show as paths (`/downloads/report.pdf`) when the URLs do not all share
   * one (which then shows once, in the caption); default the page's own. The DevTools panel sets
   * the inspected page's.
   */
  declare origin: string | undefined;

  declare private counts: Readonly<Record<string, number>> | null; // null: not read yet
  declare private failed: boolean;
  declare private announcement: string;
  // Where the rows go: the scroll region's scrollTop and height, a row's height (0 until
  // measured), the first body row's offset in the region.
  declare private viewTop: number;
  declare private viewHeight: number;
  declare private rowHeight: number;
  declare private bodyTop: number;
  // The URL column's room for text (px, 0 until measured) and its cells' font: what a URL is
  // cut in the middle to fit.
  declare private urlRoom: number;
  declare private urlFont: string;

  private readonly history = new BatchHistory();
  private historyOf: { readonly source: CountsSource | undefined; readonly by: CountsBy } | null =
    null;
  private readonly shown = new CountsFeed(
    (counts, afterBatch, view) => {
      this.counts = counts;
      this.failed = false;
      if (view.window === 'all') this.history.add(counts, afterBatch);
    },
    (error) => this.fail(error),
  );
  // The all-time counts, for the sparklines, when `shown` follows a time window: its failure
  // costs only the sparklines, so it is logged but does not say the counts failed.
  private readonly trend = new CountsFeed(
    (counts, afterBatch) => {
      this.history.add(counts, afterBatch);
      this.requestUpdate();
    },
    (error) => this.report(error),
  );
  private reported: CountsSource | undefined; // the source whose failure was logged
  private waiting: ReturnType<typeof setInterval> | undefined;
  private readonly resizes = new ResizeObserver(() => this.measure());
  private readonly sorted = new SortedRows();
  private readonly matching = memoizeOne(matchingRows);
  private readonly onHome = memoizeOne((rows: Matching['rows'], home: string) =>
    rows.some(({ url }) => urlText(url, home) !== url),
  );
  private readonly fitter = new TextFitter();
  private focusedBefore: FocusedRow | null = null;
  private movingFocus = false; // focusRow() is rendering the row it will focus

  constructor() {
    super();
    this.by = 'page';
    this.window = 'all';
    this.limit = DEFAULT_LIMIT;
    this.showAll = false;
    this.sort = 'count';
    this.order = 'desc';
    this.filter = '';
    this.counts = null;
    this.failed = false;
    this.announcement = '';
    this.viewTop = 0;
    this.viewHeight = ESTIMATED_VIEW_HEIGHT;
    this.rowHeight = 0;
    this.bodyTop = 0;
    this.urlRoom = 0;
    this.urlFont = '';
  }

  /** The rows shown (past the top N too), filtered and sorted as shown, as RFC 4180 CSV. */
  toCSV(): string {
    return rowsToCSV(this.rows().rows);
  }

  /** The rows shown (past the top N too), filtered and sorted as shown, as JSON `[{url, clicks}]`. */
  toJSON(): string {
    return rowsToJSON(this.rows().rows);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
    if (!this.hasUpdated) return;
    // Back in a document (moved, or put back): its scroll region starts at the top again.
    this.viewTop = this.renderRoot.querySelector<HTMLElement>('.scroll')?.scrollTop ?? 0;
    this.observeLayout();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.follow();
    this.resizes.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') || changed.has('by') || changed.has('window')) this.follow();
    const row = this.shadowRoot?.activeElement;
    const url = row?.getAttribute('part') === 'row' ? rowUrl(row) : undefined;
    this.focusedBefore = url === undefined ? null : { url, index: rowIndex(row!) };
  }

  protected override updated(): void {
    const before = this.focusedBefore;
    this.focusedBefore = null;
    if (before && !this.movingFocus) this.keepFocus(before);
  }

  protected override firstUpdated(): void {
    this.observeLayout();
  }

  protected override render(): TemplateResult {
    const { by, window } = this.view();
    const matching = this.rows();
    const shown = this.shownOf(matching);
    const rowCount = HEADER_ROWS + Math.max(shown, 1) + 1; // the header, the rows, the total
    const home = this.home(matching);
    const on =
      matching.origin !== null
        ? ` on ${matching.origin}`
        : home !== null && this.onHome(matching.rows, home)
          ? ` (paths on ${home})`
          : '';
    const caption = `Clicks per ${by} URL${on}, ${WINDOW[window].toLowerCase()}`;
    return html`
      <div part="controls" class="controls">
        ${this.select('by', 'Count by', BY, by)} ${this.select('window', 'Over', WINDOW, window)}
        <label class="grow">
          Filter
          <input
            part="filter"
            type="search"
            placeholder="part of a URL"
            autocomplete="off"
            spellcheck="false"
            .value=${this.filter}
            @input=${this.onFilter}
          />
        </label>
      </div>
      ${
        this.failed
          ? html`<p part="error" class="error" role="alert">Could not read the counts.</p>`
          : nothing
      }
      <div
        part="scroll"
        class="scroll"
        role="region"
        tabindex="0"
        aria-labelledby="caption"
        @scroll=${this.onScroll}
        @keydown=${this.onKeydown}
      >
        <table part="table" aria-rowcount=${rowCount}>
          <caption id="caption">
            ${caption}
          </caption>
          <thead>
            <tr aria-rowindex="1">
              ${this.sortHeader('url', BY[by])} ${this.sortHeader('count', 'Clicks')}
              <th scope="col" class="spark">Trend</th>
              <th scope="col" class="bar"><span class="visually-hidden">Share</span></th>
            </tr>
          </thead>
          <tbody>
            ${shown === 0 ? this.emptyRow() : this.bodyRows(matching, shown)}
          </tbody>
          <tfoot>
            <tr part="total" aria-rowindex=${rowCount}>
              <th scope="row">Total</th>
              <td part="count" class="count">${formatCount(matching.total)}</td>
              <td class="spark"></td>
              <td class="bar"></td>
            </tr>
          </tfoot>
        </table>
      </div>
      <div part="footer" class="footer">
        <span class="summary">${this.summary(matching, shown)}</span>
        ${
          matching.rows.length > this.top()
            ? html`<button part="button" type="button" @click=${this.onShowAll}>
                ${this.showAll ? `Show top ${this.top()}` : 'Show all'}
              </button>`
            : nothing
        }
        <button part="button" type="button" aria-label="Download CSV" @click=${this.onCSV}>
          CSV
        </button>
        <button part="button" type="button" aria-label="Download JSON" @click=${this.onJSON}>
          JSON
        </button>
      </div>
      <div role="status" class="visually-hidden">${this.announcement}</div>
    `;
  }

  private select<T extends string>(
    name: 'by' | 'window',
    label: string,
    options: Readonly<Record<T, string>>,
    value: T,
  ): TemplateResult {
    return html`<label>
      ${label}
      <select part="select" name=${name} @change=${this.onSelect}>
        ${(Object.entries(options) as [T, string][]).map(
          ([option, text]) =>
            html`<option value=${option} .selected=${option === value}>${text}</option>`,
        )}
      </select>
    </label>`;
  }

  private sortHeader(key: SortKey, label: string): TemplateResult {
    const sorted = oneOf(SORT_KEYS, this.sort) === key;
    const order = oneOf(ORDERS, this.order);
    return html`<th
      scope="col"
      class=${key}
      aria-sort=${sorted ? (order === 'asc' ? 'ascending' : 'descending') : nothing}
    >
      <button part="button sort" type="button" @click=${() => this.sortBy(key)}>
        ${label}<span class="arrow" aria-hidden="true"
          >${!sorted ? '↕' : order === 'asc' ? '↑' : '↓'}</span
        >
      </button>
    </th>`;
  }

  /** The one row shown when none is: why. */
  private emptyRow(): TemplateResult {
    const query = this.filter.trim();
    const message = !this.currentSource()
      ? 'Waiting for tabstream…'
      : this.counts === null
        ? this.failed
          ? 'No counts.'
          : 'Loading…'
        : query !== ''
          ? `No URL contains “${query}”.`
          : 'No clicks counted yet.';
    return html`<tr aria-rowindex=${HEADER_ROWS + 1}>
      <td class="empty" colspan="2">${message}</td>
    </tr>`;
  }

  private bodyRows(matching: Matching, shown: number): TemplateResult {
    const height = this.rowHeight || ESTIMATED_ROW_HEIGHT;
    const { start, end } = rowRange(shown, height, this.viewTop - this.bodyTop, this.viewHeight);
    const scale = Math.max(1, matching.max);
    const home = this.home(matching);
    this.fitter.setColumn(this.urlRoom, this.urlFont);
    return html`${spacer(start * height)}${repeat(
      matching.rows.slice(start, end),
      (row) => row.url,
      (row, i) => this.bodyRow(row, start + i, scale, home),
    )}${spacer((shown - end) * height)}`;
  }

  /**
   * A row; its URL as a path if it is on `home`, cut in the middle to fit its cell, and whole
   * in its title.
   */
  private bodyRow(
    { url, clicks }: CountRow,
    index: number,
    scale: number,
    home: string | null,
  ): TemplateResult {
    const series = this.history.of(url);
    const text = this.fitter.fit(urlText(url, home));
    return html`<tr part="row" aria-rowindex=${HEADER_ROWS + index + 1} tabindex="-1">
      <th scope="row" part="url" class="url" title=${url}>${text}</th>
      <td part="count" class="count">${formatCount(clicks)}</td>
      <td class="spark">
        ${sparkline(series)}<span class="visually-hidden">${sparkText(series)}</span>
      </td>
      <td class="bar">
        <span part="bar" style=${styleMap({ width: `${(100 * clicks) / scale}%` })}></span>
      </td>
    </tr>`;
  }

  /** The origin shown as paths: the one every URL shares, else `origin` or the page's own. */
  private home({ origin }: Matching): string | null {
    const own = this.origin ?? globalThis.location?.origin;
    return origin ?? (own && own !== 'null' ? own : null);
  }

  private summary({ rows, of }: Matching, shown: number): string {
    if (of === 0) return ''; // the table says why
    return rows.length === of
      ? `Showing ${formatCount(shown)} of ${plural(of, 'URL')}`
      : `Showing ${formatCount(shown)} of ${plural(rows.length, 'matching URL')} (of ${formatCount(of)})`;
  }

  private view(): Required<CountsView> {
    return { by: oneOf(BYS, this.by), window: oneOf(WINDOWS, this.window) };
  }

  /** How many of the matching rows are shown: all, or the top N. */
  private shownOf({ rows }: Matching): number {
    return this.showAll ? rows.length : Math.min(rows.length, this.top());
  }

  private top(): number {
    return Number.isFinite(this.limit) && this.limit >= 1 ? Math.floor(this.limit) : DEFAULT_LIMIT;
  }

  /** Every matching row, sorted; each step memoised, so a scroll or a focus move redoes none. */
  private rows(): Matching {
    const sorted = this.sorted.of(
      this.counts ?? NO_COUNTS,
      oneOf(SORT_KEYS, this.sort),
      oneOf(ORDERS, this.order),
    );
    return this.matching(sorted, this.filter);
  }

  private currentSource(): CountsSource | undefined {
    return this.source ?? pageSource();
  }

  /** Follows the source's current view while connected, and nothing while not. */
  private follow(): void {
    const source = this.isConnected ? this.currentSource() : undefined;
    const { by, window } = this.view();
    if (!this.historyOf || this.historyOf.source !== source || this.historyOf.by !== by) {
      this.history.clear(); // other URLs, or batches missed while away
      this.historyOf = { source, by };
    }
    const view = { by, window };
    if (!this.shown.follows(source, view)) {
      this.counts = null;
      this.failed = false;
      this.shown.follow(source, view);
    }
    this.trend.follow(source, window === 'all' ? undefined : { by, window: 'all' });
    // window.tabstream may come later (a deferred script): look for it now and then.
    const waiting = this.isConnected && !source;
    if (waiting && this.waiting === undefined) {
      this.waiting = setInterval(() => {
        if (this.currentSource()) this.follow();
      }, WAIT_FOR_PAGE_SOURCE_MS);
    } else if (!waiting && this.waiting !== undefined) {
      clearInterval(this.waiting);
      this.waiting = undefined;
    }
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.report(error);
  }

  /** Logs a failure to read the counts, once per source. */
  private report(error: unknown): void {
    const source = this.currentSource();
    if (this.reported === source) return;
    this.reported = source;
    console.error('tabstream-counts: could not read the counts', error);
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.scroll');
  }

  /**
   * Measures now (an observation starts with one) and whenever the region, the caption (which
   * may wrap anew) or the header row (as high as a row: --tabstream-row-height) changes size.
   */
  private observeLayout(): void {
    for (const part of this.renderRoot.querySelectorAll('.scroll, caption, thead'))
      this.resizes.observe(part);
  }

  /** Reads the sizes that place the rows: the region's height, a row's, the body's offset. */
  private measure(): void {
    const scroller = this.scroller;
    const body = this.renderRoot.querySelector('tbody');
    const row = body?.querySelector('tr[aria-rowindex]');
    if (!scroller || !body || !row) return;
    this.rowHeight = row.getBoundingClientRect().height;
    this.viewHeight = scroller.clientHeight || ESTIMATED_VIEW_HEIGHT;
    this.bodyTop =
      body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    const cell = body.querySelector('th.url') ?? this.renderRoot.querySelector('thead th.url');
    if (cell) {
      const style = getComputedStyle(cell);
      // A pixel to spare: the canvas and the layout may round a width apart.
      const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 1;
      this.urlRoom = Math.max(0, cell.clientWidth - padding);
      this.urlFont = style.font;
    }
  }

  private readonly onScroll = (event: Event): void => {
    this.viewTop = (event.currentTarget as HTMLElement).scrollTop;
  };

  private readonly onSelect = (event: Event): void => {
    const select = event.currentTarget as HTMLSelectElement;
    if (select.name === 'by') this.by = oneOf(BYS, select.value);
    else this.window = oneOf(WINDOWS, select.value);
  };

  private readonly onFilter = (event: Event): void => {
    this.filter = (event.currentTarget as HTMLInputElement).value;
    // Said when the reader types, not after each batch: a polite status, never chatty.
    const matching = this.rows();
    this.announcement = this.summary(matching, this.shownOf(matching));
  };

  private readonly onShowAll = (): void => {
    this.showAll = !this.showAll;
  };

  private readonly onCSV = (): void => {
    download(this.fileName('csv'), 'text/csv;charset=utf-8', this.toCSV());
  };

  private readonly onJSON = (): void => {
    download(this.fileName('json'), 'application/json', this.toJSON());
  };

  private fileName(extension: string): string {
    const { by, window } = this.view();
    return `tabstream-clicks-${by}-${window}.${extension}`;
  }

  private sortBy(key: SortKey): void {
    if (oneOf(SORT_KEYS, this.sort) === key) {
      this.order = oneOf(ORDERS, this.order) === 'asc' ? 'desc' : 'asc';
    } else {
      this.sort = key;
      this.order = key === 'url' ? 'asc' : 'desc'; // A→Z, and most clicked first
    }
  }

  /**
   * Arrow keys, Page Up/Down, Home and End move the focus along the rows (from the region: to
   * the first row in view), rendering the row focused if it was not.
   */
  private readonly onKeydown = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement;
    const fromRow = target.getAttribute('part') === 'row';
    if (!fromRow && target !== event.currentTarget) return; // a sort button's keys are its own
    const count = this.shownOf(this.rows());
    const height = this.rowHeight || ESTIMATED_ROW_HEIGHT;
    const page = Math.max(1, Math.floor(this.viewHeight / height) - 2);
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page }[event.key];
    let next: number;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = count - 1;
    else if (step === undefined) return;
    else next = fromRow ? rowIndex(target) + step : this.firstRowInView();
    if (count === 0) return;
    event.preventDefault();
    void this.focusRow(Math.max(0, Math.min(count - 1, next)));
  };

  /**
   * After an update, keeps the focus that was on a row inside the element (WAI-ARIA grid: the
   * focus is never lost), where a keyboard or screen reader user left it:
   * - on the same URL's row while it is rendered and either where it was or still in view (a
   *   row moved in the DOM loses the focus: it is given back);
   * - else (a batch sorted it out of view, or out of the DOM) on the row now at the same
   *   position, the last one if fewer are shown: the view does not jump to follow the URL, and
   *   the arrow keys go on from where the user was;
   * - else (no such row rendered: scrolled away, or no rows) on the scroll region, whose arrow
   *   keys go to the first row in view.
   * The view never scrolls for it.
   */
  private keepFocus({ url, index }: FocusedRow): void {
    const rows = [...this.renderRoot.querySelectorAll<HTMLElement>('tbody tr[part="row"]')];
    const same = rows.find((row) => rowUrl(row) === url);
    const at = Math.min(index, this.shownOf(this.rows()) - 1);
    const target =
      same && (rowIndex(same) === index || this.inView(same))
        ? same
        : (rows.find((row) => rowIndex(row) === at) ?? this.scroller);
    if (target && this.shadowRoot?.activeElement !== target) target.focus({ preventScroll: true });
  }

  /** Whether some of `row` shows between the sticky header and footer. */
  private inView(row: Element): boolean {
    const top = this.headerBottom();
    const bottom = this.renderRoot.querySelector('tfoot th')?.getBoundingClientRect().top;
    const box = row.getBoundingClientRect();
    return top !== undefined && bottom !== undefined && box.bottom > top && box.top < bottom;
  }

  /** The first row drawn wholly below the sticky header; 0 if none is. */
  private firstRowInView(): number {
    const top = this.headerBottom() ?? 0;
    const row = [...this.renderRoot.querySelectorAll('tbody tr[part="row"]')].find(
      (row) => row.getBoundingClientRect().top >= top - 1,
    );
    return row ? rowIndex(row) : 0;
  }

  /** Where the sticky header ends: its cells are sticky, not the header, whose own box scrolls away. */
  private headerBottom(): number | undefined {
    return this.renderRoot.querySelector('thead th')?.getBoundingClientRect().bottom;
  }

  private async focusRow(index: number): Promise<void> {
    const find = () =>
      this.renderRoot.querySelector<HTMLElement>(
        `tbody tr[aria-rowindex="${HEADER_ROWS + index + 1}"]`,
      );
    const scroller = this.scroller;
    if (!find() && scroller) {
      // Not rendered: scroll near it, so that the next render has it.
      const height = this.rowHeight || ESTIMATED_ROW_HEIGHT;
      scroller.scrollTop = this.bodyTop + index * height - this.viewHeight / 2;
      this.viewTop = scroller.scrollTop;
      this.movingFocus = true;
      try {
        await this.updateComplete;
      } finally {
        this.movingFocus = false;
      }
    }
    const row = find();
    row?.focus({ preventScroll: true });
    row?.scrollIntoView({ block: 'nearest' });
  }
}

/**
 * A row standing in for `height` px of rows not rendered; nothing for none. Like the empty
 * table's row, it spans only the URL and count columns: a cell spanning the pictures' columns
 * too would make a column of its own where a narrow container hides them.
 */
function spacer(height: number): TemplateResult | typeof nothing {
  return height > 0
    ? html`<tr class="spacer" aria-hidden="true" style=${styleMap({ height: `${height}px` })}>
        <td colspan="2"></td>
      </tr>`
    : nothing;
}

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-counts': TabstreamCounts;
  }
}
