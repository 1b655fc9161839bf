/**
 * Resolved expressions: what the analyzer makes of the syntax tree, and what crosses to the
 * executors as data (JSON-safe tuples, never code). A row is an array of values, in the slot
 * order the analyzer gave its columns. Values: null, boolean, number (timestamps as ms since the
 * epoch), string, or a plain object (a struct, e.g. `window`'s `{ start, end }`).
 */
export type Bound =
  /** The row's value in slot `index`. */
  | readonly ['col', number]
  | readonly ['lit', unknown]
  /** A struct's field: `window.start`, or a nested field of a record's value. */
  | readonly ['field', Bound, string]
  /**
   * A scalar function or operator, by name, over its arguments. Operators: `add sub mul div
   * mod intdiv neg concat eq eqns ne lt le gt ge and or not isnull isnotnull`; the rest are
   * the SQL functions of `FUNCTIONS` (scalar.ts), lower case.
   */
  | readonly ['call', string, ...Bound[]]
  /** `CASE WHEN c THEN v … ELSE e END` (a simple CASE is rewritten to this form). */
  | readonly ['case', readonly (readonly [Bound, Bound])[], Bound]
  /** LIKE / ILIKE with its pattern as a literal or an expression, and its escape character. */
  | readonly ['like', Bound, Bound, string, boolean]
  /** `x IN (…)`, with SQL's three values: null if x is null, or if no match and a null is listed. */
  | readonly ['in', Bound, readonly Bound[]]
  /**
   * `CAST(x AS type)`: 'int' | 'bigint' | 'double' | 'string' | 'boolean' | 'timestamp' | 'date'.
   * `from`, x's own type where the analyzer knows it, tells a timestamp's ms from a number:
   * 'timestamp' or 'date' (printed as dates, as seconds to bigint), 'int' | 'bigint' | 'double'
   * (seconds, to timestamp). Without it a number cast to timestamp is taken as ms.
   */
  | readonly ['cast', Bound, string, from?: string];

/** An aggregate of a group: `count(DISTINCT x) FILTER (WHERE …)` and the others. */
export interface AggregateSpec {
  /**
   * `count` (no args: count(*)), `sum`, `avg`, `min`, `max`, `approx_count_distinct`,
   * `percentile_approx` (args: value, percentage, optional accuracy), `first`, `last`,
   * `collect_list`, `collect_set`.
   */
  readonly fn: string;
  readonly args: readonly Bound[];
  readonly distinct: boolean;
  /** Rows where this is not true are not aggregated. */
  readonly filter: Bound | null;
}

/** One term of an ordering: nulls first or last as resolved (Spark's defaults applied). */
export interface SortKey {
  readonly expr: Bound;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface FrameSpec {
  readonly unit: 'rows' | 'range';
  /** Offsets from the current row: negative before it; null for unbounded. */
  readonly start: number | null;
  readonly end: number | null;
}

/**
 * A window function over one partition of a window, in `orderBy` order: `row_number`, `rank`,
 * `dense_rank`, `percent_rank`, `cume_dist`, `ntile`, `lag`, `lead` (args: value, offset,
 * default), `first_value`, `last_value`, `nth_value`, or an aggregate (`aggregate` set) over
 * the frame. Spark's default frame: with ORDER BY, RANGE UNBOUNDED PRECEDING to CURRENT ROW
 * (ties are peers); without, the whole partition.
 */
export interface WindowFnSpec {
  readonly fn: string;
  readonly args: readonly Bound[];
  readonly aggregate: AggregateSpec | null;
  readonly frame: FrameSpec | null;
}

export interface WindowGroupSpec {
  readonly partitionBy: readonly Bound[];
  readonly orderBy: readonly SortKey[];
  readonly fns: readonly WindowFnSpec[];
}
