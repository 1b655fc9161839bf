import { fn, type EngineContext } from '../engine';
import type { Result, StreamingContext } from '../streaming';
import { compileAggregates } from './aggregates';
import { Analyzer } from './analyzer';
import type { AggregateSpec, Bound, SortKey } from './bound';
import { loadTables } from './catalog';
import type { Plan, TimeWindow } from './logical';
import { compileOrdering } from './ordering';
import { parseStatement } from './parser';
import { compileScalar, isTrue, type Row } from './scalar';
import { SqlError } from './sql-error';
import type { SqlResult } from './sql';
import { TASK, type KeyedParams } from './tasks';

/**
 * A continuous query, split where Spark's streaming aggregation splits it: what runs on every
 * micro-batch's records (a scan of one topic, WHERE, time windows, the GROUP BY's keys and
 * aggregates, kept as state), and what a reader applies to the state's rows (HAVING, the
 * select list, ORDER BY and LIMIT).
 */
export interface StreamQuery {
  readonly topic: string;
  readonly names: readonly string[];
  readonly where: Bound | null;
  readonly window: TimeWindow | null;
  readonly keys: readonly Bound[];
  readonly aggregates: readonly AggregateSpec[];
  readonly having: Bound | null;
  readonly select: readonly Bound[];
  readonly sort: { readonly keys: readonly SortKey[]; limit: number | null; offset: number } | null;
  readonly columns: readonly string[];
}

/**
 * Analyzes `text` as a continuous query.
 * - must reject with a SqlError what a stream cannot keep: anything but one GROUP BY over one
 *   topic (joins, window functions, DISTINCT, UNION, subqueries, table functions), as Spark's
 *   streaming does.
 */
export async function streamQuery(context: EngineContext, text: string): Promise<StreamQuery> {
  const statement = parseStatement(text);
  if (statement.kind !== 'query') throw new SqlError('a continuous query is a SELECT', text, null);
  const analysis = new Analyzer(text, await loadTables(context), undefined, Date.now()).analyze(
    statement,
  );
  if (analysis.subqueries.length) throw unsupported(text, 'subqueries');
  if (analysis.calls.length) throw unsupported(text, 'a table function');
  let plan = analysis.plan;
  if (plan.kind === 'project' && plan.input.kind === 'sort') plan = plan.input; // ORDER BY's own slots, cut below
  const sort = plan.kind === 'sort' ? plan : null;
  if (sort) plan = sort.input;
  if (plan.kind !== 'project') throw unsupported(text, plan.kind);
  const select = plan.exprs;
  plan = plan.input;
  const having = plan.kind === 'filter' ? plan.condition : null;
  if (plan.kind === 'filter') plan = plan.input;
  if (plan.kind !== 'aggregate')
    throw new SqlError(
      'a continuous query aggregates: it needs GROUP BY or an aggregate function',
      text,
      null,
    );
  const { keys, aggregates } = plan;
  plan = plan.input;
  const window = plan.kind === 'time-window' ? plan.window : null;
  if (plan.kind === 'time-window') plan = plan.input;
  const where = plan.kind === 'filter' ? plan.condition : null;
  if (plan.kind === 'filter') plan = plan.input;
  if (plan.kind !== 'scan') throw unsupported(text, plan.kind);
  return {
    topic: plan.topic,
    names: plan.names,
    where,
    window,
    keys,
    aggregates,
    having,
    select,
    sort: sort && { keys: sort.keys, limit: sort.limit, offset: sort.offset },
    columns: analysis.names,
  };
}

function unsupported(
  text: string,
  what: Plan['kind'] | 'subqueries' | 'a table function',
): SqlError {
  return new SqlError(
    `a continuous query is one GROUP BY over one topic: ${what} is not supported in a stream`,
    text,
    null,
  );
}

/**
 * Declares the query's job on `ssc`: each batch's rows aggregated by key (map-side first),
 * merged into the state of every key so far, and published as result `name`.
 */
export function declareStream(ssc: StreamingContext, query: StreamQuery, name: string): void {
  const params = { aggregates: query.aggregates };
  let rows = ssc
    .fromLog(query.topic, { group: `tabstream-sql-${name}` })
    .map<Row>(fn(TASK.fromConsumerRecord, { names: query.names }));
  if (query.where) rows = rows.filter(fn(TASK.filter, { condition: query.where }));
  if (query.window) rows = rows.flatMap<Row>(fn(TASK.timeWindows, query.window));
  const keyed: KeyedParams = { keys: query.keys, nullsApart: false };
  rows
    .map<[unknown[], unknown[]]>(fn(TASK.aggregateRow, { ...params, ...keyed }))
    .reduceByKey(fn(TASK.aggregateMerge, params))
    .updateStateByKey(fn(TASK.aggregateState, params))
    .publish(name);
}

/** A stream's published state as the query's answer: HAVING, select list, ORDER BY, LIMIT. */
export function streamResult(query: StreamQuery, result: Result | undefined): SqlResult {
  const aggregates = compileAggregates(query.aggregates);
  const having = query.having ? compileScalar(query.having) : null;
  const select = query.select.map(compileScalar);
  let grouped = Object.entries(result ?? {}).map(([key, states]): Row => [
    ...(JSON.parse(key) as unknown[]),
    ...aggregates.finish(states as unknown[]),
  ]);
  if (query.keys.length === 0 && grouped.length === 0)
    grouped = [aggregates.finish(aggregates.init())];
  if (having) grouped = grouped.filter((row) => isTrue(having(row)));
  let rows = grouped.map((row) => select.map((expr) => expr(row)));
  if (query.sort) {
    const { keys, limit, offset } = query.sort;
    rows = rows
      .sort(compileOrdering(keys))
      .slice(offset, limit === null ? undefined : offset + limit);
    rows = rows.map((row) => row.slice(0, query.columns.length));
  }
  return { columns: [...query.columns], rows };
}
