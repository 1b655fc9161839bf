import { init, type InitOptions, type Tabstream } from '../../src/entries/index';
import { createWorker, uniqueLog } from './helpers';

/** What `console[method]` printed while installed: one entry per call, its arguments. */
export interface Printed {
  readonly calls: unknown[][];
  /** The calls' first arguments, as the lines a console shows. */
  lines(): unknown[];
  restore(): void;
}

/** Captures `console[method]` (printing nothing) until `restore()`. */
export function capture(method: 'log' | 'error'): Printed {
  const original = console[method].bind(console);
  const calls: unknown[][] = [];
  console[method] = (...args: unknown[]) => calls.push(args);
  return {
    calls,
    lines: () => calls.map(([first]) => first),
    restore: () => (console[method] = original),
  };
}

/** The page's `window.tabstream`, as the script tag sets it. */
const page = window as { tabstream?: Tabstream };

/** Tabs started by `startTab`, closed by `closeTabs` (in an afterEach). */
const tabs: Tabstream[] = [];

/** A tab of its own log, as a page's `window.tabstream` (where pasted snippets find it). */
export function startTab(options: InitOptions = {}): Tabstream {
  const tab = init({ log: uniqueLog('console'), createWorker, batchIntervalMs: 200, ...options });
  tabs.push(tab);
  page.tabstream = tab;
  return tab;
}

export async function closeTabs(): Promise<void> {
  delete page.tabstream;
  await Promise.all(tabs.splice(0).map((tab) => tab.close()));
}
