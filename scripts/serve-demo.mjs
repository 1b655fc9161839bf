// `npm start` (after the build): serves the demo site, with the built scripts, on localhost.
// test/e2e/demo.spec.ts serves it with the same function, `serveDemo`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveStatic } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEMO = join(root, 'demo');
const SCRIPTS = ['tabstream.js', 'tabstream-core.js', 'tabstream.mjs'];
/** The documentation, served for what it shows: `sc.textFile('/README.md')`, docs/examples/. */
const DOCS = { '/README.md': join(root, 'README.md'), '/docs': join(root, 'docs') };

/** The paths of the single-page app's views: the server answers them all with its one page. */
const SHOP_VIEW = /^\/shop\/[\w/-]+$/;

/** Every file under `folder`. */
function filesOf(folder) {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * demo/sw.js with its `BUILD` set to a hash of the files it may cache (every file of demo/, the
 * built scripts and the documentation): so each change of the site or the docs, or a rebuild,
 * makes a new service worker, which caches the new files under a new name and deletes the old
 * cache.
 */
function serviceWorker() {
  const hash = createHash('sha256');
  const files = [
    ...filesOf(DEMO),
    ...SCRIPTS.map((name) => join(root, 'dist', name)),
    ...filesOf(DOCS['/docs']),
    DOCS['/README.md'],
  ].sort();
  for (const file of files)
    hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  const build = hash.digest('hex').slice(0, 12);
  const source = readFileSync(join(DEMO, 'sw.js'), 'utf8');
  return source.replace(/^const BUILD = '[^']*';$/m, `const BUILD = '${build}';`);
}

/**
 * Serves the demo site: demo/ at /, the built scripts beside it, README.md and docs/ (the
 * documentation's examples read them), /sw.js stamped with the
 * build's hash, and every view of the single-page app (/shop/…) as /shop/. Resolves with the
 * origin once the server listens (`port` 0: any free port).
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ origin: string, server: import('node:http').Server }>}
 */
export async function serveDemo({ port = 5173, host = '127.0.0.1' } = {}) {
  const { origin, server } = await serveStatic({
    port,
    host,
    mounts: {
      '/': DEMO,
      ...Object.fromEntries(SCRIPTS.map((name) => [`/${name}`, join(root, 'dist', name)])),
      ...DOCS,
    },
  });
  const [serveFile] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/sw.js') {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
        'service-worker-allowed': '/',
      });
      res.end(serviceWorker());
      return;
    }
    if (SHOP_VIEW.test(path)) req.url = '/shop/';
    serveFile.call(server, req, res);
  });
  return { origin, server };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { origin } = await serveDemo({ port: Number(process.env.PORT ?? 5173) });
  console.log(`tabstream demo: ${origin}/  (Ctrl+C to stop)`);
}
