import type { DomElement } from '../shared';
import type { Capture, ReplaceRule } from '../tracker';
import { readSinkAttributes, sinkInvalid, sinkProblem, type SinkConfig } from './sink-config';

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
  /**
   * The executors in Spark's spelling of a master URL: 'local' (1 worker), 'local[N]' (N, from
   * 1 to 16), 'local[*]' (`navigator.hardwareConcurrency`, at most 16). Given with `workers`,
   * `workers` is used.
   */
  readonly master?: string;
  /**
   * The events to capture. Default all: `['clicks', 'pageviews', 'custom', 'scrolls']`; `[]`
   * captures nothing.
   */
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
  /** Ship the log to a real Kafka, through the site's HTTP proxy. Default none: nothing leaves. */
  readonly sink?: SinkConfig;
}

/**
 * One option: its key, its attribute, how an attribute's text reads (`read`, to a value or
 * undefined), and the check that a value, read or given to `init`, must pass. The tag's
 * attributes and `init`'s options go through the same check. What is valid is said in VALID,
 * apart: the script tag reads the tracker's attributes at once, quietly, and the core, which
 * loads in idle time, reads them all and names the invalid ones (the text of its errors stays
 * out of the part every page loads at once).
 */
type Option = readonly [
  key: keyof TabstreamConfig,
  attribute: string,
  check: (value: unknown) => boolean,
  read: (text: string) => unknown,
];

const CAPTURES: readonly string[] = ['clicks', 'pageviews', 'custom', 'scrolls'];

/** The comma-separated words of `text`; undefined if none. */
function words(text: string): string[] | undefined {
  const list = text
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

/** True if `list` is `word` alone: "none", not "clicks, none". */
const alone = (list: string[] | undefined, word: string) => list?.length === 1 && list[0] === word;

const isName = (value: unknown) => typeof value === 'string' && /^[^\s&=#]{1,100}$/.test(value);
const isLog = (value: unknown) => typeof value === 'string' && /^[\w.-]{1,64}$/.test(value);
const listOf = (value: unknown, item: (value: unknown) => boolean) =>
  Array.isArray(value) && value.every(item);
const same = (text: string) => text;

/** A whole number from `min` to `max`. */
function integer(key: keyof TabstreamConfig, attribute: string, min: number, max: number): Option {
  return [
    key,
    attribute,
    (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
    // Digits only: Number() would also read "0x10", "1e1" and " 0b1 ".
    (text) => (/^\d{1,15}$/.test(text.trim()) ? Number(text) : undefined),
  ];
}

function boolean(key: keyof TabstreamConfig, attribute: string): Option {
  const words: Record<string, boolean> = { true: true, false: false, '': true };
  return [
    key,
    attribute,
    (value) => typeof value === 'boolean',
    (text) => {
      const word = text.trim().toLowerCase();
      // Own words only: "__proto__" or "constructor" would read the object's prototype.
      return Object.hasOwn(words, word) ? words[word] : undefined;
    },
  ];
}

/** What the tracker needs at once: the script tag reads these itself (`readTrackerAttributes`). */
const TRACKER_OPTIONS: readonly Option[] = [
  ['log', 'data-log', isLog, same],
  [
    'capture',
    'data-capture',
    (value) => listOf(value, (c) => CAPTURES.includes(c as string)),
    (text) => (alone(words(text), 'none') ? [] : words(text)),
  ],
  [
    'keepQuery',
    'data-keep-query',
    (value) => value === 'none' || value === 'all' || listOf(value, isName),
    (text) => {
      const list = words(text);
      return alone(list, 'none') || alone(list, 'all') ? list![0] : list;
    },
  ],
  boolean('keepHash', 'data-keep-hash'),
  [
    'replaceState',
    'data-replace-state',
    (value) => ['path', 'url', 'never'].includes(value as string),
    (text) => text.trim(),
  ],
  ['ignore', 'data-ignore', (value) => typeof value === 'string' && isSelector(value), same],
  boolean('respectDnt', 'data-respect-dnt'),
  boolean('respectGpc', 'data-respect-gpc'),
];

const MAX_WORKERS = 16;

/** Spark's local master URLs: `local`, `local[N]`, `local[*]`. */
const LOCAL_MASTER = /^local(?:\[(\*|\d{1,15})\])?$/;

/** The executor workers a valid master URL means; NaN for one tabstream cannot run. */
function workersOf(master: string): number {
  const match = LOCAL_MASTER.exec(master);
  if (!match) return NaN;
  const count = match[1];
  if (count === undefined) return 1;
  if (count === '*') return Math.min(MAX_WORKERS, globalThis.navigator?.hardwareConcurrency || 1);
  const n = Number(count);
  return n >= 1 && n <= MAX_WORKERS ? n : NaN;
}

/** A master URL of a real cluster (Spark standalone, YARN, Kubernetes, Mesos). */
const isClusterMaster = (value: unknown) =>
  typeof value === 'string' && /^(?:(?:spark|k8s|mesos):\/\/|yarn$|local-cluster\[)/i.test(value);

/** Every option; those beyond the tracker's are the core's, read when it loads. */
const OPTIONS: readonly Option[] = [
  integer('partitions', 'data-partitions', 1, 64),
  integer('batchIntervalMs', 'data-batch-interval', 100, 600000),
  integer('workers', 'data-workers', 1, MAX_WORKERS),
  [
    'master',
    'data-master',
    (value) => typeof value === 'string' && workersOf(value) > 0,
    (text) => text.trim(),
  ],
  ...TRACKER_OPTIONS,
  boolean('panel', 'data-panel'),
];

const BOOLEAN = '"true" or "false"';

/** What each option's valid values are, as its error says. */
const VALID: Readonly<Record<keyof TabstreamConfig, string>> = {
  partitions: 'a whole number from 1 to 64',
  batchIntervalMs: 'a whole number from 100 to 600000',
  workers: 'a whole number from 1 to 16',
  master: '"local", "local[N]" with N from 1 to 16, or "local[*]"',
  log: '1 to 64 letters, digits, ".", "_" or "-"',
  capture: 'a comma-separated list of "clicks", "pageviews", "custom", "scrolls", or "none"',
  keepQuery: '"none", "all", or a comma-separated list of parameter names',
  keepHash: BOOLEAN,
  replaceState: '"path", "url", "never"',
  ignore: 'a CSS selector list, such as ".admin, #chat"',
  respectDnt: BOOLEAN,
  respectGpc: BOOLEAN,
  panel: BOOLEAN,
  sink: 'an object { url, api, cluster, topics }',
};

function isSelector(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    document.createDocumentFragment().querySelector(text);
    return true;
  } catch {
    return false;
  }
}

function invalid(what: string, key: keyof TabstreamConfig, value: unknown): void {
  const why =
    key === 'master' && isClusterMaster(value)
      ? `tabstream runs only local masters in the browser (use ${VALID.master}); ` +
        "a real cluster is issue 18's Kafka + Spark"
      : `use ${VALID[key]}`;
  console.error(`tabstream: ${what} is invalid: ${why}. Using the default.`);
}

/** The options of `options` that the script tag's attributes set; `onInvalid` for the others. */
function readAttributes(
  script: DomElement | null,
  options: readonly Option[],
  onInvalid: (what: string, key: keyof TabstreamConfig, value: unknown) => void,
): TabstreamConfig {
  const config: Record<string, unknown> = {};
  for (const [key, attribute, check, read] of options) {
    const text = script?.getAttribute(attribute);
    if (text === null || text === undefined) continue;
    const value = read(text);
    if (value !== undefined && check(value)) config[key] = value;
    else onInvalid(`${attribute}="${text}"`, key, value);
  }
  return config;
}

/**
 * Sets `workers` from a valid `master`, unless `workers` is given: then it stays, and if the
 * two disagree, one console error names both (`named`, as the tag or `init` spells them).
 */
function withMaster(
  config: Record<string, unknown>,
  named: (key: 'master' | 'workers') => string,
): void {
  if (typeof config.master !== 'string') return;
  const workers = workersOf(config.master);
  if (config.workers === undefined) config.workers = workers;
  else if (config.workers !== workers)
    console.error(
      `tabstream: ${named('master')} (${workers} worker${workers === 1 ? '' : 's'}) and ` +
        `${named('workers')} disagree: ` +
        `using ${named('workers')}.`,
    );
}

/**
 * Reads what the tracker needs at once from the script tag's attributes, quietly: the script
 * tag does, and the core, when it loads, reads them all with `readScriptConfig`, which names
 * the invalid ones (the script tag's part carries none of their text).
 * - must read each attribute as `readScriptConfig` does, and leave out the invalid ones.
 */
export function readTrackerAttributes(script: DomElement | null): TabstreamConfig {
  return readAttributes(script, TRACKER_OPTIONS, () => {});
}

/**
 * Reads the configuration from the script tag's data-* attributes.
 * - must log one console error for each invalid attribute, naming it and its valid values,
 *   and use the default for it;
 * - must read data-master="local[N]" as N workers, unless data-workers is given: that is used,
 *   with one console error naming both if they disagree;
 * - must read the data-kafka-* attributes as one `sink`, or none (see `readSinkAttributes`);
 * - must ignore attributes it does not know.
 */
export function readScriptConfig(script: DomElement | null): TabstreamConfig {
  const config: Record<string, unknown> = { ...readAttributes(script, OPTIONS, invalid) };
  const sink = readSinkAttributes(script);
  if (sink) config.sink = sink;
  const attributes = { master: 'data-master', workers: 'data-workers' };
  withMaster(config, (key) => `${attributes[key]}="${script?.getAttribute(attributes[key])}"`);
  return config;
}

/**
 * Checks the configuration given to `init(config)`, as the script tag's is checked.
 * - must log one console error for each invalid option, naming it and its valid values, and
 *   use the default for it; and one for each option it does not know (neither an option nor
 *   one of `others`);
 * - must keep the `others` (options that are not data, such as `createWorker`) as they are;
 * - must read `master` as `workers`, as `readScriptConfig` reads data-master;
 * - must drop an invalid `sink`, with one console error saying why: no sink.
 */
export function checkConfig<T extends TabstreamConfig>(config: T, others: readonly string[]): T {
  const checked: Record<string, unknown> = { ...(config as object) };
  const keys = [...OPTIONS.map(([key]) => key as string), 'sink'];
  for (const key of Object.keys(checked)) {
    if (others.includes(key) || keys.includes(key)) continue;
    console.error(`tabstream: option ${key} is unknown: use ${keys.join(', ')}. Ignoring it.`);
    delete checked[key];
  }
  for (const [key, , check] of OPTIONS) {
    const value = checked[key];
    if (value === undefined || check(value)) continue;
    invalid(`option ${key}: ${shown(value)}`, key, value);
    delete checked[key];
  }
  const problem = checked.sink === undefined ? null : sinkProblem(checked.sink);
  if (problem !== null) {
    sinkInvalid(`option sink: ${shown(checked.sink)}`, problem);
    delete checked.sink;
  }
  withMaster(checked, (key) => `option ${key}: ${shown(checked[key])}`);
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
