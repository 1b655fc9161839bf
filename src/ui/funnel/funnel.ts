import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { Funnel, FunnelStepResult } from '../../funnels';
import { formatCount, plural } from '../shared';

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/**
 * `<tabstream-funnel>`: the steps of `.data` (src/funnels' `Funnel`) as bars, each as long as
 * its conversion (its count over the first step's), with its count, conversion, conversion
 * from the previous required step and drop-off; optional steps are marked so, and drawn
 * hatched. Every name is rendered as text.
 *
 * @csspart step - each step's row
 * @csspart bar - each step's bar
 * @cssprop --tabstream-accent - the bars
 * @cssprop --tabstream-error - drop-off
 */
export class TabstreamFunnel extends LitElement {
  static override properties = { data: { attribute: false } };

  static override styles = css`
    :host {
      display: block;
      font: var(--tabstream-font, 14px/1.4 system-ui, sans-serif);
      color: var(--tabstream-color, CanvasText);
    }
    ol {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      margin: 0.5em 0;
    }
    .track {
      height: 1.2em;
      background: var(--tabstream-rule, #e3e3e8);
      border-radius: 3px;
      overflow: hidden;
    }
    .bar {
      height: 100%;
      background: var(--tabstream-accent, #4f6bed);
    }
    .optional .bar {
      background: repeating-linear-gradient(
        45deg,
        var(--tabstream-accent, #4f6bed) 0 6px,
        transparent 6px 10px
      );
    }
    .figures {
      color: var(--tabstream-muted, #6b6b76);
      font-size: 0.9em;
    }
    .drop {
      color: var(--tabstream-error, #c62828);
    }
  `;

  /** The funnel drawn; null: nothing yet. */
  declare data: Funnel | null;

  constructor() {
    super();
    this.data = null;
  }

  protected override render(): TemplateResult | typeof nothing {
    const { data } = this;
    if (!data) return nothing;
    return html`<p>${plural(data.entered, 'session')} entered.</p>
      <ol aria-label="Funnel steps">
        ${data.steps.map((step, at) => stepRow(step, at + 1))}
      </ol>`;
  }
}

/** A step's row, numbered `number` (by its place: `step` may count from 0 or from 1). */
function stepRow(step: FunnelStepResult, number: number): TemplateResult {
  return html`<li part="step" class=${step.optional ? 'optional' : ''} data-step=${step.step}>
    <div>
      <strong>${number}. ${step.name}</strong>${step.optional ? html` <em>(optional)</em>` : ''} —
      ${formatCount(step.count)}
    </div>
    <div
      class="track"
      role="meter"
      aria-valuemin="0"
      aria-valuemax="1"
      aria-valuenow=${step.conversion}
      aria-label="${step.name}: ${percent(step.conversion)} converted"
    >
      <div
        class="bar"
        part="bar"
        style="width: ${Math.max(0, Math.min(1, step.conversion)) * 100}%"
      ></div>
    </div>
    <div class="figures">
      <span class="conversion">${percent(step.conversion)} of the first step</span> ·
      <span class="from-previous">${percent(step.fromPrevious)} from the previous</span>
      ${step.dropOff > 0 ? html` · <span class="drop">${formatCount(step.dropOff)} dropped off</span>` : ''}
    </div>
  </li>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-funnel': TabstreamFunnel;
  }
}
