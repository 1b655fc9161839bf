import { SqlRuntimeError } from './runtime-error';

/**
 * A Java regular expression (Spark's regexp_* functions) as a JS RegExp. The common syntax is
 * the same; leading inline flags `(?i)` `(?s)` `(?m)` become flags, `\Q…\E` is quoted; what JS
 * has not (possessive quantifiers, atomic groups) is refused by name rather than misread.
 */
export function javaRegex(pattern: string, global: boolean): RegExp {
  let source = pattern;
  let flags = global ? 'g' : '';
  for (let m = /^\(\?([ismx]+)\)/.exec(source); m; m = /^\(\?([ismx]+)\)/.exec(source)) {
    if (m[1]!.includes('x')) throw unsupported(pattern, 'the comments flag (?x)');
    flags += [...new Set(m[1])].filter((f) => !flags.includes(f)).join('');
    source = source.slice(m[0].length);
  }
  source = source.replace(/\\Q([^]*?)(?:\\E|$)/g, (_, text: string) =>
    text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
  );
  if (/(?<!\\)(?:[*+?}])\+/.test(source)) throw unsupported(pattern, 'possessive quantifiers');
  if (source.includes('(?>')) throw unsupported(pattern, 'atomic groups');
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new SqlRuntimeError(
      `[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) \`regexp\` is invalid: '${pattern}' (${(e as Error).message}).`,
    );
  }
}

function unsupported(pattern: string, what: string): SqlRuntimeError {
  return new SqlRuntimeError(
    `[UNSUPPORTED_FEATURE.REGEX] The regular expression '${pattern}' uses ${what}, which tabstream does not support.`,
  );
}

/** A java.util.regex replacement (`$1`, `${name}`, `\$` for a dollar) as a JS one. */
export function javaReplacement(replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i]!;
      out += next === '$' ? '$$' : next;
    } else if (c === '$' && replacement[i + 1] === '{') {
      const end = replacement.indexOf('}', i);
      out += `$<${replacement.slice(i + 2, end)}>`;
      i = end;
    } else out += c;
  }
  return out;
}

/** The number of capturing groups of `re`. */
export function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`).exec('')!.length - 1;
}
