/**
 * The syntax tree the parser makes of a statement: Spark SQL's, as written, with each node's
 * place in the text (for errors that say where). Names are as written (case kept); keywords and
 * function names are lower case.
 */

/** Where a node starts in the statement's text: 1-based line and column, 0-based offset. */
export interface Pos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | 'div'
  | '||'
  | '='
  | '<=>'
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or';

/** One ORDER BY term; `nulls` null means the default (Spark: first ascending, last descending). */
export interface OrderItem {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nulls: 'first' | 'last' | null;
}

/** A window frame's bound: `n PRECEDING` and `n FOLLOWING` carry `offset` (rows, or ms for RANGE intervals). */
export interface FrameBound {
  readonly kind:
    'unbounded-preceding' | 'preceding' | 'current-row' | 'following' | 'unbounded-following';
  readonly offset?: number;
}

export interface Frame {
  readonly unit: 'rows' | 'range';
  readonly start: FrameBound;
  readonly end: FrameBound;
}

/** `OVER (PARTITION BY … ORDER BY … frame)`. */
export interface WindowSpec {
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame: Frame | null;
}

export type Expr =
  /** A number (integers and decimals alike), a string, true/false, or NULL. */
  | {
      readonly kind: 'literal';
      readonly value: string | number | boolean | null;
      readonly pos: Pos;
    }
  /** `interval '5 minutes'` or `interval 5 minutes`: a duration, in ms. */
  | { readonly kind: 'interval'; readonly ms: number; readonly text: string; readonly pos: Pos }
  /** `page`, `c.page`, `window.start`, `` `value.page` `` (one part, dots kept). */
  | { readonly kind: 'column'; readonly parts: readonly string[]; readonly pos: Pos }
  /** `*` or `t.*`, in a select list. */
  | { readonly kind: 'star'; readonly table: string | null; readonly pos: Pos }
  /** `?` (index: its 0-based place among the `?`s) or `$name`. */
  | {
      readonly kind: 'param';
      readonly index: number | null;
      readonly name: string | null;
      readonly pos: Pos;
    }
  | {
      readonly kind: 'unary';
      readonly op: '-' | '+' | 'not';
      readonly arg: Expr;
      readonly pos: Pos;
    }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly pos: Pos;
    }
  | { readonly kind: 'is-null'; readonly arg: Expr; readonly not: boolean; readonly pos: Pos }
  | {
      readonly kind: 'between';
      readonly arg: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly not: boolean;
      readonly pos: Pos;
    }
  /** `x IN (a, b)` (list) or `x IN (SELECT …)` (query). */
  | {
      readonly kind: 'in';
      readonly arg: Expr;
      readonly list: readonly Expr[] | null;
      readonly query: Query | null;
      readonly not: boolean;
      readonly pos: Pos;
    }
  /** LIKE, or ILIKE (`caseInsensitive`), with an optional `ESCAPE 'c'`. */
  | {
      readonly kind: 'like';
      readonly arg: Expr;
      readonly pattern: Expr;
      readonly not: boolean;
      readonly caseInsensitive: boolean;
      readonly escape: string | null;
      readonly pos: Pos;
    }
  | {
      readonly kind: 'case';
      readonly operand: Expr | null;
      readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly else: Expr | null;
      readonly pos: Pos;
    }
  /** `CAST(x AS type)` and `x::type`; `type` lower case, e.g. 'int', 'double', 'string', 'timestamp'. */
  | { readonly kind: 'cast'; readonly arg: Expr; readonly type: string; readonly pos: Pos }
  /**
   * A function call: `name` lower case. `count(*)` has `star`; `EXTRACT(hour FROM x)` is
   * `extract('hour', x)`; `current_timestamp` without parentheses is a call with no args.
   */
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly distinct: boolean;
      readonly star: boolean;
      readonly filter: Expr | null;
      readonly over: WindowSpec | null;
      readonly pos: Pos;
    }
  /** A scalar subquery: `(SELECT max(x) FROM t)`. */
  | { readonly kind: 'subquery'; readonly query: Query; readonly pos: Pos }
  | { readonly kind: 'exists'; readonly query: Query; readonly not: boolean; readonly pos: Pos };

export interface SelectItem {
  readonly expr: Expr;
  readonly alias: string | null;
  readonly pos: Pos;
}

export type Relation =
  | {
      readonly kind: 'table';
      readonly name: string;
      readonly alias: string | null;
      readonly pos: Pos;
    }
  | {
      readonly kind: 'derived';
      readonly query: Query;
      readonly alias: string | null;
      readonly pos: Pos;
    }
  /** A table function: `range(10)`, `funnel('/', '/pricing', window => INTERVAL 1 HOUR)`. */
  | {
      readonly kind: 'function';
      readonly name: string;
      readonly args: readonly FunctionArg[];
      readonly alias: string | null;
      readonly pos: Pos;
    }
  | {
      readonly kind: 'join';
      readonly type: 'inner' | 'left' | 'right' | 'full' | 'cross';
      readonly left: Relation;
      readonly right: Relation;
      readonly on: Expr | null;
      readonly using: readonly string[] | null;
      readonly pos: Pos;
    };

/** A table function's argument: positional (`name` null), or named as in `window => …`. */
export interface FunctionArg {
  readonly name: string | null;
  readonly expr: Expr;
  readonly pos: Pos;
}

/** One SELECT … FROM … WHERE … GROUP BY … HAVING …, without ORDER BY and LIMIT. */
export interface Select {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: Relation | null;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | null;
  readonly pos: Pos;
}

/** A query's body: a SELECT, a set operation of two bodies, or a parenthesised query. */
export type SetExpr =
  | Select
  | {
      readonly kind: 'union';
      readonly all: boolean;
      readonly left: SetExpr;
      readonly right: SetExpr;
      readonly pos: Pos;
    }
  | { readonly kind: 'nested'; readonly query: Query; readonly pos: Pos };

export interface Cte {
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly query: Query;
  readonly pos: Pos;
}

/** `WITH … body ORDER BY … LIMIT … OFFSET …`. */
export interface Query {
  readonly kind: 'query';
  readonly with: readonly Cte[];
  readonly body: SetExpr;
  readonly orderBy: readonly OrderItem[];
  readonly limit: Expr | null;
  readonly offset: Expr | null;
  readonly pos: Pos;
}

export type Statement =
  | Query
  | { readonly kind: 'show-tables'; readonly pos: Pos }
  | { readonly kind: 'describe'; readonly table: string; readonly pos: Pos }
  | { readonly kind: 'explain'; readonly statement: Query; readonly pos: Pos };
