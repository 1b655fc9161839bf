// Pages of the privacy tests: forms, ignore zones, privacy signals, bad configuration, a page
// with errors of its own. One origin serves them all; each page says how its script tag reads.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server of this site. */
export interface Site {
  readonly origin: string;
  close(): Promise<void>;
}

/** Secrets typed or written into the form page: none may ever reach storage. */
export const SECRETS = {
  text: 'TXTSECRET-q7Zr',
  password: 'PWSECRET-x9Kd',
  textarea: 'AREASECRET-m4Lp',
  hidden: 'HIDDENSECRET-c3Vn',
  option: 'OPTSECRET-w8Hs',
  sensitive: 'MARKEDSECRET-k2Jf',
  sensitiveCard: '4242 4242 4242 4242',
  editable: 'EDITSECRET-b5Tg',
} as const;

/** The id and class of the password and hidden fields: "nothing of them but the tag" is kept. */
export const SECRET_FIELD_NAMES = {
  passwordId: 'PWFIELDID-t6Yu',
  passwordClass: 'PWFIELDCLASS-r1Eo',
  hiddenId: 'HIDDENFIELDID-z8Qa',
} as const;

/** Text inside ignore zones: the clicks there are not stored, so neither is this. */
export const IGNORED_TEXT = ['IGNOREDZONE-n3Bv', 'ADMINZONE-p5Cx', 'ADMINSELF-h2Mw'] as const;

/** What a page of this site is. */
interface PageSpec {
  readonly title: string;
  readonly body: string;
  /** Goes before the script tag: the page's own early scripts. */
  readonly head?: string;
  /** The script tag's attributes; null: the page has no tabstream at all. */
  readonly script?: Record<string, string> | null;
}

const plainBody = (next: string) => `<h1>Plain</h1>
<a id="next" href="${next}">Next page</a>
<button id="button" type="button">A button</button>
<div id="box" style="width:200px;height:50px;background:#eee">Not a link</div>`;

const FORM = `<h1>Checkout</h1>
<form id="form" onsubmit="event.preventDefault(); window.submitted = (window.submitted || 0) + 1">
  <label>Name <input id="text" name="fullname" type="text"></label>
  <input id="${SECRET_FIELD_NAMES.passwordId}" class="${SECRET_FIELD_NAMES.passwordClass}" type="password">
  <textarea id="textarea"></textarea>
  <select id="select">
    <option value="">Choose</option>
    <option value="${SECRETS.option}">${SECRETS.option}</option>
  </select>
  <input id="${SECRET_FIELD_NAMES.hiddenId}" type="hidden" value="${SECRETS.hidden}">
  <div id="marked" data-tabstream-sensitive style="padding:8px">
    Card ${SECRETS.sensitiveCard} <span id="marked-inner">${SECRETS.sensitive}</span>
  </div>
  <div id="editable" contenteditable="true" style="min-height:20px">${SECRETS.editable}</div>
  <button id="submit" type="submit"><span id="submit-label">Send it</span></button>
</form>
<button id="card-button" type="button">Pay with 4111 1111 1111 1111 now</button>`;

const IGNORE = `<h1>Ignore zones</h1>
<div data-tabstream-ignore>
  <button id="in-ignore" type="button"><span id="in-ignore-inner">${IGNORED_TEXT[0]}</span></button>
</div>
<section class="admin">
  <div><a id="in-admin" href="#admin">${IGNORED_TEXT[1]}</a></div>
</section>
<button id="admin-itself" class="admin" type="button">${IGNORED_TEXT[2]}</button>
<button id="kept-button" type="button">Kept button</button>
<div id="kept-box" style="width:200px;height:50px">Kept box</div>`;

/** The page's own error counting, installed before tabstream, and a click handler that throws. */
const HOST_ERRORS_HEAD = `<script>
window.pageErrors = [];
window.onerror = (message) => { window.pageErrors.push(String(message)); };
addEventListener('unhandledrejection', (event) => window.pageErrors.push('rejection: ' + event.reason.message));
</script>`;
const HOST_ERRORS_BODY = `<h1>Host errors</h1>
<button id="boom" type="button">Boom</button>
<div id="box" style="width:200px;height:50px">Rejects</div>
<script>
document.getElementById('boom').addEventListener('click', () => { throw new Error('host page boom'); });
document.addEventListener('click', (event) => {
  if (event.target.id === 'box') Promise.reject(new Error('host page rejection'));
});
</script>`;

const EVENTS = `<h1>Events</h1>
<button id="add" type="button" data-tabstream-event="add-to-cart" data-tabstream-prop-sku="espresso" data-tabstream-prop-qty="2"><span>Add</span></button>
<button id="bad-event" type="button" data-tabstream-event="">Bad event</button>`;

/** Every way a page can reach the network, each on a button, for the audit's control. */
const CONTROL = `<h1>Control</h1>
<script>
window.sendAll = (wsOrigin) => {
  navigator.sendBeacon('/beacon', 'beacon body');
  fetch('/fetched', { method: 'POST', body: 'x', keepalive: true }).catch(() => {});
  new Image().src = '/pixel.gif';
  const xhr = new XMLHttpRequest(); xhr.open('GET', '/xhr'); xhr.send();
  const source = 'fetch(' + JSON.stringify(location.origin + '/from-worker') + ').catch(() => {})';
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  window.controlWorker = worker;
  try { new WebSocket(wsOrigin + '/socket'); } catch {}
};
</script>`;

const BAD_CONFIG = {
  'data-partitions': 'lots',
  'data-batch-interval': 'fast',
  'data-workers': '0',
  'data-log': 'my log!',
  'data-capture': 'everything',
  'data-keep-query': 'a=b',
  'data-keep-hash': 'maybe',
  'data-replace-state': 'sometimes',
  'data-ignore': '###',
  'data-respect-dnt': 'yes',
  'data-respect-gpc': '1',
  'data-panel': 'on',
} as const;

/** The invalid attributes of /bad-config, and a piece of the valid values each error must name. */
export const BAD_ATTRIBUTES: Readonly<Record<keyof typeof BAD_CONFIG, string>> = {
  'data-partitions': '1 to 64',
  'data-batch-interval': '100 to 600000',
  'data-workers': '1 to 16',
  'data-log': 'letters, digits',
  'data-capture': '"clicks", "pageviews", "custom"',
  'data-keep-query': '"none", "all"',
  'data-keep-hash': '"true" or "false"',
  'data-replace-state': '"path", "url", "never"',
  'data-ignore': 'CSS selector',
  'data-respect-dnt': '"true" or "false"',
  'data-respect-gpc': '"true" or "false"',
  'data-panel': '"true" or "false"',
};

const PAGES: Record<string, PageSpec> = {
  '/plain': { title: 'Plain', body: plainBody('/plain/2') },
  '/plain/2': { title: 'Plain 2', body: plainBody('/plain') },
  '/form': { title: 'Checkout', body: FORM },
  '/ignore': { title: 'Ignore', body: IGNORE, script: { 'data-ignore': '.admin' } },
  '/dnt': { title: 'DNT', body: plainBody('/dnt'), script: { 'data-respect-dnt': 'true' } },
  '/gpc': { title: 'GPC', body: plainBody('/gpc'), script: { 'data-respect-gpc': 'true' } },
  '/bad-config': {
    title: 'Bad config',
    body: plainBody('/plain'),
    script: { ...BAD_CONFIG, 'data-unknown-thing': 'whatever' },
  },
  '/events': { title: 'Events', body: EVENTS },
  '/host-errors': { title: 'Host errors', head: HOST_ERRORS_HEAD, body: HOST_ERRORS_BODY },
  '/host-errors-bare': {
    title: 'Host errors',
    head: HOST_ERRORS_HEAD,
    body: HOST_ERRORS_BODY,
    script: null,
  },
  '/audit': {
    title: 'Audit',
    body: `${plainBody('/audit/2')}<tabstream-counts></tabstream-counts>`,
    script: { 'data-panel': 'true', 'data-batch-interval': '200' },
  },
  '/audit/2': {
    title: 'Audit 2',
    body: `${plainBody('/audit')}<tabstream-counts></tabstream-counts>`,
    script: { 'data-panel': 'true', 'data-batch-interval': '200' },
  },
  '/control': { title: 'Control', body: CONTROL },
  '/named-element': {
    title: 'About',
    body: `<section id="tabstream"><h2>About tabstream</h2></section>${plainBody('/plain')}`,
  },
};

/** Attribute values as HTML. */
function attributesOf(attributes: Record<string, string>): string {
  const escape = (value: string) =>
    value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escape(value)}"`)
    .join('');
}

function html(spec: PageSpec, scriptOrigin: string): string {
  const script =
    spec.script === null
      ? ''
      : `<script src="${scriptOrigin}/tabstream.js"${attributesOf(spec.script ?? {})} defer></script>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>${spec.title}</title>
${spec.head ?? ''}
${script}</head>
<body>${spec.body}</body></html>`;
}

/**
 * Serves the pages above (any query string is ignored), each loading tabstream from
 * `scriptOrigin` as its spec says; anything else (the control's beacons) gets 204, and a
 * WebSocket upgrade is refused.
 */
export async function servePrivacySite(scriptOrigin: string): Promise<Site> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const spec = PAGES[req.url?.split('?')[0] ?? ''];
    if (!spec) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html(spec, scriptOrigin));
  });
  server.on('upgrade', (_req, socket) => socket.destroy());
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
