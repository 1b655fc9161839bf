import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { RowRange } from '../shared';
import { valueCell } from './cell';
import { isTimestampColumn } from './values';
import type { SqlResult } from './source';

/** The header row is row 1 of `aria-rowindex`; the first result row is row 2. */
const HEADER_ROWS = 1;

/**
 * The result as a table of which only the rows in `range` are in the DOM; a spacer row stands
 * in for those above and below it (`rowHeight` px each). Every row is one line high, so a long
 * value is cut, whole in its title.
 */
export function resultTable(
  { columns, rows }: SqlResult,
  range: RowRange,
  rowHeight: number,
): TemplateResult {
  const timestamps = columns.map(isTimestampColumn);
  return html`<table part="result" aria-rowcount=${HEADER_ROWS + rows.length}>
    <thead>
      <tr aria-rowindex="1">
        ${columns.map((name) => html`<th scope="col">${name}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${spacer(range.start * rowHeight, columns.length)}
      ${rows.slice(range.start, range.end).map(
        (row, i) =>
          html`<tr part="row" aria-rowindex=${HEADER_ROWS + range.start + i + 1}>
            ${columns.map((_, column) => valueCell(row[column], timestamps[column]!))}
          </tr>`,
      )}
      ${spacer((rows.length - range.end) * rowHeight, columns.length)}
    </tbody>
  </table>`;
}

/** A row standing in for `height` px of rows not rendered; nothing for none. */
function spacer(height: number, columns: number): TemplateResult | typeof nothing {
  return height > 0
    ? html`<tr class="spacer" aria-hidden="true" style=${styleMap({ height: `${height}px` })}>
        <td colspan=${columns}></td>
      </tr>`
    : nothing;
}
