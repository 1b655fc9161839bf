import type { EngineContext } from '../engine';
import type { Cte, Expr, OrderItem, Pos, Query, Relation, Select, SetExpr } from './ast';
import type { Bound, SortKey } from './bound';
import {
  Binder,
  hasAggregate,
  hasCall,
  sameBound,
  sortKey,
  type Binding,
  type Grouping,
  type WindowCall,
} from './bind';
import type { Table } from './catalog';
import { expressionName } from './expression-name';
import { widthOf, type Plan, type TimeWindow } from './logical';
import { intervalTextMs } from './parse-literals';
import { lookup, requalify, type Column, type Rel } from './scope';
import { compileScalar } from './scalar';
import { didYouMean, SqlError } from './sql-error';
import { tableFunction, TableFunctionError, tableFunctionNames } from './table-functions';

/** An uncorrelated subquery, run before its query: its rows fill the places that use them. */
export interface Subquery {
  readonly rel: Rel;
  readonly fill: (rows: unknown[][]) => void;
}

/** A table function's call, run before its query (and its subqueries): its rows fill its table. */
export interface TableCall {
  readonly run: (context: EngineContext) => Promise<unknown[][]>;
  readonly fill: (rows: unknown[][]) => void;
}

/**
 * A statement analyzed: the plan of its rows, their column names, and what to run first: table
 * functions' calls, then subqueries.
 */
export interface Analysis {
  readonly plan: Plan;
  readonly names: readonly string[];
  readonly calls: readonly TableCall[];
  readonly subqueries: readonly Subquery[];
}

type Ctes = ReadonlyMap<string, Cte>;

/**
 * Resolves a query's names against the tables, and makes its logical plan.
 * - must name what it cannot resolve (table, column, function) with its place, and a near name;
 * - must say by name what it does not support, never plan a wrong answer.
 */
export class Analyzer implements Binding {
  readonly subqueries: Subquery[] = [];
  readonly calls: TableCall[] = [];
  private readonly expanding = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly tables: ReadonlyMap<string, Table>,
    private readonly params: unknown,
    readonly now: number,
  ) {}

  analyze(query: Query): Analysis {
    const rel = this.query(query, new Map());
    const names = rel.columns.map((c) => c.name);
    return { plan: rel.plan, names, calls: this.calls, subqueries: this.subqueries };
  }

  error(reason: string, pos: Pos | null): never {
    throw new SqlError(reason, this.text, pos);
  }

  param(e: Extract<Expr, { kind: 'param' }>): unknown {
    const params = this.params as Record<string, unknown> | unknown[] | undefined;
    const value =
      e.name !== null
        ? (params as Record<string, unknown> | undefined)?.[e.name]
        : Array.isArray(params)
          ? params[e.index!]
          : undefined;
    if (value === undefined)
      this.error(
        `no value given for parameter ${e.name !== null ? `$${e.name}` : `${e.index! + 1}`}`,
        e.pos,
      );
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
      this.error(`a parameter is a string, a number, a boolean or null`, e.pos);
    return value;
  }

  subquery(query: Query, fill: (rows: unknown[][]) => void, outer: readonly Column[]): Rel {
    this.outer.push(outer);
    try {
      const rel = this.query(query, this.ctes);
      this.subqueries.push({ rel, fill });
      return rel;
    } finally {
      this.outer.pop();
    }
  }

  private readonly outer: (readonly Column[])[] = [];

  isOuterColumn(parts: readonly string[]): boolean {
    return this.outer.some(
      (columns) =>
        lookup(columns, null, parts[0]!) >= 0 ||
        (parts.length > 1 && lookup(columns, parts[0]!, parts[1]!) >= 0),
    );
  }

  private ctes: Ctes = new Map();

  private query(q: Query, outer: Ctes): Rel {
    const ctes = new Map(outer);
    for (const cte of q.with) ctes.set(cte.name.toLowerCase(), cte);
    const saved = this.ctes;
    this.ctes = ctes;
    try {
      const limit = this.count(q.limit, 'LIMIT');
      const offset = this.count(q.offset, 'OFFSET') ?? 0;
      if (q.body.kind === 'select') return this.select(q.body, q.orderBy, limit, offset);
      const rel = this.setExpr(q.body);
      if (!q.orderBy.length && limit === null && !offset) return rel;
      const binder = new Binder(this, rel.columns, 'ORDER BY');
      const keys = q.orderBy.map((item) =>
        sortKey(item, (e) => this.outputSlot(e, rel.columns) ?? binder.bind(e)),
      );
      return { plan: { kind: 'sort', input: rel.plan, keys, limit, offset }, columns: rel.columns };
    } finally {
      this.ctes = saved;
    }
  }

  private count(e: Expr | null, clause: string): number | null {
    if (!e) return null;
    const value = e.kind === 'literal' ? e.value : e.kind === 'param' ? this.param(e) : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      this.error(`${clause} takes a whole number, at least 0`, e.pos);
    return value;
  }

  private setExpr(body: SetExpr): Rel {
    switch (body.kind) {
      case 'select':
        return this.select(body, [], null, 0);
      case 'nested':
        return this.query(body.query, this.ctes);
      case 'union': {
        const left = this.setExpr(body.left);
        const right = this.setExpr(body.right);
        if (left.columns.length !== right.columns.length)
          this.error(
            `UNION of ${left.columns.length} and ${right.columns.length} columns: both sides must have as many`,
            body.pos,
          );
        const union: Plan = { kind: 'union', inputs: [left.plan, right.plan] };
        const columns = requalify(left.columns, null);
        return { plan: body.all ? union : { kind: 'distinct', input: union }, columns };
      }
    }
  }

  /** A SELECT with its query's ORDER BY and LIMIT, which may name what it does not select. */
  private select(
    s: Select,
    orderBy: readonly OrderItem[],
    limit: number | null,
    offset: number,
  ): Rel {
    const from = s.from ? this.relation(s.from) : ONE_ROW;
    let plan = from.plan;
    if (s.where) {
      if (hasAggregate(s.where))
        this.error('aggregate functions are not allowed in WHERE', s.where.pos);
      const condition = new Binder(this, from.columns, 'WHERE').bind(s.where);
      plan = { kind: 'filter', input: plan, condition };
      pushTimeBound(condition, from.plan);
    }
    const items = this.expandStars(s, from.columns);
    const grouped =
      s.groupBy.length > 0 ||
      s.having !== null ||
      items.some((item) => item.expr && hasAggregate(item.expr)) ||
      orderBy.some((item) => hasAggregate(item.expr));
    const windows: WindowCall[] = [];
    const timeWindow = this.timeWindow(s, from.columns);
    const input = timeWindow ? [...from.columns, WINDOW_COLUMN] : from.columns;
    if (timeWindow) plan = { kind: 'time-window', input: plan, window: timeWindow };
    const grouping = grouped ? this.grouping(s, items, input) : null;
    const binder = new Binder(this, input, 'the select list', grouping, windows);
    const exprs = items.map((item) => item.bound ?? binder.bind(item.expr!));
    const having =
      s.having &&
      new Binder(this, input, 'HAVING', grouping, null, aliasesOf(items)).bind(s.having);
    const names = items.map((item) => item.name);
    const sortBinder = new Binder(this, input, 'ORDER BY', grouping, windows);
    const hidden: Bound[] = [];
    const keys = orderBy.map((item) =>
      sortKey(item, (e) => {
        const slot = this.outputSlot(
          e,
          names.map((name) => ({ name, qualifier: null })),
        );
        if (slot !== null) return slot;
        if (s.distinct)
          this.error('with SELECT DISTINCT, ORDER BY names only selected columns', e.pos);
        const bound = sortBinder.bind(e);
        const known = [...exprs, ...hidden].findIndex((x) => sameBound(x, bound));
        return ['col', known !== -1 ? known : exprs.length + hidden.push(bound) - 1];
      }),
    );
    if (grouping) {
      plan = {
        kind: 'aggregate',
        input: plan,
        keys: grouping.keys,
        aggregates: grouping.aggregates,
      };
      if (having) plan = { kind: 'filter', input: plan, condition: having };
    }
    plan = planWindows(plan, windows);
    plan = { kind: 'project', input: plan, exprs: [...exprs, ...hidden] };
    if (s.distinct) plan = { kind: 'distinct', input: plan };
    if (keys.length || limit !== null || offset)
      plan = { kind: 'sort', input: plan, keys, limit, offset };
    if (hidden.length)
      plan = { kind: 'project', input: plan, exprs: exprs.map((_, i): Bound => ['col', i]) };
    return { plan, columns: names.map((name) => ({ name, qualifier: null })) };
  }

  /** The time windows of `GROUP BY window(time, size[, slide[, start]])`, if it has them. */
  private timeWindow(s: Select, input: readonly Column[]): TimeWindow | null {
    const call = s.groupBy.find((e) => e.kind === 'call' && e.name === 'window');
    if (call?.kind !== 'call') return null;
    if (call.args.length < 2 || call.args.length > 4)
      this.error('window takes a time, a size, and optionally a slide and a start', call.pos);
    const [time, ...durations] = call.args;
    const [sizeMs, slideMs = sizeMs, startMs = 0] = durations.map((d) => this.duration(d));
    if (slideMs! <= 0 || sizeMs! <= 0)
      this.error('a window and its slide last more than 0', call.pos);
    const bound = new Binder(this, input, 'window').bind(time!);
    return { time: bound, sizeMs: sizeMs!, slideMs: slideMs!, startMs: startMs };
  }

  /** A duration: `'1 minute'` or `interval 1 minute`, in ms. */
  private duration(e: Expr): number {
    if (e.kind === 'interval') return e.ms;
    const ms = e.kind === 'literal' && typeof e.value === 'string' ? intervalTextMs(e.value) : null;
    if (typeof ms !== 'number')
      this.error(ms ?? `a duration is a string such as '1 minute'`, e.pos);
    return ms;
  }

  /** ORDER BY's ordinal (`ORDER BY 2`) or an output column's name, as a slot; else null. */
  private outputSlot(e: Expr, output: readonly Column[]): Bound | null {
    if (e.kind === 'literal' && typeof e.value === 'number') {
      if (!Number.isInteger(e.value) || e.value < 1 || e.value > output.length)
        this.error(
          `ORDER BY position ${e.value} is not in the select list (1 to ${output.length})`,
          e.pos,
        );
      return ['col', e.value - 1];
    }
    if (e.kind !== 'column' || e.parts.length !== 1) return null;
    const name = e.parts[0]!.toLowerCase();
    const slot = output.findIndex((c) => c.name.toLowerCase() === name);
    return slot === -1 ? null : ['col', slot];
  }

  private grouping(s: Select, items: readonly Item[], input: readonly Column[]): Grouping {
    const binder = new Binder(this, input, 'GROUP BY');
    const keys = s.groupBy.map((e): Bound => {
      const item = this.groupItem(e, items, input);
      if (item?.bound) return item.bound;
      const expr = item?.expr ?? e;
      if (hasAggregate(expr)) this.error('aggregate functions are not allowed in GROUP BY', e.pos);
      if (hasCall(expr, (c) => c.over !== null))
        this.error('window functions are not allowed in GROUP BY', e.pos);
      return binder.bind(expr);
    });
    return { input, keys, aggregates: [] };
  }

  /** The select item a GROUP BY term names by position (`GROUP BY 1`) or by alias, if it does. */
  private groupItem(e: Expr, items: readonly Item[], input: readonly Column[]): Item | null {
    if (e.kind === 'literal' && typeof e.value === 'number') {
      const item = items[e.value - 1];
      if (!Number.isInteger(e.value) || !item)
        this.error(
          `GROUP BY position ${e.value} is not in the select list (1 to ${items.length})`,
          e.pos,
        );
      if (item.expr && hasAggregate(item.expr))
        this.error(`GROUP BY position ${e.value} is an aggregate`, e.pos);
      return item;
    }
    if (e.kind !== 'column' || e.parts.length !== 1) return null;
    const name = e.parts[0]!.toLowerCase();
    if (input.some((c) => !c.hidden && c.name.toLowerCase() === name)) return null;
    return items.find((item) => item.alias?.toLowerCase() === name) ?? null;
  }

  private expandStars(s: Select, columns: readonly Column[]): Item[] {
    return s.items.flatMap((item): Item[] => {
      if (item.expr.kind !== 'star') {
        const name = item.alias ?? expressionName(item.expr);
        return [{ expr: item.expr, bound: null, name, alias: item.alias }];
      }
      const { table, pos } = item.expr;
      const matching = columns
        .map((column, slot) => ({ column, slot }))
        .filter(
          ({ column }) =>
            !column.hidden &&
            (table === null || column.qualifier?.toLowerCase() === table.toLowerCase()),
        );
      if (table !== null && !matching.length)
        this.error(`unknown table "${table}" in ${table}.*`, pos);
      return matching.map(({ column, slot }) => {
        column.origin?.scan.used.add(column.origin.slot);
        return { expr: null, bound: ['col', slot], name: column.name, alias: null };
      });
    });
  }

  private relation(r: Relation): Rel {
    switch (r.kind) {
      case 'table':
        return this.table(r.name, r.alias, r.pos);
      case 'derived':
        return this.derived(r.query, r.alias, null);
      case 'function':
        return this.tableFunction(r);
      case 'join':
        return this.join(r);
    }
  }

  /** A table function's call: its arguments constants, checked now; its rows made before the query. */
  private tableFunction(r: Extract<Relation, { kind: 'function' }>): Rel {
    const definition = tableFunction(r.name);
    if (!definition) {
      const near = didYouMean(r.name, tableFunctionNames());
      this.error(
        `unknown table function "${r.name}"${near ? ` (did you mean "${near}"?)` : ''}`,
        r.pos,
      );
    }
    const args = r.args.map(({ name, expr }) => ({
      name: name === null ? null : name.toLowerCase(),
      value: this.constant(expr, `an argument of ${r.name}`),
      interval: expr.kind === 'interval',
    }));
    let bound: unknown;
    try {
      bound = definition.bind(args);
    } catch (error) {
      if (!(error instanceof TableFunctionError)) throw error;
      const at = error.argument === null ? r.pos : (r.args[error.argument]?.pos ?? r.pos);
      this.error(`${r.name}(…): ${error.message}`, at);
    }
    const rows: unknown[][] = [];
    this.calls.push({
      run: (context) => definition.run(context, bound),
      fill: (made) => rows.push(...made),
    });
    const shown = args.map((a) => `${a.name ? `${a.name} => ` : ''}${JSON.stringify(a.value)}`);
    const call = `${r.name}(${shown.join(', ')})`;
    const plan: Plan = { kind: 'values', rows, width: definition.columns.length, call };
    const qualifier = r.alias ?? r.name;
    return { plan, columns: definition.columns.map((name) => ({ name, qualifier })) };
  }

  /** An expression of no column, evaluated now (a table function's argument). */
  private constant(e: Expr, clause: string): unknown {
    return compileScalar(new Binder(this, [], clause).bind(e))([]);
  }

  private table(name: string, alias: string | null, pos: Pos): Rel {
    const key = name.toLowerCase();
    const cte = this.ctes.get(key);
    if (cte && !this.expanding.has(key)) {
      this.expanding.add(key);
      try {
        return this.derived(cte.query, alias ?? cte.name, cte.columns);
      } finally {
        this.expanding.delete(key);
      }
    }
    const table = this.tables.get(key);
    if (!table) {
      const near = didYouMean(
        name,
        [...this.tables.values()]
          .map((t) => t.name)
          .concat([...this.ctes.values()].map((c) => c.name)),
      );
      this.error(`unknown table "${name}"${near ? ` (did you mean "${near}"?)` : ''}`, pos);
    }
    const qualifier = alias ?? table.name;
    if (table.kind === 'view') {
      const plan: Plan = {
        kind: 'view',
        name: table.name,
        dataset: table.dataset,
        names: table.names,
        objects: table.objects,
      };
      return { plan, columns: table.names.map((n) => ({ name: n, qualifier })) };
    }
    const plan: Extract<Plan, { kind: 'scan' }> = {
      kind: 'scan',
      topic: table.name,
      names: table.names,
      used: new Set<number>(),
      minTimestamp: null,
    };
    return {
      plan,
      columns: table.names.map((n, slot) => ({ name: n, qualifier, origin: { scan: plan, slot } })),
    };
  }

  private derived(query: Query, alias: string | null, names: readonly string[] | null): Rel {
    const rel = this.query(query, this.ctes);
    if (names && names.length !== rel.columns.length)
      this.error(
        `${alias} names ${names.length} columns, its query has ${rel.columns.length}`,
        query.pos,
      );
    return { plan: rel.plan, columns: requalify(rel.columns, alias, names ?? undefined) };
  }

  private join(r: Extract<Relation, { kind: 'join' }>): Rel {
    const left = this.relation(r.left);
    const right = this.relation(r.right);
    const width = left.columns.length;
    const using = r.using?.map((name) => name.toLowerCase()) ?? [];
    const columns = [
      ...left.columns,
      ...right.columns.map((c) =>
        using.includes(c.name.toLowerCase()) ? { ...c, hidden: true } : c,
      ),
    ];
    const conjuncts: Bound[] = [];
    const binder = new Binder(this, columns, 'ON');
    if (r.on) {
      if (hasAggregate(r.on)) this.error('aggregate functions are not allowed in ON', r.on.pos);
      splitAnd(binder.bind(r.on), conjuncts);
    }
    for (const name of r.using ?? []) {
      const l = left.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
      const rr = right.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
      if (l === -1 || rr === -1) this.error(`USING column "${name}" is not on both sides`, r.pos);
      for (const c of [left.columns[l]!, right.columns[rr]!])
        c.origin?.scan.used.add(c.origin.slot);
      conjuncts.push(['call', 'eq', ['col', l], ['col', width + rr]]);
    }
    const leftKeys: Bound[] = [];
    const rightKeys: Bound[] = [];
    const residual: Bound[] = [];
    for (const c of conjuncts) {
      const sides = c[0] === 'call' && c[1] === 'eq' ? [c[2]!, c[3]!] : null;
      const [a, b] = sides?.map((x) => sideOf(x, width)) ?? [];
      if (sides && a === 'left' && b === 'right') {
        leftKeys.push(sides[0]!);
        rightKeys.push(shift(sides[1]!, -width));
      } else if (sides && a === 'right' && b === 'left') {
        leftKeys.push(sides[1]!);
        rightKeys.push(shift(sides[0]!, -width));
      } else residual.push(c);
    }
    const type = r.type === 'cross' || (r.type === 'inner' && !r.on && !r.using) ? 'cross' : r.type;
    const plan: Plan = {
      kind: 'join',
      type,
      left: left.plan,
      right: right.plan,
      leftKeys,
      rightKeys,
      residual: residual.length ? residual.reduce((a, b) => ['call', 'and', a, b]) : null,
    };
    return { plan, columns };
  }
}

/** A select list's item once `*` is expanded: an expression, or a slot of the input. */
interface Item {
  readonly expr: Expr | null;
  readonly bound: Bound | null;
  readonly name: string;
  readonly alias: string | null;
}

/** The select list's aliases of expressions, by lower-case name. */
function aliasesOf(items: readonly Item[]): Map<string, Expr> {
  const aliases = new Map<string, Expr>();
  for (const { alias, expr } of items) if (alias && expr) aliases.set(alias.toLowerCase(), expr);
  return aliases;
}

/** The slot `GROUP BY window(…)` appends: `window`, a struct of `start` and `end`. */
const WINDOW_COLUMN: Column = { name: 'window', qualifier: null, timeWindow: true };

const ONE_ROW: Rel = { plan: { kind: 'values', rows: [[]], width: 0 }, columns: [] };

function splitAnd(b: Bound, into: Bound[]): void {
  if (b[0] === 'call' && b[1] === 'and')
    for (const term of b.slice(2) as Bound[]) splitAnd(term, into);
  else into.push(b);
}

/** Which side of a join a bound expression reads: 'left', 'right', 'both', or 'none'. */
function sideOf(b: Bound, width: number): 'left' | 'right' | 'both' | 'none' {
  const slots = slotsOf(b);
  if (!slots.length) return 'none';
  if (slots.every((s) => s < width)) return 'left';
  return slots.every((s) => s >= width) ? 'right' : 'both';
}

function slotsOf(b: Bound, into: number[] = []): number[] {
  if (b[0] === 'col') into.push(b[1]);
  else for (const part of b.slice(1)) if (Array.isArray(part)) visit(part, into);
  return into;
}

function visit(part: unknown[], into: number[]): void {
  if (typeof part[0] === 'string') slotsOf(part as unknown as Bound, into);
  else for (const x of part) if (Array.isArray(x)) visit(x, into);
}

/** The same expression with its slots moved by `by`. */
function shift(b: Bound, by: number): Bound {
  if (b[0] === 'col') return ['col', b[1] + by];
  return b.map((part) => (Array.isArray(part) ? shiftAny(part, by) : part)) as unknown as Bound;
}

function shiftAny(part: unknown[], by: number): unknown {
  if (typeof part[0] === 'string') return shift(part as unknown as Bound, by);
  return part.map((x) => (Array.isArray(x) ? shiftAny(x, by) : x));
}

/** Plans the window functions, one window node per distinct PARTITION BY and ORDER BY. */
function planWindows(input: Plan, calls: readonly WindowCall[]): Plan {
  let plan = input;
  const groups = new Map<string, WindowCall[]>();
  for (const call of calls) {
    const key = JSON.stringify([call.partitionBy, call.orderBy]);
    groups.set(key, [...(groups.get(key) ?? []), call]);
  }
  for (const group of groups.values()) {
    const base = widthOf(plan);
    group.forEach((call, i) => (call.ref[1] = base + i));
    const { partitionBy, orderBy } = group[0]!;
    plan = {
      kind: 'window',
      input: plan,
      spec: { partitionBy, orderBy, fns: group.map((c) => c.fn) },
    };
  }
  return plan;
}

/** A `WHERE _timestamp >= t` (or `>`) on a scan's rows lets the scan skip older batches. */
function pushTimeBound(condition: Bound, plan: Plan): void {
  if (plan.kind !== 'scan') return;
  const slot = plan.names.indexOf('_timestamp');
  const terms: Bound[] = [];
  splitAnd(condition, terms);
  for (const t of terms) {
    if (t[0] !== 'call' || (t[1] !== 'ge' && t[1] !== 'gt')) continue;
    const [a, b] = [t[2]!, t[3]!];
    if (a[0] === 'col' && a[1] === slot && b[0] === 'lit' && typeof b[1] === 'number')
      plan.minTimestamp = Math.max(plan.minTimestamp ?? -Infinity, b[1]);
  }
}

export type { SortKey };
