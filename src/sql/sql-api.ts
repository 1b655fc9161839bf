import type { EngineContext } from '../engine';
import { explain, sql, type SqlParams, type SqlResult } from './sql';

/**
 * `tabstream.sql`: Spark SQL over this tab's log, on this tab's engine.
 * `await tabstream.sql('SELECT page, count(*) FROM clicks GROUP BY 1 ORDER BY 2 DESC LIMIT 10')`.
 */
export interface SqlApi {
  /** The statement's columns and rows (see `SqlResult`); `?` or `$name` bound from `params`. */
  (text: string, params?: SqlParams): Promise<SqlResult>;
  /** The plan as text: logical, then the datasets and stages it runs as. */
  explain(text: string, params?: SqlParams): Promise<string>;
  /** Prints the rows with `console.table`, and resolves with them as objects by column. */
  table(text: string, params?: SqlParams): Promise<Record<string, unknown>[]>;
}

/** `tabstream.sql` for one engine context. */
export function sqlApi(context: () => EngineContext): SqlApi {
  const run = (text: string, params?: SqlParams) => sql(context(), text, params);
  return Object.assign(run, {
    explain: (text: string, params?: SqlParams) => explain(context(), text, params),
    async table(text: string, params?: SqlParams) {
      const { columns, rows } = await run(text, params);
      const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
      console.table(objects);
      return objects;
    },
  });
}
