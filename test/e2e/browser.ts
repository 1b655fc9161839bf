import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import type { Tabstream } from '../../src/api/tabstream';
import { serveScript, serveSite, type Served, type SiteOptions } from './site';

declare global {
  interface Window {
    tabstream?: Tabstream;
  }
}

/** A browser, the script's origin and the site's, started together and closed together. */
export interface Setup {
  readonly browser: Browser;
  readonly script: Served;
  readonly site: Served;
  readonly close: () => Promise<void>;
}

export interface BrowserOptions {
  /**
   * Let Chromium keep pages in the back/forward cache: Playwright turns it off
   * (`--disable-back-forward-cache`) unless told not to.
   */
  readonly bfcache?: boolean;
}

export async function setUp(options: SiteOptions & BrowserOptions = {}): Promise<Setup> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    ...(options.bfcache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
  });
  const script = await serveScript();
  const site = await serveSite(script.origin, options);
  const close = async (): Promise<void> => {
    await browser.close();
    await Promise.all([script.close(), site.close()]);
  };
  return { browser, script, site, close };
}

/** Waits until the page's tabstream has opened the log. */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => window.tabstream !== undefined);
  await page.evaluate(() => window.tabstream!.ready);
}

export function flush(page: Page): Promise<void> {
  return page.evaluate(() => window.tabstream!.flush());
}

export function counts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => window.tabstream!.counts());
}

/**
 * Clicks `n` times in `page`: two of every three clicks on the link to the next page (the page
 * unloads), the third on an element that is no link. Returns the expected count per page URL.
 */
export async function clickAround(page: Page, n: number, expected: Record<string, number> = {}) {
  for (let i = 0; i < n; i++) {
    const url = page.url();
    expected[url] = (expected[url] ?? 0) + 1;
    if (i % 3 === 2) {
      await page.click('#box');
    } else {
      const next = new URL((await page.getAttribute('#next', 'href'))!, url).href;
      await page.click('#next');
      await page.waitForURL(next);
    }
  }
  return expected;
}

/**
 * In the page (self-contained, for any driver's `evaluate`): the rows the `<tabstream-counts>`
 * matching `selector` shows, in order (those in view): [the whole URL, its count].
 */
export function rowsShown(selector: string): [string, number][] {
  const rows = document.querySelector(selector)?.shadowRoot?.querySelectorAll('tbody tr') ?? [];
  return [...rows].flatMap((row): [string, number][] => {
    const url = row.querySelector('.url')?.getAttribute('title'); // the cell may omit the origin
    const count = row.querySelector('.count')?.textContent.replaceAll(',', ''); // "1,200"
    return url != null && count !== undefined ? [[url, Number(count)]] : [];
  });
}

/** The rows the page's <tabstream-counts> shows: { url: count }. */
export async function shownCounts(page: Page): Promise<Record<string, number>> {
  return Object.fromEntries(await page.evaluate(rowsShown, 'tabstream-counts'));
}

/** A record of a topic as read back from the log. */
export interface StoredRecord<T = Record<string, unknown>> {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: T;
}

/**
 * Runs in the page: every record of `topic` in the log, read by a consumer of its own from the
 * beginning of each partition, ordered by the event's `ts` (then partition and offset: a tab's
 * events share a partition, in the order they were sent). Self-contained, to be serialised.
 */
export const readTopicInPage = async (topic: string): Promise<StoredRecord[]> => {
  const log = window.tabstream!.log;
  const { partitions } = await log.describeTopic(topic);
  const consumer = log.consumer({ autoOffsetReset: 'earliest', enableAutoCommit: false });
  try {
    consumer.assign(partitions.map(({ partition }) => ({ topic, partition })));
    await consumer.seekToBeginning();
    const records: StoredRecord[] = [];
    for (;;) {
      const polled = await consumer.poll({ maxRecords: 10000 });
      if (polled.length === 0) break;
      for (const { partition, offset, timestamp, key, value } of polled)
        records.push({ partition, offset, timestamp, key, value: { ...value } });
    }
    const ts = (record: StoredRecord) =>
      typeof record.value.ts === 'number' ? record.value.ts : record.timestamp;
    return records.sort(
      (a, b) => ts(a) - ts(b) || a.partition - b.partition || a.offset - b.offset,
    );
  } finally {
    await consumer.close();
  }
};

/**
 * Every record of `topic` stored in the log, as `page` reads it back after `tabstream.flush()`
 * (which appends what the page's tracker holds and waits for a batch).
 */
export async function readTopic<T = Record<string, unknown>>(
  page: Page,
  topic: string,
): Promise<StoredRecord<T>[]> {
  await flush(page);
  return (await page.evaluate(readTopicInPage, topic)) as StoredRecord<T>[];
}

/** A Chromium this process started itself, and the profile directory it made for it. */
interface Spawned {
  readonly process: ChildProcess;
  /** Stops Chromium (if still running) and deletes its profile. */
  kill(): Promise<void>;
}

function spawnChromium(args: readonly string[], pipes: boolean): Spawned {
  const profile = mkdtempSync(join(tmpdir(), 'tabstream-chromium-'));
  const child = spawn(
    chromiumPath,
    [...chromiumArgs, '--headless', `--user-data-dir=${profile}`, ...args, 'about:blank'],
    { stdio: pipes ? ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.resume(); // read, so that Chromium never blocks on a full pipe
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
      try {
        // Its helper processes may still be writing for a moment.
        rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
      } catch (error) {
        console.warn(`could not delete ${profile}:`, error);
      }
    },
  };
}

/** The servers and a browser whose default context's pages are tabs of one window. */
export interface WindowSetup extends Setup {
  /** The default context: its pages are tabs of one window, only the front one visible. */
  readonly context: BrowserContext;
}

/**
 * Like `setUp`, but Playwright connects over CDP to a Chromium started here, and applies none of
 * its defaults to the default context (`noDefaults`): no focus emulation, which otherwise keeps
 * every page "visible" whatever happens. The pages of `context` are tabs of one window: opening
 * or bringing one to the front really hides the others (`visibilityState` 'hidden').
 */
export async function setUpWindow(options: SiteOptions = {}): Promise<WindowSetup> {
  const spawned = spawnChromium(['--remote-debugging-port=0'], false);
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let output = '';
      spawned.process.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(output);
        if (found) resolve(found[1]!);
      });
      spawned.process.once('exit', () => reject(new Error(`Chromium exited: ${output}`)));
    });
    const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
    const script = await serveScript();
    const site = await serveSite(script.origin, options);
    const close = async (): Promise<void> => {
      const exited = new Promise((resolve) => spawned.process.once('exit', resolve));
      const cdp = await browser.newBrowserCDPSession();
      cdp.send('Browser.close').catch(() => {}); // answered by the pipe closing
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      await browser.close().catch(() => {});
      await spawned.kill();
      await Promise.all([script.close(), site.close()]);
    };
    return { browser, context: browser.contexts()[0]!, script, site, close };
  } catch (error) {
    await spawned.kill();
    throw error;
  }
}

type Listener = (params: Record<string, unknown>, sessionId: string | undefined) => void;

/** A page of a `TabTargets` browser: its DevTools session. */
export class CdpPage {
  constructor(
    private readonly browser: TabTargets,
    readonly sessionId: string,
  ) {}

  /** Runs `fn(arg)` in the page (serialised, as `page.evaluate` does) and resolves with its result. */
  async evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    const result = await this.browser.send<{
      result: { value?: R };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>(
      'Runtime.evaluate',
      {
        expression: `(${fn.toString()})(${JSON.stringify(arg) ?? 'undefined'})`,
        awaitPromise: true,
        returnByValue: true,
      },
      this.sessionId,
    );
    const error = result.exceptionDetails;
    if (error) throw new Error(error.exception?.description ?? error.text);
    return result.result.value as R;
  }

  /** Resolves once `fn(arg)` is truthy in the page (checked every 100 ms). */
  async waitFor<A = undefined>(fn: (arg: A) => unknown, arg?: A, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate(fn, arg))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${fn.toString()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** How a prerender attempt ended, as Chromium's DevTools say (`Preload.prerenderStatusUpdated`). */
interface PrerenderStatus {
  readonly url: string;
  readonly status: string;
  readonly prerenderStatus?: string;
  readonly disallowedMojoInterface?: string;
}

/**
 * Chromium driven over the DevTools protocol through *tab* targets, as Puppeteer does, without
 * Playwright. Chromium refuses to prerender for a page that a DevTools client attached to
 * directly, as Playwright does (`PrerenderingDisabledByDevTools`); attached through its tab, the
 * page prerenders what its speculation rules say, and the prerendered page can be inspected too.
 */
export class TabTargets {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (result: never) => void; reject: (error: Error) => void }
  >();
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Attached page targets: their session, subtype ('prerender' or none) and target id. */
  private readonly pages: { sessionId: string; targetId: string; subtype?: string; url: string }[] =
    [];
  private readonly statuses: PrerenderStatus[] = [];

  private constructor(
    private readonly spawned: Spawned,
    private readonly input: Writable,
    output: Readable,
  ) {
    let buffer = '';
    output.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
        this.receive(JSON.parse(buffer.slice(0, end)) as Record<string, never>);
        buffer = buffer.slice(end + 1);
      }
    });
    this.on('Target.attachedToTarget', (params, parent) => {
      const { sessionId, targetInfo } = params as {
        sessionId: string;
        targetInfo: { type: string; subtype?: string; targetId: string; url: string };
      };
      // A tab: attach to its pages, prerendered ones included, through it.
      if (targetInfo.type === 'tab') {
        this.send(
          'Target.setAutoAttach',
          { autoAttach: true, waitForDebuggerOnStart: false, flatten: true },
          sessionId,
        ).catch(() => {});
      } else if (targetInfo.type === 'page' && parent !== undefined) {
        this.pages.push({ sessionId, ...targetInfo });
        this.send('Preload.enable', {}, sessionId).catch(() => {});
      }
    });
    this.on('Preload.prerenderStatusUpdated', (params) => {
      const { key, status, prerenderStatus, disallowedMojoInterface } = params as {
        key: { url: string };
        status: string;
        prerenderStatus?: string;
        disallowedMojoInterface?: string;
      };
      this.statuses.push({ url: key.url, status, prerenderStatus, disallowedMojoInterface });
    });
  }

  static async launch(): Promise<TabTargets> {
    const spawned = spawnChromium(['--remote-debugging-pipe'], true);
    const stdio = spawned.process.stdio;
    const browser = new TabTargets(spawned, stdio[3] as Writable, stdio[4] as Readable);
    try {
      await browser.send('Target.setAutoAttach', {
        autoAttach: true,
        waitForDebuggerOnStart: false,
        flatten: true,
        filter: [{ type: 'page', exclude: true }, {}],
      });
      return browser;
    } catch (error) {
      await spawned.kill();
      throw error;
    }
  }

  send<T = unknown>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  }

  on(method: string, listener: Listener): () => void {
    const listeners = this.listeners.get(method) ?? new Set();
    this.listeners.set(method, listeners);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** A new tab, once it has loaded `url`. */
  async newTab(url: string): Promise<CdpPage> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const page = new CdpPage(this, await this.sessionOf((p) => p.targetId === targetId));
    await this.send('Page.navigate', { url }, page.sessionId);
    await page.waitFor((href) => location.href === href && document.readyState === 'complete', url);
    return page;
  }

  /**
   * The page prerendered for `url`, once Chromium says it is ready; rejects with Chromium's
   * reason if the prerender failed.
   */
  async prerendered(url: string, timeoutMs = 30000): Promise<CdpPage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.statuses.find(
        (s) => s.url === url && s.status !== 'Pending' && s.status !== 'Running',
      );
      if (status?.status === 'Ready') {
        // Its target is attached before it knows its URL: ask each prerendered page.
        for (const { sessionId, subtype } of this.pages) {
          if (subtype !== 'prerender') continue;
          const page = new CdpPage(this, sessionId);
          const href = await page.evaluate(() => location.href).catch(() => null); // gone
          if (href === url) return page;
        }
      }
      if (status && status.status !== 'Ready')
        throw new Error(`prerendering ${url} failed: ${JSON.stringify(status)}`);
      if (Date.now() > deadline)
        throw new Error(`prerendering ${url} did not start: ${JSON.stringify(this.statuses)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.spawned.process.once('exit', resolve));
    this.send('Browser.close').catch(() => {});
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await this.spawned.kill();
  }

  private async sessionOf(
    which: (page: { targetId: string; subtype?: string; url: string }) => boolean,
  ): Promise<string> {
    for (let i = 0; i < 300; i++) {
      const found = this.pages.find(which);
      if (found) return found.sessionId;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no such page was attached');
  }

  private receive(message: Record<string, never>): void {
    const { id, method, params, sessionId, result, error } = message as {
      id?: number;
      method?: string;
      params?: Record<string, unknown>;
      sessionId?: string;
      result?: never;
      error?: { message: string };
    };
    if (id !== undefined) {
      const call = this.pending.get(id);
      this.pending.delete(id);
      if (error) call?.reject(new Error(error.message));
      else call?.resolve(result as never);
    } else if (method) {
      for (const listener of this.listeners.get(method) ?? []) listener(params ?? {}, sessionId);
    }
  }
}

/**
 * Kills the renderer of `page`, as a crash or a phone discarding a hidden tab does: no
 * pagehide, no timer, and IndexedDB aborts what the page had not committed.
 */
export async function crash(context: BrowserContext, page: Page): Promise<void> {
  const crashed = new Promise((resolve) => page.once('crash', resolve));
  const cdp = await context.newCDPSession(page);
  cdp.send('Page.crash').catch(() => {}); // never answered
  await crashed;
}
