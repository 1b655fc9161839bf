// A small static file server for the demo (npm start) and the benchmarks: no dependency, no
// network beyond the loopback it listens on.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
};

/**
 * Serves files: `mounts` maps a URL prefix to a folder or a file ("/" → "demo",
 * "/tabstream.js" → "dist/tabstream.js"); the longest matching prefix wins; a folder serves its
 * index.html. Resolves with the server's origin once it listens.
 */
export async function serveStatic({ mounts, port = 0, host = '127.0.0.1', headers = {} }) {
  const entries = Object.entries(mounts).sort(([a], [b]) => b.length - a.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = locate(entries, path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...headers,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => server.listen(port, host, ok).once('error', fail));
  return { origin: `http://${host}:${server.address().port}`, server };
}

function locate(entries, path) {
  for (const [prefix, target] of entries) {
    if (path !== prefix && !path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) continue;
    const root = resolve(target);
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(root)) return null;
    if (isDirectory(file)) file = join(file, 'index.html');
    return isFile(file) ? file : null;
  }
  return null;
}

function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
