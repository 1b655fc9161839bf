import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { PathRule, Paths, PathsOptions } from '../../graph';
import { analyticsStyles, Asking } from '../analytics';
import { pagePathsSource, type PathsSource } from './source';

const value = (event: Event) => (event.target as HTMLInputElement).value;

/**
 * `<tabstream-paths-explorer>`: the panels' Paths tab. A start page or an end page, path
 * cleaning rules (a RegExp's source and its replacement, applied in order: `/orders/[^/]+$` →
 * `/orders/*`), the fewest sessions a link needs, and the Sankey (`<tabstream-paths>`) of what
 * `source` (or the page's `window.tabstream.paths`) answers.
 */
export class TabstreamPathsExplorer extends LitElement {
  static override properties = {
    source: { attribute: false },
    origin: {},
    start: { state: true },
    end: { state: true },
    rules: { state: true },
    minCount: { state: true },
  };

  static override styles = analyticsStyles;

  /** Where paths are asked for; default the page's `window.tabstream.paths`. */
  declare source: PathsSource | undefined;
  /** The origin whose pages the Sankey writes as paths; default the page's own. */
  declare origin: string | undefined;
  declare private start: string;
  declare private end: string;
  declare private rules: readonly PathRule[];
  declare private minCount: number;
  /** The paths, or why they could not be had. */
  private readonly asking = new Asking<Paths>(this);

  constructor() {
    super();
    this.start = '';
    this.end = '';
    this.rules = [];
    this.minCount = 1;
  }

  protected override render(): TemplateResult {
    return html`<form @submit=${this.onSubmit}>
        <div class="row">
          <label
            >Start page
            <input
              name="start"
              .value=${this.start}
              placeholder="(any)"
              @input=${(e: Event) => (this.start = value(e))}
          /></label>
          <label
            >End page
            <input
              name="end"
              .value=${this.end}
              placeholder="(any)"
              @input=${(e: Event) => (this.end = value(e))}
          /></label>
          <label
            >At least
            <input
              name="min-count"
              type="number"
              min="1"
              size="4"
              .value=${String(this.minCount)}
              @input=${(e: Event) => (this.minCount = Math.max(1, Number(value(e)) || 1))}
            />
            sessions a link</label
          >
        </div>
        <fieldset>
          <legend>Path cleaning</legend>
          ${this.rules.map((rule, at) => this.ruleRow(rule, at))}
          <button
            type="button"
            @click=${() => (this.rules = [...this.rules, { pattern: '', replacement: '' }])}
          >
            Add a rule
          </button>
        </fieldset>
        <button type="submit" ?disabled=${this.asking.busy}>Show paths</button>
      </form>
      ${this.shown()}`;
  }

  private ruleRow(rule: PathRule, at: number): TemplateResult {
    const set = (change: Partial<PathRule>) =>
      (this.rules = this.rules.map((r, i) => (i === at ? { ...r, ...change } : r)));
    return html`<div class="row rule">
      <input
        aria-label="Pattern (a regular expression)"
        placeholder="/orders/[^/]+$"
        .value=${rule.pattern}
        @input=${(e: Event) => set({ pattern: value(e) })}
      />
      →
      <input
        aria-label="Replacement"
        placeholder="/orders/*"
        .value=${rule.replacement}
        @input=${(e: Event) => set({ replacement: value(e) })}
      />
      <button
        type="button"
        aria-label="Remove rule ${at + 1}"
        @click=${() => (this.rules = this.rules.filter((_, i) => i !== at))}
      >
        ×
      </button>
    </div>`;
  }

  private shown(): TemplateResult | typeof nothing {
    return this.asking.view(
      'Finding the paths…',
      (result) => html`<tabstream-paths .data=${result} .origin=${this.origin}></tabstream-paths>`,
    );
  }

  /** What is asked: the form's fields, empty ones left out. */
  get options(): PathsOptions {
    const rules = this.rules.filter((rule) => rule.pattern !== '');
    return {
      ...(this.start.trim() && { start: this.start.trim() }),
      ...(this.end.trim() && { end: this.end.trim() }),
      ...(rules.length > 0 && { clean: rules }),
      ...(this.minCount > 1 && { minCount: this.minCount }),
    };
  }

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.ask();
  };

  private ask(): Promise<void> {
    return this.asking.ask(() => {
      const source = this.source ?? pagePathsSource();
      if (!source) throw new Error('tabstream has not loaded on this page yet');
      return source.paths(this.options);
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-paths-explorer': TabstreamPathsExplorer;
  }
}
