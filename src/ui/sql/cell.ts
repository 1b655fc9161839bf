import { html, nothing, type TemplateResult } from 'lit';
import { isNull, isoTime, valueText } from './values';

/**
 * A value's cell, as text: NULL distinct (not an empty cell), numbers right-aligned, a
 * timestamp with its ISO time beside it; the whole text in the title, where a long one is cut.
 */
export function valueCell(value: unknown, timestamp: boolean): TemplateResult {
  if (isNull(value)) return html`<td class="null">NULL</td>`;
  const text = valueText(value);
  const iso = timestamp ? isoTime(value) : null;
  return html`<td class=${typeof value === 'number' ? 'num' : nothing} title=${text}>
    ${text}${iso === null ? nothing : html` <span class="iso">${iso}</span>`}
  </td>`;
}
