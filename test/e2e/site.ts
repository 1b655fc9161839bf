// A small site on one origin and dist/tabstream.js on another, as a CDN would serve it.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served {
  readonly origin: string;
  close(): Promise<void>;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Served> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves the built scripts, as a CDN would: another origin than the pages. */
export function serveScript(): Promise<Served> {
  const files = new Map(
    ['tabstream.js', 'tabstream-core.js', 'tabstream.mjs'].map((name) => [
      `/${name}`,
      readFileSync(new URL(`../../dist/${name}`, import.meta.url)),
    ]),
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
import { init, defineElements } from '${scriptOrigin}/tabstream.mjs';
window.tabstream = init();
defineElements();
</script>`;
}

export interface SiteOptions {
  /** Extra response headers of every page (a Content-Security-Policy, say). */
  readonly headers?: Record<string, string>;
  /** Load the ES module build instead of the script tag. */
  readonly module?: boolean;
  /** Attributes of the script tag, such as `{ 'data-batch-interval': '200' }` (not with `module`). */
  readonly scriptAttributes?: Record<string, string>;
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

/**
 * Serves pages /p/0 … /p/9, each with a link to the next page (#next), an element that is no
 * link (#box), and <tabstream-counts>; every page loads tabstream from `scriptOrigin`. Also
 * serves a text file and an application module (FILES).
 */
export function serveSite(scriptOrigin: string, options: SiteOptions = {}): Promise<Served> {
  const { headers = {}, module = false, scriptAttributes = {} } = options;
  return listen((req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    const file = FILES[path];
    if (file) {
      res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
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
${loader(scriptOrigin, module, scriptAttributes)}</head>
<body><h1>Page ${n}</h1>
<a id="next" href="/p/${(n + 1) % 10}">Next page</a>
<div id="box" style="width:200px;height:50px;background:#eee">Not a link</div>
<tabstream-counts></tabstream-counts>
</body></html>`);
  });
}
