import type { EngineContext } from '../engine';
import { explain, sql, type SqlParams, type SqlResult } from './sql';
import {
  dropStream,
  listStreams,
  registerStream,
  streamResults,
  subscribeStream,
  type SqlStream,
} from './streams';

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
  /**
   * Registers a continuous query with the leader's streaming jobs (checkpointed, exactly once,
   * resumed after reloads and leader changes): one GROUP BY over one topic, with
   * `GROUP BY window(_timestamp, '1 minute'[, '30 seconds'])` for time windows.
   */
  stream(name: string, text: string): Promise<SqlStream>;
  /** Stream `name`'s answer as of its last committed batch. */
  results(name: string): Promise<SqlResult>;
  /** Calls `listener` with stream `name`'s answer after each of its batches; returns the unsubscribe. */
  subscribe(name: string, listener: (result: SqlResult) => void): () => void;
  /** The registered streams, oldest first. */
  streams(): Promise<SqlStream[]>;
  /** Ends stream `name` and deletes its results; resolves false if there was none. */
  drop(name: string): Promise<boolean>;
}

/** `tabstream.sql` for one engine context. */
export function sqlApi(context: () => EngineContext): SqlApi {
  const run = (text: string, params?: SqlParams) => sql(context(), text, params);
  return Object.assign(run, {
    explain: (text: string, params?: SqlParams) => explain(context(), text, params),
    stream: (name: string, text: string) => registerStream(context(), name, text),
    results: (name: string) => streamResults(context(), name),
    subscribe: (name: string, listener: (result: SqlResult) => void) =>
      subscribeStream(context(), name, listener),
    streams: () => listStreams(context().log),
    drop: (name: string) => dropStream(context(), name),
    async table(text: string, params?: SqlParams) {
      const { columns, rows } = await run(text, params);
      const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
      console.table(objects);
      return objects;
    },
  });
}
