import type { BinaryOp, Expr, Query } from './ast';
import { callOf, FormParser } from './parse-forms';

/**
 * Words that end an expression or start a clause: never a column, a function or a bare alias.
 * Others (`date`, `window`, `hour`, `key`, …) are names where a name can be.
 */
export const RESERVED = new Set(
  (
    'ALL AND ANTI AS BETWEEN BY CASE CAST CLUSTER CROSS DISTINCT DISTRIBUTE ELSE END ESCAPE ' +
    'EXCEPT EXISTS FALSE FETCH FROM FULL GROUP HAVING ILIKE IN INNER INTERSECT INTERVAL IS JOIN ' +
    'LATERAL LEFT LIKE LIMIT MINUS NATURAL NOT NULL OFFSET ON OR ORDER PIVOT QUALIFY REGEXP ' +
    'RIGHT RLIKE SELECT SEMI SORT TABLESAMPLE THEN TRUE UNION UNPIVOT USING WHEN WHERE WITH'
  ).split(' '),
);

const COMPARISONS: Readonly<Record<string, BinaryOp>> = {
  '=': '=',
  '==': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '<=>': '<=>',
};

const ADDITIVE = new Set(['+', '-', '||']);
const MULTIPLICATIVE = new Set(['*', '/', '%']);
/** Spark's operators that have no node here: said so by name. */
const UNSUPPORTED_OPS = new Set(['&', '|', '^', '~', '[', '!']);

/**
 * Expressions, by precedence climbing in Spark's order (low to high): OR; AND; NOT;
 * comparisons and predicates (IS, BETWEEN, IN, LIKE); `+ - ||`; `* / % DIV`; unary `- +`;
 * `::type`. A node's `pos` is where its text starts. Queries inside expressions (subqueries,
 * `IN (SELECT …)`, EXISTS) come from the subclass.
 */
export abstract class ExprParser extends FormParser {
  private nextParamIndex = 0;

  protected abstract parseQuery(): Query;

  /** The next token starts a query: SELECT or WITH. */
  protected startsQuery(token = this.tok): boolean {
    return this.isWord('SELECT', token) || this.isWord('WITH', token);
  }

  parseExpr(): Expr {
    let left = this.parseAnd();
    while (this.isWord('OR')) {
      this.next();
      left = this.binary('or', left, this.parseAnd());
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isWord('AND')) {
      this.next();
      left = this.binary('and', left, this.parseNot());
    }
    return left;
  }

  private parseNot(): Expr {
    if (!this.isWord('NOT')) return this.parseComparison();
    const pos = this.next().pos;
    const arg = this.parseNot();
    if (arg.kind === 'exists' && !arg.not) return { ...arg, not: true, pos };
    return { kind: 'unary', op: 'not', arg, pos };
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const token = this.tok;
      if (token.kind === 'op' && COMPARISONS[token.value]) {
        this.next();
        left = this.binary(COMPARISONS[token.value]!, left, this.parseAdditive());
      } else if (this.isWord('IS')) left = this.parseIs(left);
      else if (token.kind === 'op' && UNSUPPORTED_OPS.has(token.value))
        this.fail(`the operator "${token.value}" is not supported`);
      else {
        const not = this.isWord('NOT') && this.peek().kind === 'word';
        const predicate = not ? this.peek() : token;
        if (!['BETWEEN', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP'].includes(predicate.upper))
          return left;
        if (not) this.next();
        left = this.parsePredicate(left, not);
      }
    }
  }

  /** `IS [NOT] NULL|UNKNOWN`; `IS [NOT] TRUE|FALSE` and `IS [NOT] DISTINCT FROM y` as `<=>`. */
  private parseIs(arg: Expr): Expr {
    this.next();
    const not = this.acceptWord('NOT') !== null;
    if (this.acceptWord('NULL') ?? this.acceptWord('UNKNOWN'))
      return { kind: 'is-null', arg, not, pos: arg.pos };
    const negate = (expr: Expr): Expr => ({ kind: 'unary', op: 'not', arg: expr, pos: arg.pos });
    if (this.isWord('TRUE') || this.isWord('FALSE')) {
      // IS TRUE is `<=> TRUE`: a null is not true, and not false either.
      const token = this.next();
      const value: Expr = { kind: 'literal', value: token.upper === 'TRUE', pos: token.pos };
      const same = this.binary('<=>', arg, value);
      return not ? negate(same) : same;
    }
    this.alsoExpected('TRUE');
    this.alsoExpected('FALSE');
    this.expectWord('DISTINCT', 'DISTINCT FROM');
    this.expectWord('FROM');
    const same = this.binary('<=>', arg, this.parseAdditive());
    return not ? same : negate(same);
  }

  private parsePredicate(arg: Expr, not: boolean): Expr {
    const word = this.next();
    const pos = arg.pos;
    if (word.upper === 'BETWEEN') {
      const low = this.parseAdditive();
      this.expectWord('AND');
      return { kind: 'between', arg, low, high: this.parseAdditive(), not, pos };
    }
    if (word.upper === 'IN') {
      this.expectOp('(');
      if (this.startsQuery()) {
        const query = this.parseQuery();
        this.expectOp(')');
        return { kind: 'in', arg, list: null, query, not, pos };
      }
      const list = this.parseList(() => this.parseExpr());
      this.expectOp(')');
      return { kind: 'in', arg, list, query: null, not, pos };
    }
    if (word.upper === 'RLIKE' || word.upper === 'REGEXP') {
      const call = callOf('rlike', [arg, this.parseAdditive()], pos);
      return not ? { kind: 'unary', op: 'not', arg: call, pos } : call;
    }
    if (this.isWord('ANY') || this.isWord('ALL') || this.isWord('SOME'))
      this.fail(`${word.upper} ${this.tok.upper} is not supported`);
    const pattern = this.parseAdditive();
    let escape: string | null = null;
    if (this.acceptWord('ESCAPE')) {
      const token = this.next();
      if (token.kind !== 'string' || [...token.value].length !== 1)
        this.fail('ESCAPE takes a string of one character', token.pos);
      escape = token.value;
    }
    const caseInsensitive = word.upper === 'ILIKE';
    return { kind: 'like', arg, pattern, not, caseInsensitive, escape, pos };
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.tok.kind === 'op' && ADDITIVE.has(this.tok.value)) {
      const op = this.next().value as BinaryOp;
      left = this.binary(op, left, this.parseMultiplicative());
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    for (;;) {
      if (this.tok.kind === 'op' && MULTIPLICATIVE.has(this.tok.value)) {
        const op = this.next().value as BinaryOp;
        left = this.binary(op, left, this.parseUnary());
      } else if (this.isWord('DIV')) {
        this.next();
        left = this.binary('div', left, this.parseUnary());
      } else return left;
    }
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const token = this.next();
      const op = token.value as '-' | '+';
      return { kind: 'unary', op, arg: this.parseUnary(), pos: token.pos };
    }
    let expr = this.parsePrimary();
    while (this.isOp('::')) {
      this.next();
      expr = { kind: 'cast', arg: expr, type: this.parseType(), pos: expr.pos };
    }
    if (this.isOp('.'))
      this.fail('a field of an expression that is not a column (e.g. "f(x).a") is not supported');
    return expr;
  }

  private parsePrimary(): Expr {
    const token = this.tok;
    switch (token.kind) {
      case 'number':
        this.next();
        return { kind: 'literal', value: Number(token.value), pos: token.pos };
      case 'string': {
        let value = '';
        // Adjacent strings are one, as in Spark: 'a' 'b' is 'ab'.
        while (this.tok.kind === 'string') value += this.next().value;
        return { kind: 'literal', value, pos: token.pos };
      }
      case 'param': {
        this.next();
        const named = token.value !== '';
        const index = named ? null : this.nextParamIndex++;
        return { kind: 'param', index, name: named ? token.value : null, pos: token.pos };
      }
      case 'quoted':
        return this.parseColumn();
      case 'word':
        return this.parseWordPrimary();
      case 'op':
        if (token.value === '(') return this.parseParenthesised();
        if (UNSUPPORTED_OPS.has(token.value))
          this.fail(`the operator "${token.value}" is not supported`);
    }
    return this.failExpected('an expression');
  }

  private parseParenthesised(): Expr {
    const pos = this.next().pos;
    if (this.startsQuery() || (this.isOp('(') && this.nestsQuery())) {
      const query = this.parseQuery();
      this.expectOp(')');
      return { kind: 'subquery', query, pos };
    }
    const inner = this.parseExpr();
    if (this.isOp(',')) this.fail('a row of values "(a, b)" is not supported here');
    this.expectOp(')');
    return inner;
  }

  /** Whether a query starts here, maybe after `(`s: `((SELECT …) UNION …)`. */
  protected opensQuery(): boolean {
    let i = this.index;
    while (this.isOp('(', this.tokens[i])) i++;
    return this.startsQuery(this.tokens[i]);
  }

  /** At a `(`: whether it opens a query (`((SELECT …) UNION …)`) rather than an expression. */
  private nestsQuery(): boolean {
    if (!this.opensQuery()) return false;
    let depth = 0;
    let i = this.index;
    while (this.isOp('(', this.tokens[i])) [depth, i] = [depth + 1, i + 1];
    // Past the innermost query's `)`: a set operator or ORDER BY/LIMIT means a query goes on.
    for (let open = depth; i < this.tokens.length && open >= depth; i++) {
      if (this.isOp('(', this.tokens[i])) open++;
      else if (this.isOp(')', this.tokens[i])) open--;
    }
    const after = this.tokens[i]!;
    return ['UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'ORDER', 'LIMIT', 'OFFSET'].includes(
      after.kind === 'word' ? after.upper : '',
    );
  }

  private parseWordPrimary(): Expr {
    const token = this.tok;
    const after = this.peek();
    switch (token.upper) {
      case 'NULL':
      case 'TRUE':
      case 'FALSE':
        this.next();
        return {
          kind: 'literal',
          value: token.upper === 'NULL' ? null : token.upper === 'TRUE',
          pos: token.pos,
        };
      case 'CASE':
        return this.parseCase();
      case 'CAST':
        return this.parseCast();
      case 'EXISTS': {
        this.next();
        this.expectOp('(');
        const query = this.parseQuery();
        this.expectOp(')');
        return { kind: 'exists', query, not: false, pos: token.pos };
      }
      case 'INTERVAL':
        return this.parseInterval();
      case 'CURRENT_TIMESTAMP':
      case 'CURRENT_DATE':
        if (this.isOp('(', after)) break;
        this.next();
        return callOf(token.value.toLowerCase(), [], token.pos);
      case 'DATE':
      case 'TIMESTAMP':
        // A typed literal: DATE '2024-01-31' is a cast of the string.
        if (after.kind !== 'string') break;
        this.next();
        this.next();
        return {
          kind: 'cast',
          arg: { kind: 'literal', value: after.value, pos: after.pos },
          type: token.value.toLowerCase(),
          pos: token.pos,
        };
      case 'EXTRACT':
        if (this.isOp('(', after)) return this.parseExtract();
    }
    // left(s, n) and right(s, n) are functions; other reserved words never start a call.
    if (
      RESERVED.has(token.upper) &&
      !(['LEFT', 'RIGHT'].includes(token.upper) && this.isOp('(', after))
    )
      return this.failExpected('an expression');
    if (this.isOp('(', after)) return this.parseCall();
    return this.parseColumn();
  }

  /** `a`, `t.a`, `` `value.page` ``, `window.start`: the parts as written. */
  private parseColumn(): Expr {
    const pos = this.tok.pos;
    const parts = [this.next().value];
    while (this.isOp('.') && this.isName(this.peek())) {
      this.next();
      parts.push(this.next().value);
    }
    return { kind: 'column', parts, pos };
  }

  /** A word or a quoted name: after a dot any word is a name, keywords too. */
  protected isName(token = this.tok): boolean {
    return token.kind === 'word' || token.kind === 'quoted';
  }

  /** A name where one must be: an unreserved word or a quoted name. */
  protected parseName(what: string): string {
    if (this.tok.kind === 'quoted' || (this.tok.kind === 'word' && !RESERVED.has(this.tok.upper)))
      return this.next().value;
    return this.failExpected(what);
  }

  private parseCall(): Expr {
    const token = this.next();
    const name = token.value.toLowerCase();
    this.expectOp('(');
    let distinct = false;
    let star = false;
    let args: Expr[] = [];
    if (this.acceptOp('*')) star = true;
    else if (!this.isOp(')')) {
      distinct = this.acceptWord('DISTINCT') !== null;
      if (!distinct) this.acceptWord('ALL');
      args = this.parseList(() => this.parseExpr());
    }
    this.expectOp(')');
    if (this.isWord('IGNORE') || this.isWord('RESPECT'))
      this.fail(`${this.tok.upper} NULLS is not supported`);
    let filter: Expr | null = null;
    if (this.isWord('FILTER') && this.isOp('(', this.peek())) {
      this.next();
      this.next();
      this.expectWord('WHERE');
      filter = this.parseExpr();
      this.expectOp(')');
    }
    const over = this.isWord('OVER') ? this.parseOver() : null;
    return { kind: 'call', name, args, distinct, star, filter, over, pos: token.pos };
  }

  private binary(op: BinaryOp, left: Expr, right: Expr): Expr {
    return { kind: 'binary', op, left, right, pos: left.pos };
  }
}
