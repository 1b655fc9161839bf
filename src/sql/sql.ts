import { JobFailedError, type EngineContext } from '../engine';
import { Analyzer } from './analyzer';
import type { Statement } from './ast';
import { loadTables, type Table } from './catalog';
import { planText } from './explain';
import { parseStatement } from './parser';
import { Planner } from './planner';
import { prune } from './prune';
import { SqlRuntimeError, type Row } from './scalar';
import './range';
import './tasks';

/** A statement's answer: its columns' names, and its rows as arrays in `columns` order. */
export interface SqlResult {
  readonly columns: string[];
  readonly rows: unknown[][];
}

/** Params of `?` (an array, in order) or `$name` (an object, by name). */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

let queries = 0;

/**
 * Runs a statement of Spark SQL over the log's topics (and the context's temporary views).
 * - must reject with a SqlError naming line and column for what it cannot parse or resolve,
 *   and for what it does not support (by name);
 * - must run every query as a job group of its own (`sql <n>`), which the monitor shows;
 * - must give timestamps as ms since the epoch, as the log keeps them.
 */
export async function sql(
  context: EngineContext,
  text: string,
  params?: SqlParams,
): Promise<SqlResult> {
  const statement = parseStatement(text);
  const tables = await loadTables(context);
  switch (statement.kind) {
    case 'show-tables':
      return showTables(tables);
    case 'describe':
      return describe(context, tables, statement);
    case 'explain':
      return {
        columns: ['plan'],
        rows: [[await explainStatement(context, text, statement.statement, params)]],
      };
    case 'query':
      return query(context, text, statement, tables, params);
  }
}

/** The plan of a query as text: the logical plan, then the datasets (and stages) it runs as. */
export async function explain(
  context: EngineContext,
  text: string,
  params?: SqlParams,
): Promise<string> {
  const statement = parseStatement(text);
  const target = statement.kind === 'explain' ? statement.statement : statement;
  if (target.kind !== 'query')
    return `${target.kind === 'show-tables' ? 'SHOW TABLES' : 'DESCRIBE'}: reads the catalog`;
  return explainStatement(context, text, target, params);
}

async function explainStatement(
  context: EngineContext,
  text: string,
  statement: Extract<Statement, { kind: 'query' }>,
  params?: SqlParams,
): Promise<string> {
  const analysis = new Analyzer(text, await loadTables(context), params, Date.now()).analyze(
    statement,
  );
  const planner = new Planner(context);
  const root = analysis.plan.kind === 'sort' ? analysis.plan.input : analysis.plan;
  const stages = planner.dataset(prune(root)).toDebugString();
  return `== Logical plan ==\n${planText(analysis.plan)}\n\n== Datasets (a shuffle starts a stage) ==\n${stages}`;
}

async function query(
  context: EngineContext,
  text: string,
  statement: Extract<Statement, { kind: 'query' }>,
  tables: Map<string, Table>,
  params?: SqlParams,
): Promise<SqlResult> {
  const analysis = new Analyzer(text, tables, params, Date.now()).analyze(statement);
  const planner = new Planner(context);
  const group = `sql ${++queries}: ${text.replace(/\s+/g, ' ').trim().slice(0, 80)}`;
  const inGroup = (rows: () => Promise<Row[]>): Promise<Row[]> => {
    const { jobGroup, jobPriority } = context.status;
    context.status.setJobGroup(group);
    try {
      return rows();
    } finally {
      context.status.setJobGroup(jobGroup, jobPriority);
    }
  };
  try {
    for (const call of analysis.calls) call.fill(await inGroup(() => call.run(context)));
    for (const subquery of analysis.subqueries)
      subquery.fill(await inGroup(() => planner.rows(subquery.rel.plan)));
    const rows = await inGroup(() => planner.rows(analysis.plan));
    return { columns: [...analysis.names], rows };
  } catch (error) {
    throw valueError(error) ?? error;
  }
}

/** A job that failed of SQL's error of a value, as that error: `[DIVIDE_BY_ZERO] …`, not a task's. */
function valueError(error: unknown): SqlRuntimeError | null {
  const cause = error instanceof JobFailedError ? (error.cause as Error | null) : null;
  return cause?.name === 'SqlRuntimeError' ? new SqlRuntimeError(cause.message) : null;
}

function showTables(tables: Map<string, Table>): SqlResult {
  const rows = [...tables.values()]
    .map((t) => ['', t.name, t.kind === 'view'])
    .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
  return { columns: ['namespace', 'tableName', 'isTemporary'], rows };
}

async function describe(
  context: EngineContext,
  tables: Map<string, Table>,
  statement: Extract<Statement, { kind: 'describe' }>,
): Promise<SqlResult> {
  const { rows } = await sql(context, `SELECT * FROM ${quote(statement.table)} LIMIT 100`).catch(
    () => ({ rows: [] as unknown[][] }),
  );
  const table = tables.get(statement.table.toLowerCase());
  if (!table) await sql(context, `SELECT * FROM ${quote(statement.table)}`); // throws, naming it
  const names = table!.names;
  return {
    columns: ['col_name', 'data_type', 'comment'],
    rows: names.map((name, i) => [
      name,
      META_TYPES[name] ?? typeOf(rows.map((row) => row[i])),
      null,
    ]),
  };
}

/** The metadata columns' types, as Spark's Kafka source gives them. */
const META_TYPES: Readonly<Record<string, string>> = {
  _partition: 'int',
  _offset: 'bigint',
  _timestamp: 'timestamp',
  _key: 'string',
};

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** The type a column's values have: Spark's name for it, or `string` when unknown. */
function typeOf(values: readonly unknown[]): string {
  const types = new Set(values.filter((v) => v !== null).map((v) => typeof v));
  if (types.size !== 1) return types.size ? 'mixed' : 'string';
  const [type] = types;
  if (type === 'number')
    return values.every((v) => v === null || Number.isInteger(v)) ? 'bigint' : 'double';
  return type === 'boolean' ? 'boolean' : 'string';
}
