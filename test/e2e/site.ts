// A small site on one origin and dist/tabstream.js on another, as a CDN would serve it.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VERSION } from '../../src/shared/version';

export interface Served {
  readonly origin: string;
  /** The URL (path and query) of every request the server received, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves `handler` on a free port of 127.0.0.1, recording every request's URL. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Served> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves the built scripts, as a CDN would: another origin than the pages. */
export function serveScript(): Promise<Served> {
  // The script tag's two, the ES module build's entries and their chunks.
  const dist = new URL('../../dist/', import.meta.url);
  const chunks = readdirSync(new URL('chunks/', dist)).map((name) => `chunks/${name}`);
  const files = new Map(
    ['tabstream.js', 'tabstream-core.js', 'tabstream.mjs', 'elements.mjs', ...chunks].map(
      (name) => [`/${name}`, readFileSync(new URL(name, dist))],
    ),
  );
  return listen((req, res) => {
    const file = files.get(req.url?.split('?')[0] ?? '');
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/javascript',
      'cache-control': 'no-store',
      'access-control-allow-origin': '*', // module scripts from another origin need CORS
    });
    res.end(file);
  });
}

/** The script tag's data-* attributes (and any others), as HTML. */
function attributesOf(attributes: Record<string, string>): string {
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escape(value)}"`)
    .join('');
}

/** How a page loads tabstream: the script tag, or the ES module build. */
function loader(scriptOrigin: string, module: boolean, attributes: Record<string, string>): string {
  if (!module)
    return `<script src="${scriptOrigin}/tabstream.js"${attributesOf(attributes)} defer></script>`;
  return `<script type="module">
import { init } from '${scriptOrigin}/tabstream.mjs';
import '${scriptOrigin}/elements.mjs';
window.tabstream = init();
</script>`;
}

export interface SiteOptions {
  /** Extra response headers of every page (a Content-Security-Policy, say). */
  readonly headers?: Record<string, string>;
  /** Load the ES module build instead of the script tag. */
  readonly module?: boolean;
  /** Attributes of the script tag, such as `{ 'data-batch-interval': '200' }` (not with `module`). */
  readonly scriptAttributes?: Record<string, string>;
  /** More HTML for the head of page `n` (speculation rules, say), after the script tag. */
  readonly head?: (n: number) => string;
  /**
   * Each page registers the site's service worker (/sw.js, `serviceWorker` below), which keeps the
   * pages and both scripts in its cache once installed and answers from it: the site then
   * works offline.
   */
  readonly serviceWorker?: boolean;
}

/** The site's text file, for `context.textFile('/notes.txt')`. */
export const NOTES = Array.from({ length: 400 }, (_, i) =>
  `line ${i}: ${i % 3 ? 'Kafka keeps the log' : 'Spark reads it'} ${'again '.repeat(i % 5)}`.trim(),
).join('\n');

/** The site's application module: functions its datasets can name. */
const APP_MODULE = `const { defineFn } = globalThis.tabstream;
defineFn('words', (line) => line.split(' '));
defineFn('mentions', (line, params) => line.includes(params.word));`;

/** Other files of the site, by path. */
const FILES: Record<string, [string, string]> = {
  '/notes.txt': ['text/plain; charset=utf-8', NOTES],
  '/app-functions.js': ['text/javascript', APP_MODULE],
};

/** The cache of the site's service worker. */
const SERVICE_WORKER_CACHE = 'site';

/**
 * The site's service worker: on install it caches the pages and both scripts (the scripts come
 * from another origin, so it fetches them as the script tag does, `no-cors`: opaque responses,
 * which classic scripts can use); then it answers every GET from its cache, and from the
 * network only what its cache lacks (keeping it too).
 */
function serviceWorker(scriptOrigin: string): string {
  const urls = [
    ...Array.from({ length: 10 }, (_, n) => `/p/${n}`),
    `${scriptOrigin}/tabstream.js`,
    `${scriptOrigin}/tabstream-core.js?v=${VERSION}`,
  ];
  return `const CACHE = ${JSON.stringify(SERVICE_WORKER_CACHE)};
const URLS = ${JSON.stringify(urls)};
const requestOf = (url) =>
  new Request(url, { mode: new URL(url, location.href).origin === location.origin ? 'same-origin' : 'no-cors' });
addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of URLS) {
      const request = requestOf(url);
      const response = await fetch(request);
      if (!response.ok && response.type !== 'opaque') throw new Error(url + ': ' + response.status);
      await cache.put(request, response);
    }
    await skipWaiting();
  })());
});
addEventListener('activate', (event) => event.waitUntil(clients.claim()));
addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(event.request);
    if (cached) return cached;
    const response = await fetch(event.request);
    if (response.ok || response.type === 'opaque') await cache.put(event.request, response.clone());
    return response;
  })());
});
`;
}

/**
 * Serves pages /p/0 … /p/9, each with a link to the next page (#next), an element that is no
 * link (#box), and <tabstream-counts>; every page loads tabstream from `scriptOrigin`. Also
 * serves a text file and an application module (FILES), and with `serviceWorker` /sw.js.
 */
export function serveSite(scriptOrigin: string, options: SiteOptions = {}): Promise<Served> {
  const {
    headers = {},
    module = false,
    scriptAttributes = {},
    head = () => '',
    serviceWorker: withServiceWorker = false,
  } = options;
  const register = withServiceWorker
    ? `<script>navigator.serviceWorker.register('/sw.js');</script>\n`
    : '';
  return listen((req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    const file = FILES[path];
    if (file) {
      res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
      return;
    }
    if (withServiceWorker && path === '/sw.js') {
      res
        .writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' })
        .end(serviceWorker(scriptOrigin));
      return;
    }
    const match = /^\/p\/(\d+)$/.exec(path);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const n = Number(match[1]);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Page ${n}</title>
${loader(scriptOrigin, module, scriptAttributes)}
${register}${head(n)}</head>
<body><h1>Page ${n}</h1>
<a id="next" href="/p/${(n + 1) % 10}">Next page</a>
<div id="box" style="width:200px;height:50px;background:#eee">Not a link</div>
<tabstream-counts></tabstream-counts>
</body></html>`);
  });
}
