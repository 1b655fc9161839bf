import {
  dayOfYear,
  formatTimestamp,
  localMs,
  parseIsoTimestamp,
  parseTimestamp,
  startOfDay,
  tokenize,
  type Token,
} from './datetime-pattern';
import {
  cached,
  custom,
  fn1,
  fn2,
  int,
  literal,
  num,
  str,
  type ScalarFunction,
} from './function-kit';
import { SqlRuntimeError } from './runtime-error';

/**
 * Time functions on timestamps as ms since the epoch, in the browser's local time zone (Spark's
 * session time zone is the JVM's local one).
 */
const DAY_MS = 86_400_000;

/**
 * A timestamp argument: ms, or a string Spark would implicitly cast to a timestamp
 * (`'2009-07-30'`); ANSI: malformed is an error.
 */
function timestampOf(v: unknown): number {
  if (typeof v === 'number') return v;
  const parsed = parseIsoTimestamp(str(v));
  if (parsed === null) throw castInvalid(str(v), 'TIMESTAMP');
  return parsed;
}

/** The local fields of a timestamp through one reused Date (no allocation per row). */
const scratch = new Date(0);
const at = (v: unknown): Date => {
  scratch.setTime(timestampOf(v));
  return scratch;
};

/** Monday-based ISO 8601 week of the year, as Spark's weekofyear. */
function isoWeek(ms: number): number {
  const d = new Date(startOfDay(ms));
  const day = (d.getDay() + 6) % 7;
  d.setDate(d.getDate() - day + 3); // the Thursday of this week decides its year
  const firstThursday = new Date(d.getFullYear(), 0, 4);
  const firstDay = (firstThursday.getDay() + 6) % 7;
  firstThursday.setDate(firstThursday.getDate() - firstDay + 3);
  return 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * DAY_MS));
}

const FIELDS: Readonly<Record<string, (ms: number) => number>> = {
  year: (ms) => at(ms).getFullYear(),
  quarter: (ms) => Math.floor(at(ms).getMonth() / 3) + 1,
  month: (ms) => at(ms).getMonth() + 1,
  day: (ms) => at(ms).getDate(),
  dayofweek: (ms) => at(ms).getDay() + 1,
  dayofweek_iso: (ms) => ((at(ms).getDay() + 6) % 7) + 1,
  dayofyear: (ms) => dayOfYear(at(ms)),
  weekofyear: isoWeek,
  hour: (ms) => at(ms).getHours(),
  minute: (ms) => at(ms).getMinutes(),
  second: (ms) => at(ms).getSeconds(),
};

/** EXTRACT's field names, with Spark's aliases; SECOND keeps its fraction there. */
const EXTRACT: Readonly<Record<string, (ms: number) => number>> = {
  ...aliases(['year', 'y', 'years', 'yr', 'yrs'], FIELDS.year!),
  ...aliases(['quarter', 'qtr'], FIELDS.quarter!),
  ...aliases(['month', 'mon', 'mons', 'months'], FIELDS.month!),
  ...aliases(['week', 'w', 'weeks'], FIELDS.weekofyear!),
  ...aliases(['day', 'd', 'days'], FIELDS.day!),
  ...aliases(['dayofweek', 'dow'], FIELDS.dayofweek!),
  ...aliases(['dayofweek_iso', 'dow_iso'], FIELDS.dayofweek_iso!),
  ...aliases(['doy'], FIELDS.dayofyear!),
  ...aliases(['hour', 'h', 'hours', 'hr', 'hrs'], FIELDS.hour!),
  ...aliases(['minute', 'm', 'min', 'mins', 'minutes'], FIELDS.minute!),
  ...aliases(['second', 's', 'sec', 'seconds', 'secs'], (ms) => {
    const d = at(ms);
    return d.getSeconds() + d.getMilliseconds() / 1000;
  }),
};

function aliases<T>(names: readonly string[], value: T): Record<string, T> {
  return Object.fromEntries(names.map((n) => [n, value]));
}

function unknownField(field: string): SqlRuntimeError {
  return new SqlRuntimeError(`[INVALID_EXTRACT_FIELD] Cannot extract ${field} from the timestamp.`);
}

/** extract(field, ts): the field is a literal string (the parser's rewrite of EXTRACT(f FROM x)). */
const extract = custom(2, 2, ([field, ts], bound) => {
  const lit = literal(bound[0]);
  const fixed = typeof lit === 'string' ? EXTRACT[lit.toLowerCase()] : undefined;
  if (typeof lit === 'string' && !fixed) throw unknownField(lit);
  return (row) => {
    const f = field!(row);
    const t = ts!(row);
    if (f == null || t == null) return null;
    const get = fixed ?? EXTRACT[str(f).toLowerCase()];
    if (!get) throw unknownField(str(f));
    return get(timestampOf(t));
  };
});

const mod = (a: number, m: number): number => ((a % m) + m) % m;

/** date_trunc's units, with Spark's aliases: the start of the unit that holds `ms`. */
const TRUNC: Readonly<Record<string, (d: Date) => number>> = {
  ...aliases(['year', 'yyyy', 'yy'], (d) => localMs(d.getFullYear(), 1, 1, 0, 0, 0, 0)),
  ...aliases(['quarter'], (d) =>
    localMs(d.getFullYear(), d.getMonth() - (d.getMonth() % 3) + 1, 1, 0, 0, 0, 0),
  ),
  ...aliases(['month', 'mm', 'mon'], (d) =>
    localMs(d.getFullYear(), d.getMonth() + 1, 1, 0, 0, 0, 0),
  ),
  ...aliases(['week'], (d) =>
    localMs(d.getFullYear(), d.getMonth() + 1, d.getDate() - ((d.getDay() + 6) % 7), 0, 0, 0, 0),
  ),
  ...aliases(['day', 'dd'], (d) =>
    localMs(d.getFullYear(), d.getMonth() + 1, d.getDate(), 0, 0, 0, 0),
  ),
  // The hour's start has the offset of the time itself (offsets change on the hour).
  ...aliases(
    ['hour'],
    (d) => d.getTime() - mod(d.getTime() - d.getTimezoneOffset() * 60_000, 3_600_000),
  ),
  ...aliases(['minute'], (d) => d.getTime() - (((d.getTime() % 60_000) + 60_000) % 60_000)),
  ...aliases(['second'], (d) => d.getTime() - (((d.getTime() % 1000) + 1000) % 1000)),
  ...aliases(['millisecond', 'microsecond'], (d) => d.getTime()),
};

/** date_trunc(unit, ts); an unknown unit gives null, as Spark's. */
const dateTrunc = custom(2, 2, ([unit, ts], bound) => {
  const lit = literal(bound[0]);
  const fixed = typeof lit === 'string' ? TRUNC[lit.toLowerCase()] : undefined;
  return (row) => {
    const u = unit!(row);
    const t = ts!(row);
    if (u == null || t == null) return null;
    const trunc = fixed ?? TRUNC[str(u).toLowerCase()];
    return trunc ? trunc(at(t)) : null;
  };
});

/** trunc(date, unit): to a year, quarter, month or week only (Spark's). */
const trunc = fn2((ts, unit) => {
  const u = str(unit).toLowerCase();
  const f = ['year', 'yyyy', 'yy', 'quarter', 'month', 'mm', 'mon', 'week'].includes(u)
    ? TRUNC[u]
    : undefined;
  return f ? f(at(ts)) : null;
});

/** A function with a datetime pattern argument at `index`, tokenized once when a literal. */
function patterned(
  min: number,
  max: number,
  index: number,
  fallback: string | null,
  f: (args: readonly unknown[], tokens: readonly Token[] | null) => unknown,
): ScalarFunction {
  return custom(min, max, (args, bound) => {
    const tokens = cached<unknown, Token[]>(tokenize);
    const lit = literal(bound[index]);
    if (typeof lit === 'string') tokens(lit);
    const values: unknown[] = new Array<unknown>(max);
    return (row) => {
      for (let i = 0; i < max; i++) {
        const v = i < args.length ? args[i]!(row) : undefined;
        if (v === null || (i < args.length && v === undefined)) return null;
        values[i] = v;
      }
      const pattern = values[index] ?? fallback;
      return f(values, pattern == null ? null : tokens(pattern));
    };
  });
}

function cannotParse(text: string): SqlRuntimeError {
  return new SqlRuntimeError(
    `[CANNOT_PARSE_TIMESTAMP] Text '${text}' could not be parsed. Use \`try_to_timestamp\` to tolerate invalid input string and return NULL instead.`,
  );
}

function castInvalid(text: string, to: string): SqlRuntimeError {
  return new SqlRuntimeError(
    `[CAST_INVALID_INPUT] The value '${text}' of the type "STRING" cannot be cast to "${to}" because it is malformed.`,
  );
}

/** A string (or a number of seconds) as a timestamp; ANSI: what does not parse is an error. */
function toTimestamp(v: unknown, tokens: readonly Token[] | null, strict: boolean): number | null {
  if (typeof v === 'number') return tokens ? null : Math.floor(v * 1000);
  const text = str(v);
  const ms = tokens ? parseTimestamp(text, tokens) : parseIsoTimestamp(text);
  if (ms === null && strict) throw tokens ? cannotParse(text) : castInvalid(text, 'TIMESTAMP');
  return ms;
}

const toTimestampFn = (strict: boolean) =>
  patterned(1, 2, 1, null, ([v], tokens) => toTimestamp(v, tokens, strict));

const toDate = patterned(1, 2, 1, null, ([v], tokens) => {
  if (typeof v === 'number') return startOfDay(v);
  const ms = toTimestamp(v, tokens, true);
  return ms === null ? null : startOfDay(ms);
});

const DEFAULT_FORMAT = 'yyyy-MM-dd HH:mm:ss';

/** unix_timestamp(): now; of a timestamp (number): its seconds; of a string: parsed with the pattern. */
const unixTimestamp = custom(0, 2, (args, bound) => {
  if (args.length === 0) return () => Math.floor(Date.now() / 1000);
  const parse = patterned(1, 2, 1, DEFAULT_FORMAT, ([v], tokens) => {
    if (typeof v === 'number') return Math.floor(v / 1000);
    const ms = parseTimestamp(str(v), tokens!);
    if (ms === null) throw cannotParse(str(v));
    return Math.floor(ms / 1000);
  });
  return parse.compile(args, bound);
});

const fromUnixtime = patterned(1, 2, 1, DEFAULT_FORMAT, ([s], tokens) =>
  formatTimestamp(num(s) * 1000, tokens!),
);

const dateFormat = patterned(2, 2, 1, null, ([ts], tokens) =>
  formatTimestamp(timestampOf(ts), tokens!),
);

/** now() and its names: the time the expression is compiled, the same for every row (Spark: per query). */
const now = custom(0, 0, () => {
  const t = Date.now();
  return () => t;
});

const currentDate = custom(0, 0, () => {
  const t = startOfDay(Date.now());
  return () => t;
});

const field = (f: (t: number) => number) => fn1((ts) => f(timestampOf(ts)));
const dateAdd = fn2((d, n) => localShiftDays(timestampOf(d), int(n)));

/** `days` whole local days after `ms`'s local midnight (DST days are not 24 h). */
function localShiftDays(ms: number, days: number): number {
  const d = new Date(startOfDay(ms));
  return localMs(d.getFullYear(), d.getMonth() + 1, d.getDate() + days, 0, 0, 0, 0);
}

export const TIME_FUNCTIONS: ReadonlyArray<readonly [string, ScalarFunction]> = [
  ['now', now],
  ['current_timestamp', now],
  ['localtimestamp', now],
  ['current_date', currentDate],
  ['curdate', currentDate],
  ['date_trunc', dateTrunc],
  ['trunc', trunc],
  ['to_timestamp', toTimestampFn(true)],
  ['try_to_timestamp', toTimestampFn(false)],
  ['to_date', toDate],
  ['from_unixtime', fromUnixtime],
  ['unix_timestamp', unixTimestamp],
  ['timestamp_millis', fn1((n) => num(n))],
  ['timestamp_seconds', fn1((n) => Math.floor(num(n) * 1000))],
  ['unix_millis', fn1((ts) => timestampOf(ts))],
  ['unix_seconds', fn1((ts) => Math.floor(timestampOf(ts) / 1000))],
  ['year', field(FIELDS.year!)],
  ['quarter', field(FIELDS.quarter!)],
  ['month', field(FIELDS.month!)],
  ['day', field(FIELDS.day!)],
  ['dayofmonth', field(FIELDS.day!)],
  ['dayofweek', field(FIELDS.dayofweek!)],
  ['weekday', field((ms) => FIELDS.dayofweek_iso!(ms) - 1)],
  ['dayofyear', field(FIELDS.dayofyear!)],
  ['weekofyear', field(FIELDS.weekofyear!)],
  ['hour', field(FIELDS.hour!)],
  ['minute', field(FIELDS.minute!)],
  ['second', field(FIELDS.second!)],
  ['extract', extract],
  ['date_part', extract],
  ['date_format', dateFormat],
  ['date_add', dateAdd],
  ['date_sub', fn2((d, n) => localShiftDays(timestampOf(d), -int(n)))],
  [
    'datediff',
    fn2((a, b) => Math.round((startOfDay(timestampOf(a)) - startOfDay(timestampOf(b))) / DAY_MS)),
  ],
];
