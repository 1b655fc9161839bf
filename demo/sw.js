// The demo's service worker: it keeps every file of the site in a cache when installed and answers
// from it, so the whole site, tabstream included, works offline. Only requests to this origin are
// answered; any other request is left to the browser.
//
// A new build's worker waits (no skipWaiting()): the pages the old worker controls keep it, and its
// cache, until they are all gone; then the new one activates and deletes the old cache. So a page
// never mixes two builds: tabstream.js loads tabstream-core.js lazily, from the same worker.

// A hash of the files below: `npm start` (scripts/serve-demo.mjs) stamps it on every build, so a
// change makes a new worker, which caches the files afresh under a new name.
const BUILD = 'dev';
const CACHE = `tabstream-demo-${BUILD}`;

const PRECACHE = [
  '/',
  '/index.html',
  '/beans.html',
  '/brewing.html',
  '/about.html',
  '/dashboard.html',
  '/shop/',
  '/shop/index.html',
  '/shop/app.js',
  '/js/site.js',
  '/style.css',
  '/favicon.svg',
  '/images/logo.svg',
  '/downloads/brew-guide.pdf',
  '/downloads/price-list.csv',
  '/tabstream.js',
  '/tabstream-core.js',
];

/** The views of the single-page app (/shop/basket, /shop/orders/…) are its one page. */
const SHOP_VIEW = /^\/shop\/[\w/-]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: from the server, never from the HTTP cache.
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith('tabstream-demo-') && name !== CACHE) await caches.delete(name);
      // The pages no worker controls (the first visit's, which registered this one): the scripts
      // they have came from the network, as the rest of their requests would.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  event.respondWith(fromCache(request, url));
});

/**
 * Cache first. The query is ignored (the tracker asks for /tabstream-core.js?v=<version>, and
 * the pages this worker answers are of its build; a page's ?utm_source=… changes nothing); a view
 * of the shop is the shop's page; anything else not cached is fetched and kept.
 */
async function fromCache(request, url) {
  const cache = await caches.open(CACHE);
  const key = request.mode === 'navigate' && SHOP_VIEW.test(url.pathname) ? '/shop/' : request;
  const cached = await cache.match(key, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  // Kept if whole and ours; a full cache must not cost the page the response it has.
  if (response.status === 200 && response.type === 'basic')
    await cache.put(request, response.clone()).catch(() => {});
  return response;
}
