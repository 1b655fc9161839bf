// The demo site (demo/, `npm start`) as the tests drive it: served by the same function as
// `npm start`, in headless Chromium, with every request and console error of a context recorded.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type Request,
} from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { serveDemo } from '../../scripts/serve-demo.mjs';
import { ready, rowsShown } from './browser';

/** The demo's server and a browser. */
export interface Demo {
  readonly origin: string;
  readonly browser: Browser;
  /** The path and query of every request the server received, in order. */
  readonly received: readonly string[];
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const { origin, server } = await serveDemo({ port: 0 });
  const received: string[] = [];
  server.on('request', (req: { url?: string }) => received.push(req.url ?? ''));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
  });
  return {
    origin,
    browser,
    received,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What the pages of a context did: their requests, the failed ones, console errors. */
export interface Watched {
  readonly requests: Request[];
  /** Requests that failed, as `url: error`. */
  readonly failed: string[];
  /**
   * Requests the page gave up itself (net::ERR_ABORTED): a navigation away while the icon or a
   * worker's blob: script was still loading. The network never failed them; offline, it fails
   * with net::ERR_INTERNET_DISCONNECTED, and a service worker that cannot answer with
   * net::ERR_FAILED.
   */
  readonly aborted: Request[];
  readonly errors: string[];
}

/** Records every request of `context` (its pages' and its service workers'), and every error. */
export function watch(context: BrowserContext): Watched {
  const watched: Watched = { requests: [], failed: [], aborted: [], errors: [] };
  const onPage = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') watched.errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => watched.errors.push(`${page.url()}: ${error.message}`));
  };
  context.pages().forEach(onPage);
  context.on('page', onPage);
  context.on('request', (request) => watched.requests.push(request));
  context.on('requestfailed', (request) => {
    const error = request.failure()?.errorText;
    if (error === 'net::ERR_ABORTED') watched.aborted.push(request);
    else watched.failed.push(`${request.url()}: ${error}`);
  });
  return watched;
}

/** Opens `url` in a new page of `context`, once the service worker controls it and tabstream is ready. */
export async function openDemo(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await controlled(page);
  await ready(page);
  return page;
}

/** Waits until the demo's service worker is installed, active and controls `page`. */
export async function controlled(page: Page): Promise<void> {
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Clicks the link `selector` in `page`, and waits for the navigation (or pushState) to `path`. */
export async function follow(page: Page, selector: string, path: string): Promise<void> {
  const url = new URL(path, page.url()).href;
  await page.click(selector);
  await page.waitForURL(url);
}

const DEMO = fileURLToPath(new URL('../../demo', import.meta.url));

/** The URL path of every file of demo/ but the service worker itself. */
export function demoFiles(): string[] {
  return readdirSync(DEMO, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(DEMO, join(entry.parentPath, entry.name)).split(sep).join('/')}`)
    .filter((path) => path !== '/sw.js')
    .sort();
}

/** The rows a `<tabstream-counts>` of `page` shows, [url, count], in order. */
export function shownRows(page: Page, selector: string): Promise<[string, number][]> {
  return page.evaluate(rowsShown, selector);
}
