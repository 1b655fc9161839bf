/** The longest free text the tracker stores: a label, a title, a prop's value. */
export const MAX_TEXT = 255;

/** What may stand between the digit groups of a card number: spaces, dashes, dots, slashes, underscores. */
const SEPARATOR = '[\\s\\p{Pd}\\p{Pc}./\\uFF0E\\uFF0F]';
/** Digit groups (any script's decimal digits) joined by 1 to 3 separators: where card numbers hide. */
const DIGIT_RUN = new RegExp(`\\p{Nd}+(?:${SEPARATOR}{1,3}\\p{Nd}+)*`, 'gu');
const GROUPS = new RegExp(`(${SEPARATOR}+)`, 'u');
const CUT_TAIL = new RegExp(`(?:\\p{Nd}|${SEPARATOR})+$`, 'u');
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
  return cut ? text.slice(0, n).replace(CUT_TAIL, '') : text;
}

/** A run of digit groups with each card number in it (its groups, taken together) redacted. */
function cards(run: string): string {
  if (run.length < 13) return run;
  const parts = run.split(GROUPS); // digit groups at even indexes, separators between
  let kept = '';
  for (let first = 0; first < parts.length; first += 2) {
    let digits = '';
    let last = -1;
    for (let i = first; i < parts.length && digits.length < 19; i += 2) {
      for (const char of parts[i]!) digits += digitValue(char);
      if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) last = i;
    }
    kept += last < 0 ? parts[first]! : REDACTED;
    first = Math.max(first, last);
    kept += parts[first + 1] ?? '';
  }
  return kept;
}

/** The value of a decimal digit of any script: Unicode keeps each script's 0 to 9 in a row. */
function digitValue(char: string): number {
  const code = char.codePointAt(0)!;
  let zero = code;
  while (DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return (code - zero) % 10;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    const digit = +digits[i]! * (double ? 2 : 1);
    sum += digit > 9 ? digit - 9 : digit;
  }
  return sum % 10 === 0;
}
