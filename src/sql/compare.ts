/**
 * Spark's order of two non-null values of one type: numbers (NaN above every number and equal
 * to itself, as Spark's), strings by their UTF-8 bytes, false before true, structs field by
 * field, arrays element by element. Values of different types (which the analyzer's casts
 * prevent) still get a total order: boolean < number < string < array < struct.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b);
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) return compareArrays(a, b as unknown[]);
  return compareStructs(a as Record<string, unknown>, b as Record<string, unknown>);
}

function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  // One or both are NaN: NaN is the largest.
  const na = Number.isNaN(a);
  return na === Number.isNaN(b) ? 0 : na ? 1 : -1;
}

/**
 * UTF-8 byte order is code point order, which differs from UTF-16 code unit order only where a
 * surrogate (a code point above U+FFFF) meets a unit in U+E000..U+FFFF: shift both ranges.
 */
function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function typeRank(v: unknown): number {
  if (typeof v === 'boolean') return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  return Array.isArray(v) ? 3 : 4;
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareNullsFirst(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareStructs(a: Record<string, unknown>, b: Record<string, unknown>): number {
  for (const key of Object.keys(a)) {
    const c = compareNullsFirst(a[key] ?? null, b[key] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

/** Inside arrays and structs, Spark orders nulls first. */
function compareNullsFirst(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  return compareValues(a, b);
}
