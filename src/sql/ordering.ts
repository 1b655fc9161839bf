import type { SortKey } from './bound';
import { compareValues } from './compare';
import type { Row } from './runtime-error';
import { compileScalar } from './scalar';

export { compareValues } from './compare';

/** One sort term of two values, nulls placed as the key says, the rest by compareValues. */
export function compareKey(x: unknown, y: unknown, key: SortKey): number {
  if (x == null) return y == null ? 0 : key.nullsFirst ? -1 : 1;
  if (y == null) return key.nullsFirst ? 1 : -1;
  const c = compareValues(x, y);
  return key.descending ? -c : c;
}

/**
 * ORDER BY as a comparator of rows: term by term, each key's expression compiled once; 0 when
 * every term ties (callers sort stably, so ties keep their order).
 */
export function compileOrdering(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  const exprs = keys.map((k) => compileScalar(k.expr));
  return (a, b) => {
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i]!;
      const c = compareKey(e(a), e(b), keys[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
}
