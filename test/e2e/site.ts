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

/** Serves the built script, as a CDN would: another origin than the pages. */
export function serveScript(): Promise<Served> {
  const script = readFileSync(new URL('../../dist/tabstream.js', import.meta.url));
  return listen((req, res) => {
    if (req.url?.split('?')[0] !== '/tabstream.js') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(script);
  });
}

/**
 * Serves pages /p/0 … /p/9, each with a link to the next page (#next), an element that is no
 * link (#box), and <tabstream-counts>; every page loads the script from `scriptUrl`.
 */
export function serveSite(
  scriptUrl: string,
  headers: Record<string, string> = {},
): Promise<Served> {
  return listen((req, res) => {
    const match = /^\/p\/(\d+)$/.exec(req.url?.split('?')[0] ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const n = Number(match[1]);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Page ${n}</title>
<script src="${scriptUrl}" defer></script></head>
<body><h1>Page ${n}</h1>
<a id="next" href="/p/${(n + 1) % 10}">Next page</a>
<div id="box" style="width:200px;height:50px;background:#eee">Not a link</div>
<tabstream-counts></tabstream-counts>
</body></html>`);
  });
}
