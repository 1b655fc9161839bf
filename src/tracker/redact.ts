/** The longest free text the tracker stores: a label, a title, a prop's value. */
export const MAX_TEXT = 255;

/** What may stand between the digit groups of a card number: spaces, dashes, dots, slashes, underscores. */
const SEPARATOR = '[\\s\\p{Pd}\\p{Pc}./\\uFF0E\\uFF0F]';
/** Digit groups (any script's decimal digits) joined by 1 to 3 separators: where card numbers hide. */
const DIGIT_RUN = new RegExp(`\\p{Nd}+(?:${SEPARATOR}{1,3}\\p{Nd}+)*`, 'gu');
const GROUPS = new RegExp(`(${SEPARATOR}+)`, 'u');
const DIGIT_OR_SEPARATOR = new RegExp(`\\p{Nd}|${SEPARATOR}`, 'u');
const DIGIT = /\p{Nd}/u;
const SSN = /(?<!\p{Nd})\p{Nd}{3}[- ]\p{Nd}{2}[- ]\p{Nd}{4}(?!\p{Nd})/gu;
const REDACTED = '[redacted]';

/**
 * `text` with card numbers and social-security-like numbers replaced by `[redacted]`.
 * A card number is 13 to 19 decimal digits of any script (`٤١١١…`, `４１１１…`), in groups
 * joined by spaces, dashes, dots, slashes or underscores, glued to words or not, that passes
 * the Luhn check: so a 16-digit order number, which fails it 9 times in 10, survives.
 */
export function scrub(text: string): string {
  return text.replace(DIGIT_RUN, cards).replace(SSN, REDACTED);
}

/**
 * Bounded free text as stored: its first `max` chars, scrubbed, reading at most twice that
 * (a scrubbed card number shortens the text by less than half).
 */
export function redact(text: string, max = MAX_TEXT): string {
  return scrub(head(text, 2 * max)).slice(0, max);
}

/**
 * The first `n` chars of `text`. If it was `cut` (by default, if longer), the digits and
 * separators it then ends with go too: they may be the start of a card number cut in two,
 * which no scrub would recognise.
 */
export function head(text: string, n: number, cut = text.length > n): string {
  if (!cut) return text;
  // Char by char from the end: a regex anchored at the end would retry from every start.
  const chars = [...text.slice(0, n)];
  while (chars.length && DIGIT_OR_SEPARATOR.test(chars.at(-1)!)) chars.pop();
  return chars.join('');
}

/** A run of digit groups with each card number in it (its groups, taken together) redacted. */
function cards(run: string): string {
  if (run.length < 13) return run;
  const parts = run.split(GROUPS); // digit groups at even indexes, separators between
  const digits: number[] = [];
  /** Where each group ends in `digits`. */
  const ends: number[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    for (const char of parts[i]!) digits.push(digitValue(char));
    ends.push(digits.length);
  }
  let kept = '';
  for (let first = 0; first < ends.length; first++) {
    const start = first ? ends[first - 1]! : 0;
    let last = -1;
    for (let group = first; group < ends.length && ends[group]! - start <= 19; group++) {
      if (ends[group]! - start >= 13 && luhn(digits, start, ends[group]!)) last = group;
    }
    kept += last < 0 ? parts[2 * first] : REDACTED;
    first = Math.max(first, last);
    kept += parts[2 * first + 1] ?? '';
  }
  return kept;
}

/** The value of a decimal digit of any script: Unicode keeps each script's 0 to 9 in a row. */
function digitValue(char: string): number {
  const code = char.codePointAt(0)!;
  if (code < 58) return code - 48;
  let zero = code;
  while (DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return (code - zero) % 10;
}

/** True if `digits[start, end)` pass the Luhn check. */
function luhn(digits: readonly number[], start: number, end: number): boolean {
  let sum = 0;
  for (let i = end, double = 0; i-- > start; double ^= 1) {
    const digit = digits[i]! << double;
    sum += digit > 9 ? digit - 9 : digit;
  }
  return sum % 10 === 0;
}
