import type { Capture, ReplaceRule } from './tracker';

/** How tabstream runs in a page: the script tag's data-* attributes, or `init(config)`. */
export interface TabstreamConfig {
  /** The log's name: one IndexedDB database of the origin. Default 'tabstream'. */
  readonly log?: string;
  /** Partitions of each topic, if this tab is the first to create it. Default 4. */
  readonly partitions?: number;
  /** How often the leader tab runs a batch, in ms. Default 1000. */
  readonly batchIntervalMs?: number;
  /** Executor workers of a tab's engine (the leader's runs the job). Default `navigator.hardwareConcurrency`. */
  readonly workers?: number;
  /** The events to capture. Default all: `['clicks', 'pageviews', 'custom']`; `[]` captures nothing. */
  readonly capture?: readonly Capture[];
  /** Query parameters kept in page and link URLs: 'none' (default), 'all', or their names. */
  readonly keepQuery?: 'none' | 'all' | readonly string[];
  /** Keep the `#fragment` of page and link URLs (hash routers). Default false. */
  readonly keepHash?: boolean;
  /** When a `replaceState` is a new page view: 'path' changes (default), 'url' changes, 'never'. */
  readonly replaceState?: ReplaceRule;
  /** Clicks under elements matching this selector list are never recorded. Default none. */
  readonly ignore?: string;
  /** Record nothing when the browser sends Do Not Track. Default false. */
  readonly respectDnt?: boolean;
  /** Record nothing when the browser sends Global Privacy Control. Default false. */
  readonly respectGpc?: boolean;
  /** Show the live counts in a floating panel on the page. Default false. */
  readonly panel?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One option: its attribute, what is valid (said in the error), and how a value is read. */
interface Option<K extends keyof TabstreamConfig> {
  readonly key: K;
  readonly attribute: string;
  readonly valid: string;
  /** The attribute's text as a value, or undefined if invalid. */
  readonly parse: (text: string) => TabstreamConfig[K] | undefined;
  /** A value given to `init` checked, or undefined if invalid. */
  readonly check: (value: unknown) => TabstreamConfig[K] | undefined;
}

const CAPTURES: readonly Capture[] = ['clicks', 'pageviews', 'custom'];

function integer<K extends keyof TabstreamConfig>(
  key: K,
  attribute: string,
  min: number,
  max: number,
): Option<K> {
  const check = (value: unknown) =>
    (Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? value
      : undefined) as TabstreamConfig[K] | undefined;
  return {
    key,
    attribute,
    valid: `a whole number from ${min} to ${max}`,
    // Digits only: Number() would also read "0x10", "1e1" and " 0b1 ".
    parse: (text) => (/^\d{1,15}$/.test(text.trim()) ? check(Number(text.trim())) : undefined),
    check,
  };
}

function boolean<K extends keyof TabstreamConfig>(key: K, attribute: string): Option<K> {
  const words: Record<string, boolean> = { true: true, false: false, '': true };
  return {
    key,
    attribute,
    valid: '"true" or "false"',
    parse: (text) => {
      const word = text.trim().toLowerCase();
      // Own words only: "__proto__" or "constructor" would read the object's prototype.
      return (Object.hasOwn(words, word) ? words[word] : undefined) as
        TabstreamConfig[K] | undefined;
    },
    check: (value) =>
      (typeof value === 'boolean' ? value : undefined) as TabstreamConfig[K] | undefined,
  };
}

function oneOf<K extends keyof TabstreamConfig>(
  key: K,
  attribute: string,
  values: readonly string[],
): Option<K> {
  const check = (value: unknown) =>
    (values.includes(value as string) ? value : undefined) as TabstreamConfig[K] | undefined;
  return {
    key,
    attribute,
    valid: values.map((value) => `"${value}"`).join(', '),
    parse: (text) => check(text.trim()),
    check,
  };
}

const words = (text: string) =>
  text
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
const isName = (value: unknown) => typeof value === 'string' && /^[^\s&=#]{1,100}$/.test(value);

const OPTIONS = [
  integer('partitions', 'data-partitions', 1, 64),
  integer('batchIntervalMs', 'data-batch-interval', 100, 600000),
  integer('workers', 'data-workers', 1, 16),
  {
    key: 'log',
    attribute: 'data-log',
    valid: '1 to 64 letters, digits, ".", "_" or "-"',
    parse: (text) => (/^[\w.-]{1,64}$/.test(text) ? text : undefined),
    check: (value) =>
      typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined,
  } satisfies Option<'log'>,
  {
    key: 'capture',
    attribute: 'data-capture',
    valid: `a comma-separated list of ${CAPTURES.map((c) => `"${c}"`).join(', ')}, or "none"`,
    parse: (text) => {
      const list = words(text);
      if (list.length === 1 && list[0] === 'none') return [];
      return list.length && list.every((c) => CAPTURES.includes(c as Capture))
        ? (list as Capture[])
        : undefined;
    },
    check: (value) =>
      Array.isArray(value) && value.every((c) => CAPTURES.includes(c as Capture))
        ? (value as Capture[])
        : undefined,
  } satisfies Option<'capture'>,
  {
    key: 'keepQuery',
    attribute: 'data-keep-query',
    valid: '"none", "all", or a comma-separated list of parameter names',
    parse: (text) => {
      const list = words(text);
      if (list.length === 1 && (list[0] === 'none' || list[0] === 'all')) return list[0];
      return list.length && list.every(isName) ? list : undefined;
    },
    check: (value) =>
      value === 'none' || value === 'all'
        ? value
        : Array.isArray(value) && value.every(isName)
          ? (value as string[])
          : undefined,
  } satisfies Option<'keepQuery'>,
  boolean('keepHash', 'data-keep-hash'),
  oneOf('replaceState', 'data-replace-state', ['path', 'url', 'never']),
  {
    key: 'ignore',
    attribute: 'data-ignore',
    valid: 'a CSS selector list, such as ".admin, #chat"',
    parse: (text) => (isSelector(text) ? text : undefined),
    check: (value) => (typeof value === 'string' && isSelector(value) ? value : undefined),
  } satisfies Option<'ignore'>,
  boolean('respectDnt', 'data-respect-dnt'),
  boolean('respectGpc', 'data-respect-gpc'),
  boolean('panel', 'data-panel'),
] as const;

function isSelector(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    document.createDocumentFragment().querySelector(text);
    return true;
  } catch {
    return false;
  }
}

function invalid(what: string, valid: string): void {
  console.error(`tabstream: ${what} is invalid: use ${valid}. Using the default.`);
}

/**
 * Reads the configuration from the script tag's data-* attributes.
 * - must log one console error for each invalid attribute, naming it and its valid values,
 *   and use the default for it;
 * - must ignore attributes it does not know.
 */
export function readScriptConfig(script: Element | null): TabstreamConfig {
  const config: Mutable<TabstreamConfig> = {};
  for (const option of OPTIONS) {
    const text = script?.getAttribute(option.attribute);
    if (text === null || text === undefined) continue;
    const value = option.parse(text);
    if (value === undefined) invalid(`${option.attribute}="${text}"`, option.valid);
    else (config as Record<string, unknown>)[option.key] = value;
  }
  return config;
}

/**
 * Checks the configuration given to `init(config)`, as the script tag's is checked.
 * - must log one console error for each invalid option, naming it and its valid values, and
 *   use the default for it; and one for each option it does not know (neither an option nor
 *   one of `others`);
 * - must keep the `others` (options that are not data, such as `createWorker`) as they are.
 */
export function checkConfig<T extends TabstreamConfig>(config: T, others: readonly string[]): T {
  const checked: Record<string, unknown> = { ...(config as object) };
  for (const key of Object.keys(checked)) {
    if (others.includes(key) || OPTIONS.some((option) => option.key === key)) continue;
    console.error(
      `tabstream: option ${key} is unknown: use ${OPTIONS.map((o) => o.key).join(', ')}. Ignoring it.`,
    );
    delete checked[key];
  }
  for (const option of OPTIONS) {
    const value = checked[option.key];
    if (value === undefined) continue;
    if (option.check(value) === undefined) {
      invalid(`option ${option.key}: ${shown(value)}`, option.valid);
      delete checked[option.key];
    }
  }
  return checked as T;
}

function shown(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return 'a value that is not JSON (cyclic, or a BigInt)';
  }
}
