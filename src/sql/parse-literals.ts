/** The interval units Spark knows that have a fixed length, in ms. */
const UNIT_MS: Readonly<Record<string, number>> = {
  microsecond: 0.001,
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Units Spark has that have no fixed length in ms. */
const CALENDAR_UNITS = new Set(['month', 'year', 'quarter', 'decade', 'century', 'millennium']);

/** A number as an interval's amount may be written: `5`, `-1.5`, `.5`. */
export const SIGNED_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

const singular = (unit: string): string => unit.toLowerCase().replace(/s$/, '');

/**
 * How many ms one `unit` is (singular or plural, any case), or a reason it is none:
 * - must say months and years are not supported (they have no fixed length)
 */
export function unitMs(unit: string): number | string {
  if (CALENDAR_UNITS.has(singular(unit)))
    return `interval unit "${unit}" is not supported: only units of a fixed length (millisecond to week)`;
  return UNIT_MS[singular(unit)] ?? `unknown interval unit "${unit}"`;
}

/** Whether a word is an interval unit, supported or not (`5 minutes`, `1 month`). */
export function isUnit(word: string): boolean {
  return singular(word) in UNIT_MS || CALENDAR_UNITS.has(singular(word));
}

/**
 * The ms of an interval string: `5 minutes`, `1 day 2 hours`, `-1.5 hours`, optionally led by
 * `interval`; or a reason it is none.
 */
export function intervalTextMs(text: string): number | string {
  const words = text.trim().split(/\s+/);
  if (words[0]?.toLowerCase() === 'interval') words.shift();
  if (words.length === 0 || words.length % 2 !== 0 || words[0] === '')
    return `invalid interval '${text}': expected pairs of a number and a unit, e.g. '5 minutes'`;
  let ms = 0;
  for (let i = 0; i < words.length; i += 2) {
    if (!SIGNED_NUMBER.test(words[i]!))
      return `invalid interval '${text}': "${words[i]}" is not a number`;
    const unit = unitMs(words[i + 1]!);
    if (typeof unit === 'string') return unit;
    ms += Number(words[i]) * unit;
  }
  return ms;
}
