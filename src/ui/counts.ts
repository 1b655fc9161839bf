import { css, html, LitElement, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';

/** Where `<tabstream-counts>` gets its numbers: `window.tabstream`, or any object like it. */
export interface CountsSource {
  readonly ready?: Promise<void>;
  counts(): Promise<Record<string, number>>;
  subscribe(listener: (counts: Readonly<Record<string, number>>) => void): () => void;
}

/**
 * `<tabstream-counts>`: live clicks per page URL, most clicked first. It shows `source`, or
 * `window.tabstream` when no source is set, and updates after every batch. URLs are rendered
 * as text, never as markup.
 *
 * @csspart table - the table of counts
 * @cssprop --tabstream-accent - the colour of the bars
 */
export class TabstreamCounts extends LitElement {
  static override properties = {
    source: { attribute: false },
    limit: { type: Number },
    rows: { state: true },
  };

  static override styles = css`
    :host {
      display: block;
      font:
        14px/1.4 system-ui,
        sans-serif;
      color: var(--tabstream-color, inherit);
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding-bottom: 0.4em;
    }
    th,
    td {
      padding: 0.25em 0.5em;
      border-bottom: 1px solid var(--tabstream-rule, #e3e3e8);
      text-align: left;
    }
    td.url {
      word-break: break-all;
    }
    th.count,
    td.count {
      text-align: right;
      font-variant-numeric: tabular-nums;
      width: 6em;
    }
    td.bar {
      width: 18%;
    }
    td.bar span {
      display: block;
      height: 0.6em;
      border-radius: 0.3em;
      background: var(--tabstream-accent, #4f6bed);
    }
    .empty {
      color: #777;
    }
  `;

  /** Where the counts come from; default `window.tabstream`. */
  declare source: CountsSource | undefined;
  /** The most rows shown; default 100. */
  declare limit: number;
  declare private rows: readonly (readonly [string, number])[];
  private unsubscribe: (() => void) | null = null;
  private connected: CountsSource | undefined;

  constructor() {
    super();
    this.limit = 100;
    this.rows = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.disconnect();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.isConnected && this.currentSource() !== this.connected) {
      this.disconnect();
      void this.connect();
    }
  }

  protected override render() {
    const total = this.rows.reduce((sum, [, count]) => sum + count, 0);
    const top = this.rows[0]?.[1] ?? 1;
    return html`
      <table part="table">
        <caption>
          Clicks per page
        </caption>
        <thead>
          <tr>
            <th scope="col">Page URL</th>
            <th scope="col" class="count">Clicks</th>
            <th scope="col"><span hidden>Share</span></th>
          </tr>
        </thead>
        <tbody>
          ${
            this.rows.length === 0
              ? html`<tr>
                  <td class="empty" colspan="3">No clicks counted yet.</td>
                </tr>`
              : this.rows.slice(0, this.limit).map(
                  ([url, count]) =>
                    html`<tr>
                      <td class="url">${url}</td>
                      <td class="count">${count}</td>
                      <td class="bar">
                        <span style=${styleMap({ width: `${(100 * count) / top}%` })}></span>
                      </td>
                    </tr>`,
                )
          }
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td class="count">${total}</td>
            <td></td>
          </tr>
        </tfoot>
      </table>
    `;
  }

  private currentSource(): CountsSource | undefined {
    return this.source ?? (globalThis as { tabstream?: CountsSource }).tabstream;
  }

  private async connect(): Promise<void> {
    const source = (this.connected = this.currentSource());
    if (!source) return;
    this.unsubscribe = source.subscribe((counts) => this.show(counts));
    try {
      await source.ready;
      this.show(await source.counts());
    } catch (error) {
      console.error('tabstream-counts: could not read the counts', error);
    }
  }

  private disconnect(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.connected = undefined;
  }

  private show(counts: Readonly<Record<string, number>>): void {
    this.rows = Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-counts': TabstreamCounts;
  }
}
