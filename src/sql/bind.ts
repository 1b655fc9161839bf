import type { Expr, Pos, Query, WindowSpec } from './ast';
import type { AggregateSpec, Bound, FrameSpec, SortKey, WindowFnSpec } from './bound';
import { AGGREGATES } from './aggregates';
import { FUNCTIONS } from './functions';
import { WINDOW_FUNCTIONS } from './windows';
import { lookup, isQualifier, use, type Column, type Rel } from './scope';
import { didYouMean } from './sql-error';

/** What binding needs of the statement's analysis: errors with places, params, subqueries. */
export interface Binding {
  error(reason: string, pos: Pos | null): never;
  param(expr: Extract<Expr, { kind: 'param' }>): unknown;
  /** The statement's `now()`, one instant for the whole statement (as Spark's). */
  readonly now: number;
  /**
   * Analyzes an uncorrelated subquery; its rows fill `fill` before the query runs. `outer`: the
   * columns of the query around it, which it must not name.
   */
  subquery(query: Query, fill: (rows: unknown[][]) => void, outer: readonly Column[]): Rel;
  /** True if `parts` names a column of a query around the one being analyzed. */
  isOuterColumn(parts: readonly string[]): boolean;
}

/** A window function met while binding, with the slot it will have once its window is planned. */
export interface WindowCall {
  readonly partitionBy: readonly Bound[];
  readonly orderBy: readonly SortKey[];
  readonly fn: WindowFnSpec;
  /** `['col', slot]`, the slot filled in when the windows are planned. */
  readonly ref: ['col', number];
}

/** The grouping of an aggregate query: its keys, and the aggregates met so far. */
export interface Grouping {
  readonly input: readonly Column[];
  readonly keys: readonly Bound[];
  readonly aggregates: AggregateSpec[];
}

/**
 * Binds expressions of one clause to slots. In a grouped clause (`grouping` set), an expression
 * is a key, an aggregate, or built of them; its columns are slots of the grouped row
 * `[...keys, ...aggregates]`.
 */
export class Binder {
  constructor(
    private readonly binding: Binding,
    private readonly columns: readonly Column[],
    private readonly clause: string,
    private readonly grouping: Grouping | null = null,
    private readonly windows: WindowCall[] | null = null,
    /** Select aliases a name may mean where it names no column (HAVING's, as Spark's). */
    private readonly aliases: ReadonlyMap<string, Expr> | null = null,
  ) {}

  bind(e: Expr): Bound {
    const alias = this.aliasOf(e);
    if (alias)
      return new Binder(this.binding, this.columns, this.clause, this.grouping, this.windows).bind(
        alias,
      );
    if (this.grouping) return this.grouped(e, this.grouping);
    return this.node(e);
  }

  private aliasOf(e: Expr): Expr | null {
    if (!this.aliases || e.kind !== 'column' || e.parts.length !== 1) return null;
    const name = e.parts[0]!;
    if (lookup(this.grouping?.input ?? this.columns, null, name) !== -1) return null;
    return this.aliases.get(name.toLowerCase()) ?? null;
  }

  private grouped(e: Expr, g: Grouping): Bound {
    if (e.kind === 'call' && !e.over && AGGREGATES.has(e.name)) return this.aggregate(e, g);
    if (!hasCall(e, (c) => c.over !== null || AGGREGATES.has(c.name))) {
      const plain = new Binder(this.binding, g.input, this.clause).bind(e);
      const key = keyed(plain, g.keys);
      if (key) return key;
      if (e.kind === 'column')
        this.binding.error(
          `column "${e.parts.join('.')}" must be in GROUP BY or inside an aggregate function`,
          e.pos,
        );
      if (!hasColumn(e)) return plain;
    }
    return this.node(e);
  }

  private aggregate(e: Extract<Expr, { kind: 'call' }>, g: Grouping): Bound {
    const inner = new Binder(this.binding, g.input, `the arguments of ${e.name}`);
    for (const arg of e.args)
      if (hasCall(arg, (c) => AGGREGATES.has(c.name) && !c.over))
        this.binding.error(`an aggregate function cannot contain another one`, arg.pos);
    const spec = aggregateSpec(e, inner, this.binding);
    const known = g.aggregates.findIndex((a) => JSON.stringify(a) === JSON.stringify(spec));
    const index = known === -1 ? g.aggregates.push(spec) - 1 : known;
    return ['col', g.keys.length + index];
  }

  /** Binds a node, its children with `bind` (so a grouped clause stays grouped below). */
  private node(e: Expr): Bound {
    const b = (x: Expr) => this.bind(x);
    switch (e.kind) {
      case 'literal':
        return ['lit', e.value];
      case 'interval':
        return ['lit', e.ms];
      case 'param':
        return ['lit', this.binding.param(e)];
      case 'column':
        return this.column(e);
      case 'star':
        return this.binding.error(`"*" is only allowed in a select list or count(*)`, e.pos);
      case 'unary':
        return e.op === '+' ? b(e.arg) : ['call', e.op === '-' ? 'neg' : 'not', b(e.arg)];
      case 'binary':
        return ['call', BINARY[e.op], asTime(e.left, e.right, b), asTime(e.right, e.left, b)];
      case 'is-null':
        return ['call', e.not ? 'isnotnull' : 'isnull', b(e.arg)];
      case 'between': {
        const arg = b(e.arg);
        const test: Bound = [
          'call',
          'and',
          ['call', 'ge', arg, asTime(e.low, e.arg, b)],
          ['call', 'le', arg, asTime(e.high, e.arg, b)],
        ];
        return e.not ? ['call', 'not', test] : test;
      }
      case 'in':
        return this.in(e);
      case 'like': {
        const like: Bound = ['like', b(e.arg), b(e.pattern), e.escape ?? '\\', e.caseInsensitive];
        return e.not ? ['call', 'not', like] : like;
      }
      case 'case': {
        const whens = e.whens.map(({ when, then }): readonly [Bound, Bound] => {
          const test: Bound = e.operand ? ['call', 'eq', b(e.operand), b(when)] : b(when);
          return [test, b(then)];
        });
        return ['case', whens, e.else ? b(e.else) : ['lit', null]];
      }
      case 'cast':
        if (!CAST_TYPES.has(e.type)) this.binding.error(`cannot cast to "${e.type}"`, e.pos);
        return ['cast', b(e.arg), e.type, ...typeOf(e.arg)];
      case 'call':
        return this.call(e);
      case 'subquery': {
        const cell: ['lit', unknown] = ['lit', null];
        const rel = this.binding.subquery(
          e.query,
          (rows) => {
            if (rows.length > 1)
              this.binding.error('a scalar subquery returned more than one row', e.pos);
            cell[1] = rows[0]?.[0] ?? null;
          },
          this.columns,
        );
        if (rel.columns.length !== 1)
          this.binding.error('a scalar subquery must return one column', e.pos);
        return cell;
      }
      case 'exists': {
        const cell: ['lit', unknown] = ['lit', false];
        this.binding.subquery(e.query, (rows) => (cell[1] = rows.length > 0), this.columns);
        return e.not ? ['call', 'not', cell] : cell;
      }
    }
  }

  private in(e: Extract<Expr, { kind: 'in' }>): Bound {
    const list: Bound[] = [];
    if (e.list) list.push(...e.list.map((x) => this.bind(x)));
    else {
      const rel = this.binding.subquery(
        e.query!,
        (rows) => list.push(...rows.map((row): Bound => ['lit', row[0]])),
        this.columns,
      );
      if (rel.columns.length !== 1)
        this.binding.error('an IN subquery must return one column', e.pos);
    }
    const test: Bound = ['in', this.bind(e.arg), list];
    return e.not ? ['call', 'not', test] : test;
  }

  private column(e: Extract<Expr, { kind: 'column' }>): Bound {
    const [first, second] = e.parts;
    const qualified = e.parts.length > 1 && isQualifier(this.columns, first!);
    const [qualifier, name, rest] = qualified
      ? [first!, second!, e.parts.slice(2)]
      : [null, first!, e.parts.slice(1)];
    const slot = lookup(this.columns, qualifier, name);
    if (slot === -2) this.binding.error(`column "${name}" is ambiguous: qualify it`, e.pos);
    if (slot === -1 && this.binding.isOuterColumn(e.parts))
      this.binding.error(
        `correlated subqueries are not supported: "${e.parts.join('.')}" is a column of the query around this one; write it as a JOIN`,
        e.pos,
      );
    if (slot === -1) {
      const names = this.columns.filter((c) => !c.hidden).map((c) => c.name);
      const near = didYouMean(name, names);
      this.binding.error(
        `unknown column "${e.parts.join('.')}"${near ? ` (did you mean "${near}"?)` : ''}`,
        e.pos,
      );
    }
    use(this.columns[slot]!);
    return rest.reduce<Bound>((of, field) => ['field', of, field], ['col', slot]);
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Bound {
    if (e.over) return this.window(e, e.over);
    if (AGGREGATES.has(e.name))
      this.binding.error(`aggregate function ${e.name} is not allowed in ${this.clause}`, e.pos);
    if (WINDOW_FUNCTIONS.has(e.name))
      this.binding.error(`window function ${e.name} needs an OVER clause`, e.pos);
    if (e.name === 'window') {
      const slot = this.columns.findIndex((c) => c.timeWindow);
      if (slot === -1)
        this.binding.error(
          "window(…) is for GROUP BY: GROUP BY window(_timestamp, '1 minute')",
          e.pos,
        );
      return ['col', slot];
    }
    if (e.name === 'now' || e.name === 'current_timestamp') return ['lit', this.binding.now];
    if (e.name === 'current_date') return ['lit', new Date(this.binding.now).setHours(0, 0, 0, 0)];
    const info = FUNCTIONS.get(e.name);
    if (!info) {
      const near = didYouMean(e.name, [...FUNCTIONS.keys(), ...AGGREGATES.keys()]);
      this.binding.error(
        `unknown function "${e.name}"${near ? ` (did you mean "${near}"?)` : ''}`,
        e.pos,
      );
    }
    checkArity(e, info, this.binding);
    if (e.distinct || e.filter)
      this.binding.error(`DISTINCT and FILTER are for aggregate functions, not ${e.name}`, e.pos);
    return ['call', e.name, ...e.args.map((a) => this.bind(a))];
  }

  private window(e: Extract<Expr, { kind: 'call' }>, over: WindowSpec): Bound {
    if (!this.windows)
      this.binding.error(`window functions are not allowed in ${this.clause}`, e.pos);
    const isAggregate = AGGREGATES.has(e.name);
    const info = WINDOW_FUNCTIONS.get(e.name) ?? AGGREGATES.get(e.name);
    if (!info) this.binding.error(`unknown window function "${e.name}"`, e.pos);
    checkArity(e, info, this.binding);
    const inWindow = new Binder(this.binding, this.columns, this.clause, this.grouping, null);
    const bind = (x: Expr) => inWindow.bind(x);
    const fn: WindowFnSpec = {
      fn: e.name,
      args: e.args.map(bind),
      aggregate: isAggregate ? aggregateSpec(e, inWindow, this.binding) : null,
      frame: over.frame ? frameSpec(over.frame) : null,
    };
    const ref: ['col', number] = ['col', -1];
    this.windows.push({
      partitionBy: over.partitionBy.map(bind),
      orderBy: over.orderBy.map((item) => sortKey(item, bind)),
      fn,
      ref,
    });
    return ref;
  }
}

/** `plain` as a slot of the grouped row if it is a key, or a field of one (`window.start`). */
function keyed(plain: Bound, keys: readonly Bound[]): Bound | null {
  const key = keys.findIndex((k) => sameBound(k, plain));
  if (key !== -1) return ['col', key];
  if (plain[0] !== 'field') return null;
  const of = keyed(plain[1], keys);
  return of && ['field', of, plain[2]];
}

function aggregateSpec(
  e: Extract<Expr, { kind: 'call' }>,
  inner: Binder,
  binding: Binding,
): AggregateSpec {
  checkArity(e, AGGREGATES.get(e.name)!, binding);
  return {
    fn: e.name,
    args: e.star ? [] : e.args.map((a) => inner.bind(a)),
    distinct: e.distinct,
    filter: e.filter ? inner.bind(e.filter) : null,
  };
}

function checkArity(
  e: Extract<Expr, { kind: 'call' }>,
  info: { readonly min: number; readonly max: number },
  binding: Binding,
): void {
  const n = e.star ? 0 : e.args.length;
  if (n >= info.min && n <= info.max) return;
  const wanted = info.min === info.max ? `${info.min}` : `${info.min} to ${info.max}`;
  binding.error(`${e.name} takes ${wanted} argument(s), not ${n}`, e.pos);
}

/** An ORDER BY item bound: Spark's defaults, nulls first ascending and last descending. */
export function sortKey(
  item: {
    readonly expr: Expr;
    readonly descending: boolean;
    readonly nulls: 'first' | 'last' | null;
  },
  bind: (e: Expr) => Bound,
): SortKey {
  const nullsFirst = item.nulls ? item.nulls === 'first' : !item.descending;
  return { expr: bind(item.expr), descending: item.descending, nullsFirst };
}

function frameSpec(frame: NonNullable<WindowSpec['frame']>): FrameSpec {
  const offset = (bound: (typeof frame)['start']): number | null => {
    switch (bound.kind) {
      case 'unbounded-preceding':
      case 'unbounded-following':
        return null;
      case 'current-row':
        return 0;
      case 'preceding':
        return -(bound.offset ?? 0);
      case 'following':
        return bound.offset ?? 0;
    }
  };
  return { unit: frame.unit, start: offset(frame.start), end: offset(frame.end) };
}

const BINARY = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'mod',
  div: 'intdiv',
  '||': 'concat',
  '=': 'eq',
  '<=>': 'eqns',
  '<>': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  and: 'and',
  or: 'or',
} as const;

/**
 * `e` bound, as a timestamp where it is a string compared with one (`_timestamp > '2026-03-14
 * 11:00:00'`): Spark casts the string, not the timestamp.
 */
function asTime(e: Expr, other: Expr, bind: (x: Expr) => Bound): Bound {
  const bound = bind(e);
  const time = typeOf(other)[0];
  const text = e.kind === 'literal' && typeof e.value === 'string';
  return text && (time === 'timestamp' || time === 'date')
    ? ['cast', bound, time, 'string']
    : bound;
}

const TIMESTAMP_FUNCTIONS = new Set([
  'date_trunc',
  'to_timestamp',
  'timestamp_millis',
  'now',
  'current_timestamp',
]);

/** An expression's SQL type where its form says it (for casts of numbers: ms or seconds?). */
function typeOf(e: Expr): [string] | [] {
  if (e.kind === 'column')
    return e.parts.at(-1)?.toLowerCase() === '_timestamp' ? ['timestamp'] : [];
  if (e.kind === 'cast') return [e.type];
  if (e.kind === 'literal' && typeof e.value === 'number')
    return [Number.isInteger(e.value) ? 'int' : 'double'];
  if (e.kind !== 'call') return [];
  if (TIMESTAMP_FUNCTIONS.has(e.name)) return ['timestamp'];
  return e.name === 'to_date' || e.name === 'current_date' ? ['date'] : [];
}

const CAST_TYPES = new Set(['int', 'bigint', 'double', 'string', 'boolean', 'timestamp', 'date']);

/** True if a bound expression is the same computation as another (same slots, same calls). */
export const sameBound = (a: Bound, b: Bound): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The direct sub-expressions of a node (not those of its subqueries). */
export function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'unary':
    case 'is-null':
    case 'cast':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'between':
      return [e.arg, e.low, e.high];
    case 'in':
      return [e.arg, ...(e.list ?? [])];
    case 'like':
      return [e.arg, e.pattern];
    case 'case':
      return [
        ...(e.operand ? [e.operand] : []),
        ...e.whens.flatMap(({ when, then }) => [when, then]),
        ...(e.else ? [e.else] : []),
      ];
    case 'call':
      return [
        ...e.args,
        ...(e.filter ? [e.filter] : []),
        ...(e.over ? [...e.over.partitionBy, ...e.over.orderBy.map((o) => o.expr)] : []),
      ];
    default:
      return [];
  }
}

/** True if `e` has a call for which `test` holds (outside subqueries). */
export function hasCall(
  e: Expr,
  test: (call: Extract<Expr, { kind: 'call' }>) => boolean,
): boolean {
  if (e.kind === 'call' && test(e)) return true;
  return childrenOf(e).some((child) => hasCall(child, test));
}

const hasColumn = (e: Expr): boolean => e.kind === 'column' || childrenOf(e).some(hasColumn);

/** True if `e` has an aggregate function call (not a window's). */
export const hasAggregate = (e: Expr): boolean =>
  hasCall(e, (c) => c.over === null && AGGREGATES.has(c.name));
