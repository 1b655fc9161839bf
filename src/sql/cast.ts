import { formatTimestamp, parseIsoTimestamp, startOfDay, tokenize } from './datetime-pattern';
import { SqlRuntimeError } from './runtime-error';

/**
 * CAST as Spark's ANSI mode does it, on values whose SQL type the runtime cannot see: a number
 * is an int, a double or a timestamp (ms) alike, so `from` (the analyzer's type of the input,
 * when it matters) says which. Without it a number cast to timestamp is taken as ms already.
 */
export type CastTarget = 'int' | 'bigint' | 'double' | 'string' | 'boolean' | 'timestamp' | 'date';

/** The type names CAST knows, by the type each is here. */
const ALIASES: Readonly<Record<string, CastTarget>> = {
  int: 'int',
  integer: 'int',
  smallint: 'int',
  tinyint: 'int',
  short: 'int',
  byte: 'int',
  bigint: 'bigint',
  long: 'bigint',
  double: 'double',
  float: 'double',
  real: 'double',
  decimal: 'double',
  dec: 'double',
  numeric: 'double',
  string: 'string',
  varchar: 'string',
  char: 'string',
  boolean: 'boolean',
  bool: 'boolean',
  timestamp: 'timestamp',
  timestamp_ltz: 'timestamp',
  timestamp_ntz: 'timestamp',
  date: 'date',
};

/**
 * The cast type a type name stands for (any case): one of bound.ts's (`decimal(p, s)` is a
 * double, `varchar(n)` a string), or null if CAST does not know it.
 */
export function castType(name: string): CastTarget | null {
  return ALIASES[name.toLowerCase()] ?? null;
}

function castTarget(type: string): CastTarget {
  const target = castType(type.replace(/\(.*$/, ''));
  if (!target) throw new SqlRuntimeError(`[UNSUPPORTED_DATATYPE] Unsupported data type "${type}".`);
  return target;
}

const INT_RANGE = 2 ** 31;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/;
const SPECIAL: Readonly<Record<string, number>> = {
  nan: NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};

function invalid(v: unknown, to: string): SqlRuntimeError {
  const type = typeof v === 'string' ? 'STRING' : typeof v === 'boolean' ? 'BOOLEAN' : 'DOUBLE';
  return new SqlRuntimeError(
    `[CAST_INVALID_INPUT] The value '${String(v)}' of the type "${type}" cannot be cast to "${to}" because it is malformed. Use \`try_cast\` to tolerate malformed input and return NULL instead.`,
  );
}

function overflow(v: number, to: string): SqlRuntimeError {
  return new SqlRuntimeError(
    `[CAST_OVERFLOW] The value ${numberToString(v)} of the type "DOUBLE" cannot be cast to "${to}" due to an overflow. Use \`try_cast\` to tolerate overflow and return NULL instead.`,
  );
}

/** A string as a double (Spark accepts a trailing d/f, NaN and Infinity); null if malformed. */
function parseDouble(text: string): number | null {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t.replace(/[dDfF]$/, ''));
  return SPECIAL[t.toLowerCase()] ?? null;
}

/** An operand of arithmetic: strings are cast to double as Spark's implicit cast does (ANSI: malformed is an error). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = typeof v === 'string' ? parseDouble(v) : null;
  if (n === null) throw invalid(v, 'DOUBLE');
  return n;
}

function toIntegral(v: unknown, to: 'INT' | 'BIGINT', range: number): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    // ANSI: an integral string only (no fraction), within range.
    const t = v.trim();
    if (!/^[+-]?\d+$/.test(t)) throw invalid(v, to);
    const n = Number(t);
    if (n < -range || n >= range) throw invalid(v, to);
    return n;
  }
  const n = v as number;
  if (!Number.isFinite(n) || n <= -range - 1 || n >= range) throw overflow(n, to);
  return Math.trunc(n) || 0;
}

/**
 * A double as Spark prints one, except that JS cannot tell 1.0 from 1: integral values print
 * without '.0' (as Spark prints an int or bigint). Java switches to E notation below 1e-3 and
 * from 1e7.
 */
function numberToString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const SECONDS = tokenize('yyyy-MM-dd HH:mm:ss');
const MILLIS = tokenize('yyyy-MM-dd HH:mm:ss.SSS');
const DAY = tokenize('yyyy-MM-dd');

/** A timestamp as Spark prints it: `yyyy-MM-dd HH:mm:ss`, with `.SSS` when there are ms. */
function timestampToString(ms: number): string {
  return formatTimestamp(ms, ms % 1000 === 0 ? SECONDS : MILLIS);
}

function dateToString(ms: number): string {
  return formatTimestamp(ms, DAY);
}

/** Any value as a string, as Spark's cast to string prints it (structs as `{a, b}`). */
export function valueToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(valueToString).join(', ')}]`;
  return `{${Object.values(v).map(valueToString).join(', ')}}`;
}

function toBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const t = String(v).trim().toLowerCase();
  if (['t', 'true', 'y', 'yes', '1'].includes(t)) return true;
  if (['f', 'false', 'n', 'no', '0'].includes(t)) return false;
  throw invalid(v, 'BOOLEAN');
}

function toTimestamp(v: unknown, from: string | null, to: 'TIMESTAMP' | 'DATE'): number {
  if (typeof v === 'string') {
    const ms = parseIsoTimestamp(v);
    if (ms === null) throw invalid(v, to);
    return ms;
  }
  if (typeof v !== 'number') throw invalid(v, to);
  // A number as a timestamp is seconds since the epoch (Spark's cast of a numeric type).
  const numeric = from === 'int' || from === 'bigint' || from === 'double';
  return numeric ? Math.floor(v * 1000) : v;
}

/** The cast of a non-null value to `type`; `from` is the input's SQL type where known. */
export function compileCast(type: string, from: string | null): (v: unknown) => unknown {
  const target = castTarget(type);
  const fromTime = from === 'timestamp' || from === 'date';
  switch (target) {
    case 'int':
      return (v) => toIntegral(v, 'INT', INT_RANGE);
    case 'bigint':
      // A timestamp as bigint is its seconds since the epoch, as Spark's.
      return fromTime
        ? (v) => Math.floor((v as number) / 1000)
        : (v) => toIntegral(v, 'BIGINT', 2 ** 63);
    case 'double':
      return toNumber;
    case 'boolean':
      return toBoolean;
    case 'timestamp':
      return (v) => toTimestamp(v, from, 'TIMESTAMP');
    case 'date':
      return (v) => startOfDay(toTimestamp(v, from, 'DATE'));
    default:
      if (from === 'timestamp') return (v) => timestampToString(v as number);
      if (from === 'date') return (v) => dateToString(v as number);
      return valueToString;
  }
}
