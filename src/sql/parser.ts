import type {
  Cte,
  Expr,
  FunctionArg,
  Query,
  Relation,
  Select,
  SelectItem,
  SetExpr,
  Statement,
} from './ast';
import { ExprParser, RESERVED } from './parse-expr';

const STATEMENT_STARTS = ['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN'];
const JOIN_TYPES = { INNER: 'inner', LEFT: 'left', RIGHT: 'right', FULL: 'full' } as const;

/** Statements and queries; expressions come from ExprParser. */
class Parser extends ExprParser {
  /**
   * One statement, then at most a `;`.
   * - must say an unsupported statement (INSERT, CREATE …) by name, and refuse a second one
   */
  parseStatement(): Statement {
    const statement = this.parseStatementBody();
    if (this.acceptOp(';') && (STATEMENT_STARTS.includes(this.tok.upper) || this.isOp('(')))
      this.fail('one statement at a time: this is a second one');
    this.expectEnd();
    return statement;
  }

  /** The end of the text, or an error that says what could have come instead. */
  expectEnd(): void {
    if (this.tok.kind !== 'end') this.failExpected(undefined, true);
  }

  private parseStatementBody(): Statement {
    const pos = this.tok.pos;
    if (this.acceptWord('SHOW', 'SHOW TABLES')) {
      this.expectWord('TABLES');
      return { kind: 'show-tables', pos };
    }
    if (this.acceptWord('DESCRIBE') ?? this.acceptWord('DESC')) {
      this.acceptWord('TABLE');
      return { kind: 'describe', table: this.parseName('a table'), pos };
    }
    if (this.acceptWord('EXPLAIN')) {
      if (['EXTENDED', 'CODEGEN', 'COST', 'FORMATTED'].includes(this.tok.upper))
        this.fail(`EXPLAIN ${this.tok.upper} is not supported`);
      return { kind: 'explain', statement: this.parseQuery(), pos };
    }
    if (this.startsQuery() || this.isOp('(')) return this.parseQuery();
    this.alsoExpected('SELECT');
    this.alsoExpected('WITH');
    return this.failExpected();
  }

  /** `[WITH …] body [ORDER BY …] [LIMIT n|ALL] [OFFSET n]`. */
  protected parseQuery(): Query {
    const pos = this.tok.pos;
    const ctes = this.acceptWord('WITH') ? this.parseList(() => this.parseCte()) : [];
    const body = this.parseSetExpr();
    let orderBy: Query['orderBy'] = [];
    if (this.acceptWord('ORDER', 'ORDER BY')) {
      this.expectWord('BY');
      orderBy = this.parseOrderItems();
    }
    let limit: Expr | null = null;
    if (this.acceptWord('LIMIT') && !this.acceptWord('ALL')) limit = this.parseExpr();
    const offset = this.acceptWord('OFFSET') ? this.parseExpr() : null;
    return { kind: 'query', with: ctes, body, orderBy, limit, offset, pos };
  }

  private parseCte(): Cte {
    const pos = this.tok.pos;
    if (this.isWord('RECURSIVE')) this.fail('WITH RECURSIVE is not supported');
    const name = this.parseName('a name for the WITH query');
    let columns: string[] | null = null;
    if (this.acceptOp('(')) {
      columns = this.parseList(() => this.parseName('a column name'));
      this.expectOp(')');
    }
    this.expectWord('AS');
    this.expectOp('(');
    const query = this.parseQuery();
    this.expectOp(')');
    return { name, columns, query, pos };
  }

  /** SELECTs and parenthesised queries, joined by UNION [ALL|DISTINCT], left to right. */
  private parseSetExpr(): SetExpr {
    let left = this.parseSetPrimary();
    for (let union; (union = this.acceptWord('UNION'));) {
      const all = this.acceptWord('ALL') !== null;
      if (!all) this.acceptWord('DISTINCT');
      left = { kind: 'union', all, left, right: this.parseSetPrimary(), pos: union.pos };
    }
    return left;
  }

  private parseSetPrimary(): SetExpr {
    const pos = this.tok.pos;
    if (this.acceptOp('(')) {
      const query = this.parseQuery();
      this.expectOp(')');
      return { kind: 'nested', query, pos };
    }
    if (this.isWord('SELECT')) return this.parseSelect();
    this.alsoExpected('SELECT');
    return this.failExpected();
  }

  private parseSelect(): Select {
    const pos = this.next().pos;
    const distinct = this.acceptWord('DISTINCT') !== null;
    if (!distinct) this.acceptWord('ALL');
    const items = this.parseList(() => this.parseSelectItem());
    const from = this.acceptWord('FROM') ? this.parseFrom() : null;
    const where = this.acceptWord('WHERE') ? this.parseExpr() : null;
    let groupBy: Expr[] = [];
    if (this.acceptWord('GROUP', 'GROUP BY')) {
      this.expectWord('BY');
      if (['ALL', 'ROLLUP', 'CUBE', 'GROUPING'].includes(this.tok.upper))
        this.fail(`GROUP BY ${this.tok.upper} is not supported`);
      groupBy = this.parseList(() => this.parseExpr());
    }
    const having = this.acceptWord('HAVING') ? this.parseExpr() : null;
    return { kind: 'select', distinct, items, from, where, groupBy, having, pos };
  }

  /** `*`, `t.*`, or an expression with an alias (`AS` is optional; the alias is never reserved). */
  private parseSelectItem(): SelectItem {
    const pos = this.tok.pos;
    if (
      this.isOp('*') ||
      (this.isName() && this.isOp('.', this.peek()) && this.isOp('*', this.peek(2)))
    ) {
      const table = this.isOp('*') ? null : this.next().value;
      if (table !== null) this.next();
      this.next();
      return { expr: { kind: 'star', table, pos }, alias: null, pos };
    }
    const expr = this.parseExpr();
    return { expr, alias: this.parseAlias(), pos };
  }

  /** `[AS] name`: after AS any word; without it, a name that is not a reserved keyword. */
  private parseAlias(): string | null {
    if (this.acceptWord('AS')) {
      if (this.isName()) return this.next().value;
      return this.failExpected('a name');
    }
    if (this.tok.kind === 'quoted') return this.next().value;
    if (this.tok.kind !== 'word' || RESERVED.has(this.tok.upper)) return null;
    this.bareAlias = this.index;
    return this.next().value;
  }

  /** `a, b` (a cross join) of joined relations. */
  private parseFrom(): Relation {
    let left = this.parseJoined();
    for (let comma; (comma = this.acceptOp(','));) {
      const right = this.parseJoined();
      left = { kind: 'join', type: 'cross', left, right, on: null, using: null, pos: comma.pos };
    }
    return left;
  }

  /** Relations and their joins, left to right; a join's `pos` is its first keyword. */
  private parseJoined(): Relation {
    let left = this.parseRelation();
    for (;;) {
      const pos = this.tok.pos;
      if (this.acceptWord('CROSS')) {
        this.expectWord('JOIN');
        const right = this.parseRelation();
        left = { kind: 'join', type: 'cross', left, right, on: null, using: null, pos };
        continue;
      }
      const word = this.tok.upper as keyof typeof JOIN_TYPES;
      const type = this.tok.kind === 'word' ? JOIN_TYPES[word] : undefined;
      if (type) {
        this.next();
        if (type !== 'inner') this.acceptWord('OUTER');
        this.expectWord('JOIN');
      } else if (!this.acceptWord('JOIN')) {
        ['INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS'].forEach((join) => this.alsoExpected(join));
        return left;
      }
      const right = this.parseRelation();
      let on: Expr | null = null;
      let using: string[] | null = null;
      if (this.acceptWord('ON')) on = this.parseExpr();
      else if (this.acceptWord('USING')) {
        this.expectOp('(');
        using = this.parseList(() => this.parseName('a column name'));
        this.expectOp(')');
      }
      left = { kind: 'join', type: type ?? 'inner', left, right, on, using, pos };
    }
  }

  /** A table, a derived table `(SELECT …) [AS] t`, or joins in parentheses. */
  private parseRelation(): Relation {
    const pos = this.tok.pos;
    if (this.acceptOp('(')) {
      if (this.opensQuery()) {
        const query = this.parseQuery();
        this.expectOp(')');
        return { kind: 'derived', query, alias: this.parseTableAlias(), pos };
      }
      const joined = this.parseFrom();
      this.expectOp(')');
      return joined;
    }
    const name = this.parseName('a table');
    if (this.isOp('(')) {
      this.next(); // not acceptOp: a table's name is rarely followed by "(", so errors do not offer it
      const args = this.isOp(')') ? [] : this.parseList(() => this.parseFunctionArg());
      this.expectOp(')');
      return { kind: 'function', name, args, alias: this.parseTableAlias(), pos };
    }
    if (this.isOp('.')) this.fail('a table name with a database ("db.table") is not supported');
    return { kind: 'table', name, alias: this.parseTableAlias(), pos };
  }

  /** `expr`, or `name => expr` (a named argument, as Spark's table-valued functions take). */
  private parseFunctionArg(): FunctionArg {
    const pos = this.tok.pos;
    const named = ['word', 'quoted'].includes(this.tok.kind) && this.isOp('=>', this.peek());
    const name = named ? this.next().value : null;
    if (named) this.next();
    return { name, expr: this.parseExpr(), pos };
  }

  private parseTableAlias(): string | null {
    const alias = this.parseAlias();
    if (alias !== null && this.isOp('('))
      this.fail('column aliases for a table ("t(a, b)") are not supported');
    return alias;
  }
}

/**
 * Parses one Spark SQL statement into its syntax tree (ast.ts), with positions.
 * - must throw SqlError with the line, column and a caret for any text that is not one
 *   statement of the dialect, naming unsupported syntax (`"INTERSECT" is not supported`)
 */
export function parseStatement(text: string): Statement {
  return new Parser(text).parseStatement();
}

/** Parses one expression (a whole text), as `parseStatement` does a statement. */
export function parseExpression(text: string): Expr {
  const parser = new Parser(text);
  const expr = parser.parseExpr();
  parser.expectEnd();
  return expr;
}
