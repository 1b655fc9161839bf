import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

/** One column of a monitor table: its header, how a row fills its cell, and its total, if any. */
export interface Column<T> {
  readonly header: string;
  /** Right-aligned, in tabular figures. */
  readonly numeric?: boolean;
  /** Prose, such as a description, that wraps (other cells stay on one line). */
  readonly wrap?: boolean;
  /** A header over the consecutive columns that share it (a consumer group's offset and lag). */
  readonly group?: string;
  /**
   * How soon the column hides as the element narrows: 1 (default) never, 2 below 30rem (a
   * phone, a narrow sidebar), 3 below 48rem (DevTools docked at their default 554 px). The
   * first column is always 1, and a grouped column must be too: its group header spans it.
   */
  readonly priority?: 1 | 2 | 3;
  readonly cell: (row: T) => unknown;
  /** Its cell in the Total row, from every row; the Total row shows when some column has one. */
  readonly total?: (rows: readonly T[]) => unknown;
}

/** What `dataTable` shows. */
export interface TableOptions<T> {
  readonly caption: unknown;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  /** The text of the one row shown when there are none. */
  readonly empty: string;
  /** What identifies a row, so that a row (and the focus in it) stays with its job or stage as others come. */
  readonly key: (row: T) => unknown;
}

/**
 * A real table: a caption, column headers, each row's first cell as its row header, and a Total
 * row when a column has a total. As the element narrows, its less important columns hide
 * (`priority`); what still does not fit scrolls sideways, under the first column, which stays.
 */
export function dataTable<T>({
  caption,
  columns,
  rows,
  empty,
  key,
}: TableOptions<T>): TemplateResult {
  const grouped = columns.some((column) => column.group !== undefined);
  const totals = rows.length > 0 && columns.some((column) => column.total);
  return html`<div class="scroll">
    <table part="table">
      <caption>
        ${caption}
      </caption>
      ${grouped ? runs(columns).map((run) => html`<colgroup span=${run.length}></colgroup>`) : nothing}
      <thead>
        ${
          grouped
            ? groupedHeaders(columns)
            : html`<tr>
                ${columns.map((c) => header(c))}
              </tr>`
        }
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td class="empty" colspan=${columns.length}>${empty}</td>
              </tr>`
            : repeat(
                rows,
                key,
                (row) =>
                  html`<tr>
                    ${columns.map((c, i) => cell(c, c.cell(row), i))}
                  </tr>`,
              )
        }
      </tbody>
      ${
        totals
          ? html`<tfoot>
              <tr>
                ${columns.map((c, i) => cell(c, i === 0 ? 'Total' : (c.total?.(rows) ?? nothing), i))}
              </tr>
            </tfoot>`
          : nothing
      }
    </table>
  </div>`;
}

/** A numeric column of a figure of each row, written by `format`, summed in the Total row. */
export function summed<T>(
  header: string,
  figure: (row: T) => number,
  format: (value: number) => string,
  group?: string,
): Column<T> {
  return {
    header,
    numeric: true,
    group,
    cell: (row) => format(figure(row)),
    total: (rows) => format(rows.reduce((sum, row) => sum + figure(row), 0)),
  };
}

/** Two header rows: a group's name over its columns, ungrouped headers spanning both rows. */
function groupedHeaders<T>(columns: readonly Column<T>[]): TemplateResult {
  const all = runs(columns);
  return html`<tr>
      ${all.map(([first, ...rest]) =>
        first!.group === undefined
          ? header(first!, 2)
          : html`<th scope="colgroup" colspan=${rest.length + 1}>${first!.group}</th>`,
      )}
    </tr>
    <tr>
      ${all.filter(([first]) => first!.group !== undefined).map((run) => run.map((c) => header(c)))}
    </tr>`;
}

/** The columns, in runs of consecutive columns of one group (an ungrouped column alone). */
function runs<T>(columns: readonly Column<T>[]): Column<T>[][] {
  const result: Column<T>[][] = [];
  for (const column of columns) {
    const last = result.at(-1);
    if (column.group !== undefined && last?.[0]?.group === column.group) last.push(column);
    else result.push([column]);
  }
  return result;
}

/** A column's classes: its alignment or wrapping, and its priority (`p2`, `p3`) if it hides. */
function classes<T>(column: Column<T>, body: boolean): string | typeof nothing {
  const names = [
    column.numeric ? 'num' : body && column.wrap ? 'wrap' : '',
    (column.priority ?? 1) > 1 ? `p${column.priority}` : '',
  ].filter(Boolean);
  return names.length > 0 ? names.join(' ') : nothing;
}

function header<T>(column: Column<T>, rowspan = 1): TemplateResult {
  return html`<th
    scope="col"
    rowspan=${rowspan === 1 ? nothing : rowspan}
    class=${classes(column, false)}
  >
    ${breakable(column.header)}
  </th>`;
}

/** A header that may break after each `/` ("Succeeded/Total"): narrow, it takes two lines. */
const breakable = (text: string): unknown[] =>
  text.split('/').flatMap((part, i) => (i === 0 ? [part] : [html`/<wbr />`, part]));

function cell<T>(column: Column<T>, content: unknown, index: number): TemplateResult {
  return index === 0
    ? html`<th scope="row" class=${classes(column, true)}>${content}</th>`
    : html`<td class=${classes(column, true)}>${content}</td>`;
}
