import { html, nothing, type TemplateResult } from 'lit';
import type { SqlResult, SqlSource, SqlStream } from './source';
import { formatCount, plural } from '../shared';
import { valueCell } from './cell';
import { isTimestampColumn } from './values';

/** A continuous query with its latest results, or why they could not be read. */
export interface StreamView {
  readonly stream: SqlStream;
  readonly result: SqlResult | null;
  readonly error: string | null;
}

/** Rows of a continuous query's results shown at most: they are its latest, not a history. */
const SHOWN_ROWS = 50;

/** The source's continuous queries, each with its latest results; [] where it has none. */
export async function readStreams(source: SqlSource | undefined): Promise<StreamView[]> {
  if (!source?.streams) return [];
  const streams = await source.streams();
  return Promise.all(
    streams.map(async (stream): Promise<StreamView> => {
      try {
        const result = source.results ? await source.results(stream.name) : null;
        return { stream, result, error: null };
      } catch (error) {
        return {
          stream,
          result: null,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }),
  );
}

/**
 * The running continuous queries: each one's name, text and latest results; or why they could
 * not be read (`streams` a sentence), or that they are being read (null).
 */
export function streamsSection(streams: readonly StreamView[] | string | null): TemplateResult {
  if (streams === null) return html`<p class="muted">Loading…</p>`;
  if (typeof streams === 'string') return html`<p class="error" role="alert">${streams}</p>`;
  if (streams.length === 0)
    return html`<p class="muted" part="no-streams">No continuous queries.</p>`;
  return html`${streams.map(
    ({ stream, result, error }) =>
      html`<article part="stream">
        <h4>${stream.name}</h4>
        <pre class="query">${stream.text}</pre>
        ${error === null ? nothing : html`<pre class="error" role="alert">${error}</pre>`}
        ${result === null ? nothing : smallTable(result)}
      </article>`,
  )}`;
}

/** A small result, not virtualised: its first rows, saying how many more there are. */
function smallTable({ columns, rows }: SqlResult): TemplateResult {
  const timestamps = columns.map(isTimestampColumn);
  const shown = rows.slice(0, SHOWN_ROWS);
  return html`<div class="scroll small">
    <table>
      <caption>
        ${
          rows.length > shown.length
            ? `First ${formatCount(shown.length)} of ${plural(rows.length, 'row')}`
            : plural(rows.length, 'row')
        }
      </caption>
      <thead>
        <tr>
          ${columns.map((name) => html`<th scope="col">${name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${shown.map(
          (row) =>
            html`<tr>
              ${columns.map((_, i) => valueCell(row[i], timestamps[i]!))}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
