import type { Expr } from './ast';

/**
 * The name of a select item without an alias, as Spark names it where simple: a column's
 * name, `count(1)` for `count(*)`, `lower(page)`, `(x + 1)`; the expression's kind otherwise.
 */
export function expressionName(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return e.parts[e.parts.length - 1]!;
    case 'literal':
      return e.value === null ? 'NULL' : typeof e.value === 'string' ? e.value : String(e.value);
    case 'call': {
      if (e.star) return `${e.name}(1)`;
      const args = e.args.map(expressionName).join(', ');
      return `${e.name}(${e.distinct ? 'DISTINCT ' : ''}${args})`;
    }
    case 'binary':
      return `(${expressionName(e.left)} ${e.op.toUpperCase()} ${expressionName(e.right)})`;
    case 'unary':
      return e.op === 'not'
        ? `(NOT ${expressionName(e.arg)})`
        : `(${e.op} ${expressionName(e.arg)})`;
    case 'cast':
      return `CAST(${expressionName(e.arg)} AS ${e.type.toUpperCase()})`;
    case 'param':
      return e.name ?? `?`;
    default:
      return e.kind.replace('-', '_');
  }
}
