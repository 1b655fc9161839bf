import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryOp, Expr, Query, Relation, Select, Statement } from '../../src/sql/ast';
import { parseExpression, parseStatement } from '../../src/sql/parser';
import { SqlError } from '../../src/sql/sql-error';

/** The tree without its positions, to compare shapes. */
function shape(node: unknown): unknown {
  return JSON.parse(
    JSON.stringify(node, (key, value: unknown) => (key === 'pos' ? undefined : value)),
  );
}

/**
 * An expression fully parenthesised, to read precedence at a glance: `(a + (b * c))`. Written
 * here for the test only, from the tree's fields.
 */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'column':
      return e.parts.join('.');
    case 'unary':
      return `(${e.op === 'not' ? 'not ' : e.op}${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'is-null':
      return `(${show(e.arg)} is${e.not ? ' not' : ''} null)`;
    case 'between':
      return `(${show(e.arg)}${e.not ? ' not' : ''} between ${show(e.low)} and ${show(e.high)})`;
    case 'in':
      return `(${show(e.arg)}${e.not ? ' not' : ''} in ${e.list ? e.list.map(show).join(', ') : 'query'})`;
    case 'like':
      return `(${show(e.arg)}${e.not ? ' not' : ''} ${e.caseInsensitive ? 'ilike' : 'like'} ${show(e.pattern)})`;
    case 'cast':
      return `cast(${show(e.arg)} as ${e.type})`;
    case 'call':
      return `${e.name}(${e.star ? '*' : e.args.map(show).join(', ')})`;
    case 'param':
      return e.name === null ? `?${e.index}` : `$${e.name}`;
    case 'interval':
      return `${e.ms}ms`;
    default:
      return e.kind;
  }
}

const select = (text: string): Select => {
  const statement = parseStatement(text) as Query;
  return statement.body as Select;
};
const expr = (text: string): string => show(parseExpression(text));

/** The error's whole message, or a failure if the text parses. */
function errorOf(text: string, parse: (text: string) => unknown = parseStatement): string {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SqlError);
    return (error as SqlError).message;
  }
  throw new Error(`parsed: ${text}`);
}

const col = (...parts: string[]) => ({ kind: 'column', parts });
const lit = (value: string | number | boolean | null) => ({ kind: 'literal', value });
const table = (name: string, alias: string | null = null) => ({ kind: 'table', name, alias });

describe('parseStatement: clauses', () => {
  it('reads a SELECT with every clause, in a query with ORDER BY, LIMIT and OFFSET', () => {
    const query = parseStatement(
      'select distinct page, count(*) as n, max(x) m from clicks c where x > 1 ' +
        'group by page, 3 having count(*) > 2 order by n desc nulls last, 1 limit 10 offset 5;',
    );
    expect(shape(query)).toEqual({
      kind: 'query',
      with: [],
      body: {
        kind: 'select',
        distinct: true,
        items: [
          { expr: col('page'), alias: null },
          {
            expr: {
              kind: 'call',
              name: 'count',
              args: [],
              distinct: false,
              star: true,
              filter: null,
              over: null,
            },
            alias: 'n',
          },
          {
            expr: {
              kind: 'call',
              name: 'max',
              args: [col('x')],
              distinct: false,
              star: false,
              filter: null,
              over: null,
            },
            alias: 'm',
          },
        ],
        from: table('clicks', 'c'),
        where: { kind: 'binary', op: '>', left: col('x'), right: lit(1) },
        groupBy: [col('page'), lit(3)],
        having: {
          kind: 'binary',
          op: '>',
          left: {
            kind: 'call',
            name: 'count',
            args: [],
            distinct: false,
            star: true,
            filter: null,
            over: null,
          },
          right: lit(2),
        },
      },
      orderBy: [
        { expr: col('n'), descending: true, nulls: 'last' },
        { expr: lit(1), descending: false, nulls: null },
      ],
      limit: lit(10),
      offset: lit(5),
    });
  });

  it('reads stars, t.*, LIMIT ALL, and a SELECT without FROM', () => {
    const query = parseStatement('SELECT *, c.*, 1 FROM clicks c LIMIT ALL') as Query;
    expect(shape((query.body as Select).items)).toEqual([
      { expr: { kind: 'star', table: null }, alias: null },
      { expr: { kind: 'star', table: 'c' }, alias: null },
      { expr: lit(1), alias: null },
    ]);
    expect(query.limit).toBeNull();
    expect(shape(select('SELECT 1 + 1 AS two').from)).toBeNull();
  });

  it('reads WITH queries, with and without their column names', () => {
    const query = parseStatement(
      'WITH s (id, n) AS (SELECT sessionId, count(*) FROM clicks GROUP BY 1), ' +
        'one AS (SELECT id FROM s WHERE n = 1) SELECT count(*) FROM one',
    ) as Query;
    expect(query.with.map((cte) => [cte.name, cte.columns])).toEqual([
      ['s', ['id', 'n']],
      ['one', null],
    ]);
    expect(shape((query.with[1]!.query.body as Select).from)).toEqual(table('s'));
  });

  it('reads UNION [ALL|DISTINCT] left to right, and parenthesised queries', () => {
    const query = parseStatement(
      'SELECT 1 UNION ALL SELECT 2 UNION (SELECT 3 ORDER BY 1 LIMIT 1) ORDER BY 1',
    ) as Query;
    const body = query.body;
    expect(body.kind).toBe('union');
    if (body.kind !== 'union') return;
    expect(body.all).toBe(false);
    expect(body.left.kind === 'union' && body.left.all).toBe(true);
    expect(body.right.kind).toBe('nested');
    if (body.right.kind === 'nested') expect(shape(body.right.query.limit)).toEqual(lit(1));
    expect(query.orderBy).toHaveLength(1);
    const distinct = parseStatement('SELECT 1 UNION DISTINCT SELECT 2') as Query;
    expect(distinct.body.kind === 'union' && distinct.body.all).toBe(false);
  });

  it('reads every join, comma cross joins, USING, derived tables and aliases', () => {
    const from = select(
      'SELECT * FROM a, b AS bb JOIN c ON a.x = c.x LEFT OUTER JOIN d USING (k, l) ' +
        'RIGHT JOIN e ON true FULL OUTER JOIN (SELECT 1 AS k) AS f ON f.k = e.k ' +
        'CROSS JOIN (SELECT 2) g INNER JOIN (h LEFT JOIN i ON h.y = i.y) ON TRUE',
    ).from!;
    const joins: string[] = [];
    const walk = (r: Relation): string => {
      if (r.kind === 'table') return r.alias ? `${r.name} ${r.alias}` : r.name;
      if (r.kind === 'derived') return `(query) ${r.alias}`;
      if (r.kind === 'function') return `${r.name}()`;
      const how = r.using ? ` using ${r.using.join(',')}` : r.on ? ' on' : '';
      joins.push(r.type);
      return `[${walk(r.left)} ${r.type} ${walk(r.right)}${how}]`;
    };
    // As in Spark, JOIN binds tighter than a comma: `a, (b JOIN c …)`.
    expect(walk(from)).toBe(
      '[a cross [[[[[[b bb inner c on] left d using k,l] right e on] full (query) f on] ' +
        'cross (query) g] inner [h left i on] on]]',
    );
    expect(new Set(joins)).toEqual(new Set(['inner', 'left', 'right', 'full', 'cross']));
  });

  it('tells a parenthesised query from parenthesised joins, however deep', () => {
    expect(shape(select('SELECT * FROM ((a JOIN b ON TRUE))').from)).toMatchObject({
      kind: 'join',
      left: table('a'),
      right: table('b'),
    });
    const derived = select('SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u').from!;
    expect(derived.kind === 'derived' && [derived.alias, derived.query.body.kind]).toEqual([
      'u',
      'union',
    ]);
  });

  it('reads SHOW TABLES, DESCRIBE [TABLE] and DESC, EXPLAIN', () => {
    expect(shape(parseStatement('show tables;'))).toEqual({ kind: 'show-tables' });
    expect(shape(parseStatement('DESCRIBE TABLE clicks'))).toEqual({
      kind: 'describe',
      table: 'clicks',
    });
    expect(shape(parseStatement('desc `my table`'))).toEqual({
      kind: 'describe',
      table: 'my table',
    });
    const explain = parseStatement('EXPLAIN SELECT page FROM clicks') as Statement & {
      kind: 'explain';
    };
    expect(explain.kind).toBe('explain');
    expect(shape((explain.statement.body as Select).from)).toEqual(table('clicks'));
  });

  it('keeps names as written, keywords in any case, and non-reserved words as names', () => {
    const s = select('SeLeCt Page, date, window.start, `value.page`, `a``b` FrOm Clicks');
    expect(shape(s.items.map((item) => item.expr))).toEqual([
      col('Page'),
      col('date'),
      col('window', 'start'),
      col('value.page'),
      col('a`b'),
    ]);
    expect(shape(s.from)).toEqual(table('Clicks'));
  });
});

describe('parseExpression: precedence', () => {
  it.each([
    ['a OR b AND c', '(a or (b and c))'],
    ['NOT a = 1 AND b', '((not (a = 1)) and b)'],
    ['NOT NOT a', '(not (not a))'],
    ['a = 1 OR b <> 2 AND c != 3', '((a = 1) or ((b <> 2) and (c <> 3)))'],
    ['a == b <=> c', '((a = b) <=> c)'],
    ['1 + 2 * 3 - 4', '((1 + (2 * 3)) - 4)'],
    ['a / b % c DIV d', '(((a / b) % c) div d)'],
    ['a || b + 1', '((a || b) + 1)'],
    ['-a * b', '((-a) * b)'],
    ['- -a', '(-(-a))'],
    ['-x::int', '(-cast(x as int))'],
    ['a + b::string', '(a + cast(b as string))'],
    ['a < b + 1', '(a < (b + 1))'],
    ['a + 1 BETWEEN b AND c * 2 AND d', '(((a + 1) between b and (c * 2)) and d)'],
    ['a NOT BETWEEN 1 AND 2', '(a not between 1 and 2)'],
    ['x IS NOT NULL AND y IS NULL', '((x is not null) and (y is null))'],
    ['x IS UNKNOWN', '(x is null)'],
    ['a + 1 IN (1, 2 + 3)', '((a + 1) in 1, (2 + 3))'],
    ['a NOT IN (1)', '(a not in 1)'],
    ["a LIKE 'x%' OR a NOT ILIKE b || '%'", "((a like 'x%') or (a not ilike (b || '%')))"],
    ['x IS TRUE', '(x <=> true)'],
    ['x IS NOT FALSE', '(not (x <=> false))'],
    ['x IS DISTINCT FROM y + 1', '(not (x <=> (y + 1)))'],
    ['x IS NOT DISTINCT FROM y', '(x <=> y)'],
    ['(a OR b) AND c', '((a or b) and c)'],
    ['? + ? = $n + :m', '((?0 + ?1) = ($n + $m))'],
  ])('%s → %s', (text, parenthesised) => {
    expect(expr(text)).toBe(parenthesised);
  });
});

describe('parseExpression: literals and names', () => {
  it('decodes strings in both quotes, escapes, raw strings, and adjacent strings', () => {
    expect(shape(parseExpression(`'it\\'s' "say \\"hi\\"" '\\n\\t\\\\'`))).toEqual(
      lit(`it'ssay "hi"\n\t\\`),
    );
    // As in Spark (its conformance suite says so), '' in a string is a quote.
    expect(shape(parseExpression(`'it''s'`))).toEqual(lit("it's"));
    expect(shape(parseExpression(`R'\\d+' r"\\n"`))).toEqual(lit('\\d+\\n'));
    expect(shape(parseExpression(`'50\\% of a\\_b'`))).toEqual(lit('50\\% of a\\_b'));
    expect(shape(parseExpression(`'\\u00e9'`))).toEqual(lit('é'));
  });

  it('reads numbers, booleans and NULL', () => {
    expect(['12', '1.5', '.5', '1e3', '2.5E-1'].map((n) => shape(parseExpression(n)))).toEqual(
      [12, 1.5, 0.5, 1000, 0.25].map(lit),
    );
    expect(expr('TRUE AND false OR null')).toBe('((true and false) or null)');
  });

  it('skips line and nested block comments', () => {
    expect(expr('a -- the page\n + /* one /* nested */ more */ 1')).toBe('(a + 1)');
  });

  it('numbers ? params in order of appearance and names $ and : params', () => {
    const s = select('SELECT ? FROM t WHERE a = ? AND b = $page AND c = :user AND d = ?');
    expect(shape(s.items[0]!.expr)).toEqual({ kind: 'param', index: 0, name: null });
    expect(show(s.where!)).toBe('((((a = ?1) and (b = $page)) and (c = $user)) and (d = ?2))');
  });

  it('reads intervals in each of their spellings, in ms', () => {
    expect(
      [
        "interval '5 minutes'",
        "INTERVAL '1' HOUR",
        'interval 5 minutes',
        "INTERVAL '1 day 2 hours'",
        'interval 1 day 30 minutes',
        "interval '-1.5 seconds'",
        'interval 2 weeks',
        "interval '250' millisecond",
        "interval -'-2' hours",
        'interval -5 minutes',
      ].map((text) => (parseExpression(text) as Expr & { kind: 'interval' }).ms),
    ).toEqual([
      300_000, 3_600_000, 300_000, 93_600_000, 88_200_000, -1500, 1_209_600_000, 250, 7_200_000,
      -300_000,
    ]);
    expect(shape(parseExpression("now() - INTERVAL '5' minute"))).toMatchObject({
      right: { kind: 'interval', text: "INTERVAL '5' minute" },
    });
  });

  it('reads CAST types, lower case, as the resolved cast types', () => {
    const types = [
      'int',
      'INTEGER',
      'bigint',
      'long',
      'smallint',
      'tinyint',
      'double',
      'float',
      'real',
      'decimal(10, 2)',
      'string',
      'varchar(20)',
      'boolean',
      'timestamp',
      'date',
    ].map((type) => (parseExpression(`CAST(x AS ${type})`) as Expr & { kind: 'cast' }).type);
    expect(types).toEqual([
      'int',
      'int',
      'bigint',
      'bigint',
      'int',
      'int',
      'double',
      'double',
      'double',
      'double',
      'string',
      'string',
      'boolean',
      'timestamp',
      'date',
    ]);
    expect(expr("DATE '2024-01-31'")).toBe("cast('2024-01-31' as date)");
  });

  it('reads CASE, simple and searched', () => {
    expect(
      shape(parseExpression("CASE WHEN a > 1 THEN 'big' WHEN a IS NULL THEN NULL END")),
    ).toEqual({
      kind: 'case',
      operand: null,
      whens: [
        { when: { kind: 'binary', op: '>', left: col('a'), right: lit(1) }, then: lit('big') },
        { when: { kind: 'is-null', arg: col('a'), not: false }, then: lit(null) },
      ],
      else: null,
    });
    expect(shape(parseExpression('case x when 1 then 2 else 3 end'))).toEqual({
      kind: 'case',
      operand: col('x'),
      whens: [{ when: lit(1), then: lit(2) }],
      else: lit(3),
    });
  });

  it('reads calls: DISTINCT, FILTER, EXTRACT, current_timestamp without parentheses, left()', () => {
    expect(
      shape(parseExpression('count(DISTINCT sessionId) FILTER (WHERE page IS NOT NULL)')),
    ).toEqual({
      kind: 'call',
      name: 'count',
      args: [col('sessionId')],
      distinct: true,
      star: false,
      filter: { kind: 'is-null', arg: col('page'), not: true },
      over: null,
    });
    expect(expr('EXTRACT(HOUR FROM _timestamp)')).toBe("extract('hour', _timestamp)");
    expect(expr("current_timestamp - CURRENT_DATE() + Date_Trunc('minute', t)")).toBe(
      "((current_timestamp() - current_date()) + date_trunc('minute', t))",
    );
    expect(expr('left(page, 3)')).toBe('left(page, 3)');
  });

  it('reads OVER with PARTITION BY, ORDER BY and each kind of frame', () => {
    const over = (text: string) => (parseExpression(text) as Expr & { kind: 'call' }).over;
    expect(shape(over('lead(page) OVER (PARTITION BY tabId ORDER BY _timestamp)'))).toEqual({
      partitionBy: [col('tabId')],
      orderBy: [{ expr: col('_timestamp'), descending: false, nulls: null }],
      frame: null,
    });
    expect(over('row_number() OVER ()')).toEqual({ partitionBy: [], orderBy: [], frame: null });
    expect(
      over('sum(x) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)')!.frame,
    ).toEqual({
      unit: 'rows',
      start: { kind: 'unbounded-preceding' },
      end: { kind: 'following', offset: 2 },
    });
    expect(over('sum(x) OVER (ORDER BY t ROWS 3 PRECEDING)')!.frame).toEqual({
      unit: 'rows',
      start: { kind: 'preceding', offset: 3 },
      end: { kind: 'current-row' },
    });
    expect(
      over(
        "count(*) OVER (ORDER BY _timestamp RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW)",
      )!.frame,
    ).toEqual({
      unit: 'range',
      start: { kind: 'preceding', offset: 60_000 },
      end: { kind: 'current-row' },
    });
    expect(
      over('max(x) OVER (ORDER BY t RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)')!.frame,
    ).toEqual({
      unit: 'range',
      start: { kind: 'current-row' },
      end: { kind: 'unbounded-following' },
    });
  });

  it('reads subqueries: scalar, IN, EXISTS and NOT EXISTS', () => {
    const where = select(
      'SELECT (SELECT max(x) FROM t) FROM u WHERE a IN (SELECT a FROM t) AND NOT EXISTS (SELECT 1 FROM v)',
    );
    expect(where.items[0]!.expr.kind).toBe('subquery');
    const cond = where.where!;
    expect(cond.kind === 'binary' && cond.left.kind === 'in' && cond.left.query !== null).toBe(
      true,
    );
    expect(cond.kind === 'binary' && shape(cond.right)).toMatchObject({
      kind: 'exists',
      not: true,
    });
    expect(expr('((SELECT 1)) + 1')).toBe('(subquery + 1)');
  });

  it("reads LIKE's ESCAPE character", () => {
    expect(shape(parseExpression("a LIKE 'x!%' ESCAPE '!'"))).toMatchObject({
      kind: 'like',
      escape: '!',
      caseInsensitive: false,
    });
  });
});

describe('positions', () => {
  it('gives each node its line, column and offset where its text starts', () => {
    const text =
      'SELECT page,\n  count(*) AS n\nFROM clicks c\n  JOIN t ON c.id = t.id\nWHERE n > 1';
    const query = parseStatement(text) as Query;
    const s = query.body as Select;
    const at = (line: number, column: number, found: string) => ({
      line,
      column,
      offset: text.indexOf(found),
    });
    expect(query.pos).toEqual({ line: 1, column: 1, offset: 0 });
    expect(s.items[1]!.pos).toEqual(at(2, 3, 'count'));
    const from = s.from!;
    // A join is where its keyword is; a binary expression where its left side starts.
    expect(from.pos).toEqual(at(4, 3, 'JOIN'));
    expect(from.kind === 'join' && from.left.pos).toEqual(at(3, 6, 'clicks'));
    expect(from.kind === 'join' && from.on!.pos).toEqual(at(4, 13, 'c.id'));
    expect(s.where!.pos).toEqual(at(5, 7, 'n > 1'));
  });

  it('counts \\r\\n as one line break', () => {
    const s = select('SELECT\r\n  a\r\nFROM t');
    expect(s.items[0]!.pos).toEqual({ line: 2, column: 3, offset: 10 });
  });
});

describe('errors: what, where, and a caret', () => {
  it.each([
    [
      'a misspelt keyword',
      'SELECT page FORM clicks',
      'line 1, column 13: expected FROM or the end of the statement, found "FORM"\n' +
        'SELECT page FORM clicks\n' +
        '            ^',
    ],
    [
      'a missing expression',
      'SELECT a,\nFROM t',
      'line 2, column 1: expected an expression, found "FROM"\nFROM t\n^',
    ],
    [
      'an unclosed parenthesis',
      'SELECT count(* FROM t',
      'line 1, column 16: expected ")", found "FROM"\nSELECT count(* FROM t\n               ^',
    ],
    [
      'an unterminated string',
      "SELECT 'abc FROM t",
      "line 1, column 8: unterminated string (a ' without its closing ')\n" +
        "SELECT 'abc FROM t\n       ^",
    ],
    [
      'a character that starts nothing',
      'SELECT a # b',
      'line 1, column 10: unexpected character "#"\nSELECT a # b\n         ^',
    ],
    [
      'a second statement',
      'SELECT 1; SELECT 2',
      'line 1, column 11: one statement at a time: this is a second one\n' +
        'SELECT 1; SELECT 2\n          ^',
    ],
    [
      'unsupported syntax, by name',
      'SELECT a FROM t\nINTERSECT SELECT b FROM u',
      'line 2, column 1: "INTERSECT" is not supported\nINTERSECT SELECT b FROM u\n^',
    ],
    [
      'an interval of months',
      "SELECT now() - interval '1 month'",
      'line 1, column 25: interval unit "month" is not supported: only units of a fixed length ' +
        "(millisecond to week)\nSELECT now() - interval '1 month'\n                        ^",
    ],
    [
      'an unknown type',
      'SELECT CAST(x AS array)',
      'line 1, column 18: the type "array" is not supported\nSELECT CAST(x AS array)\n                 ^',
    ],
    [
      'the end too soon',
      'SELECT a FROM t WHERE',
      'line 1, column 22: expected an expression, found the end of the statement\n' +
        'SELECT a FROM t WHERE\n                     ^',
    ],
    [
      'a ROWS frame in time',
      'SELECT sum(x) OVER (ORDER BY t ROWS INTERVAL 1 HOUR PRECEDING) FROM t',
      'line 1, column 37: a ROWS frame counts rows: an INTERVAL needs RANGE\n' +
        'SELECT sum(x) OVER (ORDER BY t ROWS INTERVAL 1 HOUR PRECEDING) FROM t\n' +
        '                                    ^',
    ],
    [
      'a word where IS needs NULL, TRUE, FALSE or DISTINCT FROM',
      'SELECT x IS 5',
      'line 1, column 13: expected NOT, NULL, UNKNOWN, TRUE, FALSE or DISTINCT FROM, found "5"\n' +
        'SELECT x IS 5\n            ^',
    ],
    [
      'a string where an alias must be a name',
      'SELECT a AS "x"',
      'line 1, column 13: expected a name, found the string "x"\nSELECT a AS "x"\n            ^',
    ],
    [
      'a CASE without WHEN',
      'SELECT CASE ELSE 1 END',
      'line 1, column 13: expected WHEN, found "ELSE"\nSELECT CASE ELSE 1 END\n            ^',
    ],
    [
      'an unterminated comment, on its line',
      'SELECT a\n  /* the page',
      'line 2, column 3: unterminated comment (a /* without its */)\n  /* the page\n  ^',
    ],
  ])('%s', (_kind, text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('lists what could have come after a complete clause', () => {
    expect(errorOf('SELECT a b c').split('\n')[0]).toBe(
      'line 1, column 12: expected ",", FROM, WHERE, GROUP BY, HAVING, UNION, ORDER BY, LIMIT, ' +
        'OFFSET, ";" or the end of the statement, found "c"',
    );
  });

  it.each([
    ['INSERT INTO t VALUES (1)', '"INSERT" is not supported'],
    ['SELECT a FROM t LEFT SEMI JOIN u ON a = b', '"SEMI" is not supported'],
    ['SELECT a FROM t LATERAL VIEW explode(x) e', '"LATERAL" is not supported'],
    ['SELECT a FROM t GROUP BY ALL', 'GROUP BY ALL is not supported'],
    ['SELECT a FROM t GROUP BY ROLLUP(a)', 'GROUP BY ROLLUP is not supported'],
    ['SELECT a & 1', 'the operator "&" is not supported'],
    ['SELECT first_value(a) IGNORE NULLS OVER ()', 'IGNORE NULLS is not supported'],
    ['WITH RECURSIVE r AS (SELECT 1) SELECT 1', 'WITH RECURSIVE is not supported'],
    ['SELECT sum(x) OVER w FROM t', 'a named window (OVER name) is not supported'],
  ])('names unsupported syntax: %s', (text, reason) => {
    const [place, said] = errorOf(text).split('\n')[0]!.split(': ');
    expect(place).toMatch(/^line 1, column \d+$/);
    expect(said).toBe(reason);
  });

  it('reports an error of an expression the same way', () => {
    expect(errorOf('a +', parseExpression).split('\n')[0]).toBe(
      'line 1, column 4: expected an expression, found the end of the statement',
    );
  });
});

describe('parseExpression: any tree, written out in full, reads back as itself', () => {
  const OPS: Record<BinaryOp, string> = {
    '+': '+',
    '-': '-',
    '*': '*',
    '/': '/',
    '%': '%',
    div: 'DIV',
    '||': '||',
    '=': '=',
    '<=>': '<=>',
    '<>': '<>',
    '<': '<',
    '<=': '<=',
    '>': '>',
    '>=': '>=',
    and: 'AND',
    or: 'OR',
  };
  const names = fc.constantFrom('a', 'page', 'Window', 'date', 'hour', 'key');
  const leaf = fc.oneof(
    fc.nat().map((value) => ({ kind: 'literal', value })),
    fc.string().map((value) => ({ kind: 'literal', value })),
    fc.constantFrom(true, false, null).map((value) => ({ kind: 'literal', value })),
    fc.array(names, { minLength: 1, maxLength: 3 }).map((parts) => ({ kind: 'column', parts })),
  );
  const { expr: tree } = fc.letrec<{ expr: object }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({
        kind: fc.constant('binary'),
        op: fc.constantFrom(...(Object.keys(OPS) as BinaryOp[])),
        left: tie('expr'),
        right: tie('expr'),
      }),
      fc.record({ kind: fc.constant('unary'), op: fc.constantFrom('-', 'not'), arg: tie('expr') }),
      fc.record({ kind: fc.constant('is-null'), arg: tie('expr'), not: fc.boolean() }),
      fc.record({
        kind: fc.constant('between'),
        arg: tie('expr'),
        low: tie('expr'),
        high: tie('expr'),
        not: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('in'),
        arg: tie('expr'),
        list: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }),
        query: fc.constant(null),
        not: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('like'),
        arg: tie('expr'),
        pattern: tie('expr'),
        not: fc.boolean(),
        caseInsensitive: fc.boolean(),
        escape: fc.constantFrom(null, '!'),
      }),
      fc.record({
        kind: fc.constant('cast'),
        arg: tie('expr'),
        type: fc.constantFrom('int', 'bigint', 'double', 'string', 'boolean', 'timestamp', 'date'),
      }),
      fc.record({
        kind: fc.constant('call'),
        name: fc.constantFrom('coalesce', 'lower', 'max'),
        args: fc.array(tie('expr'), { maxLength: 3 }),
        distinct: fc.constant(false),
        star: fc.constant(false),
        filter: fc.constant(null),
        over: fc.constant(null),
      }),
    ),
  }));

  /** Every operation in parentheses, so that the text says the tree whatever the precedence. */
  function write(e: Expr): string {
    const not = 'not' in e && e.not ? ' NOT' : '';
    switch (e.kind) {
      case 'literal':
        if (typeof e.value === 'string') return `'${e.value.replace(/[\\']/g, '\\$&')}'`;
        return String(e.value).toUpperCase();
      case 'column':
        return e.parts.join('.');
      case 'binary':
        return `(${write(e.left)} ${OPS[e.op]} ${write(e.right)})`;
      case 'unary':
        return `(${e.op === 'not' ? 'NOT' : '-'} ${write(e.arg)})`;
      case 'is-null':
        return `(${write(e.arg)} IS${not} NULL)`;
      case 'between':
        return `(${write(e.arg)}${not} BETWEEN ${write(e.low)} AND ${write(e.high)})`;
      case 'in':
        return `(${write(e.arg)}${not} IN (${e.list!.map(write).join(', ')}))`;
      case 'like': {
        const escape = e.escape === null ? '' : ` ESCAPE '${e.escape}'`;
        const like = e.caseInsensitive ? 'ILIKE' : 'LIKE';
        return `(${write(e.arg)}${not} ${like} ${write(e.pattern)}${escape})`;
      }
      case 'cast':
        return `CAST(${write(e.arg)} AS ${e.type.toUpperCase()})`;
      case 'call':
        return `${e.name}(${e.args.map(write).join(', ')})`;
      default:
        throw new Error(`not generated: ${e.kind}`);
    }
  }

  it('holds for random trees of every operator and predicate', () => {
    fc.assert(
      fc.property(tree, (generated) => {
        const text = write(generated as Expr);
        expect(shape(parseExpression(text))).toEqual(generated);
      }),
      { numRuns: 300 },
    );
  });
});
