import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { Funnel } from '../../funnels';
import { analyticsStyles, Asking } from '../analytics';
import { funnelOptions, newStep, type DraftMatch, type DraftStep } from './draft';
import { pageFunnelSource, type FunnelSource } from './source';

const DAY_MINUTES = 24 * 60;
const value = (event: Event) => (event.target as HTMLInputElement).value;

/**
 * `<tabstream-funnel-explorer>`: the panels' Funnels tab. A list of steps to edit (add, remove;
 * each a page pattern — `*` any characters but `/`, `**` any, or `/a RegExp/` — or a custom
 * event, or any of several: OR; optional or not), the conversion window, by session or tab,
 * and the bars (`<tabstream-funnel>`) of what `source` (or the page's `tabstream.funnel`) answers.
 */
export class TabstreamFunnelExplorer extends LitElement {
  static override properties = {
    source: { attribute: false },
    steps: { state: true },
    windowMinutes: { state: true },
    by: { state: true },
  };

  static override styles = analyticsStyles;

  /** Where funnels are asked for; default the page's `window.tabstream.funnel`. */
  declare source: FunnelSource | undefined;
  declare private steps: readonly DraftStep[];
  declare private windowMinutes: number;
  declare private by: 'session' | 'tab';
  /** The funnel, or why it could not be had. */
  private readonly asking = new Asking<Funnel>(this);

  constructor() {
    super();
    this.steps = [newStep(), newStep()];
    this.windowMinutes = DAY_MINUTES;
    this.by = 'session';
  }

  protected override render(): TemplateResult {
    return html`<form @submit=${this.onSubmit}>
        <ol class="steps">
          ${this.steps.map((step, at) => this.stepEditor(step, at))}
        </ol>
        <div class="row">
          <button type="button" @click=${() => (this.steps = [...this.steps, newStep()])}>
            Add a step
          </button>
          <label
            >Window
            <input
              name="window"
              type="number"
              min="1"
              size="6"
              .value=${String(this.windowMinutes)}
              @input=${(e: Event) => (this.windowMinutes = Number(value(e)) || DAY_MINUTES)}
            />
            minutes</label
          >
          <label
            >By
            <select
              name="by"
              @change=${(e: Event) => (this.by = value(e) === 'tab' ? 'tab' : 'session')}
            >
              <option value="session" ?selected=${this.by === 'session'}>session</option>
              <option value="tab" ?selected=${this.by === 'tab'}>tab</option>
            </select></label
          >
          <button type="submit" ?disabled=${this.asking.busy}>Show the funnel</button>
        </div>
      </form>
      ${this.shown()}`;
  }

  private stepEditor(step: DraftStep, at: number): TemplateResult {
    // Changes apply to the step as it is then, not as rendered: two inputs may change before
    // the next render.
    const set = (change: (now: DraftStep) => Partial<DraftStep>) =>
      (this.steps = this.steps.map((s, i) => (i === at ? { ...s, ...change(s) } : s)));
    const setMatch = (which: number, change: Partial<DraftMatch>) =>
      set((now) => ({
        matches: now.matches.map((m, i) => (i === which ? { ...m, ...change } : m)),
      }));
    return html`<li class="step">
      <fieldset>
        <legend>Step ${at + 1}</legend>
        <div class="row">
          <input
            aria-label="Step ${at + 1}'s name"
            placeholder="name (optional)"
            .value=${step.name}
            @input=${(e: Event) => set(() => ({ name: value(e) }))}
          />
          <label
            ><input
              type="checkbox"
              class="optional"
              .checked=${step.optional}
              @change=${(e: Event) =>
                set(() => ({ optional: (e.target as HTMLInputElement).checked }))}
            />optional</label
          >
          <button
            type="button"
            aria-label="Remove step ${at + 1}"
            ?disabled=${this.steps.length === 1}
            @click=${() => (this.steps = this.steps.filter((_, i) => i !== at))}
          >
            ×
          </button>
        </div>
        ${step.matches.map(
          (match, which) =>
            html`<div class="row match">
              ${which > 0 ? html`<span>or</span>` : nothing}
              <select
                aria-label="Step ${at + 1}: match by"
                @change=${(e: Event) => setMatch(which, { kind: value(e) === 'event' ? 'event' : 'page' })}
              >
                <option value="page" ?selected=${match.kind === 'page'}>page</option>
                <option value="event" ?selected=${match.kind === 'event'}>event</option>
              </select>
              <input
                aria-label="Step ${at + 1}: ${match.kind === 'page' ? 'page pattern' : 'event name'}"
                placeholder=${match.kind === 'page' ? '/checkout/**' : 'signup'}
                .value=${match.value}
                @input=${(e: Event) => setMatch(which, { value: value(e) })}
              />
              ${
                step.matches.length > 1
                  ? html`<button
                      type="button"
                      aria-label="Remove this match"
                      @click=${() =>
                        set((now) => ({ matches: now.matches.filter((_, i) => i !== which) }))}
                    >
                      ×
                    </button>`
                  : nothing
              }
            </div>`,
        )}
        <button
          type="button"
          class="or"
          @click=${() => set((now) => ({ matches: [...now.matches, { kind: 'page', value: '' }] }))}
        >
          Or…
        </button>
      </fieldset>
    </li>`;
  }

  private shown(): TemplateResult | typeof nothing {
    return this.asking.view(
      'Computing the funnel…',
      (result) => html`<tabstream-funnel .data=${result}></tabstream-funnel>`,
    );
  }

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.ask();
  };

  private ask(): Promise<void> {
    return this.asking.ask(() => {
      const options = funnelOptions(this.steps, this.windowMinutes, this.by);
      const source = this.source ?? pageFunnelSource();
      if (!source) throw new Error('tabstream has not loaded on this page yet');
      return source.funnel(options);
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-funnel-explorer': TabstreamFunnelExplorer;
  }
}
