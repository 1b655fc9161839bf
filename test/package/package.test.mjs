// `npm test` step `package` (after `npm run build`): the package as a user gets it. Packs the
// project, installs the tarball into a fresh folder without the network, then type-checks a
// small consumer program against it (strict, the package's declarations checked, module
// resolution `bundler` and `node16`), runs it in Node and in a page and a module worker in
// Chromium. A consumer type error, or an entry that throws when imported, fails it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { install, pack, run } from './tarball.mjs';

const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
const fakeIndexedDB = import.meta.resolve('fake-indexeddb/auto');

const dir = mkdtempSync(join(tmpdir(), 'tabstream-package-'));
const consumer = join(dir, 'consumer');
let packed;

before(() => {
  packed = pack(dir);
  console.log(`tarball: ${packed.size} B, ${packed.files.length} files`);
  install(packed.tarball, consumer);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball holds the built entries, their declarations, the manifest and the README, and nothing else', () => {
  for (const file of [
    'package.json',
    'README.md',
    'custom-elements.json',
    'dist/tabstream.mjs',
    'dist/elements.mjs',
    'dist/elements.server.mjs',
    'dist/tabstream.js',
    'dist/tabstream-core.js',
    'dist/types/src/entries/index.d.ts',
    'dist/types/src/entries/elements.d.ts',
  ])
    assert.ok(packed.files.includes(file), `${file} is missing`);
  const stray = packed.files.filter(
    (file) =>
      !/^(package\.json|README\.md|LICENSE|custom-elements\.json)$/.test(file) &&
      !/^dist\/(tabstream|elements(\.server)?)\.mjs$|^dist\/chunks\/[\w-]+\.mjs$/.test(file) &&
      !/^dist\/tabstream(-core)?\.js$|^dist\/types\/.+\.d\.ts$/.test(file),
  );
  assert.deepEqual(stray, []);
});

test('custom-elements.json (package.json `customElements`) names every tag and their attributes', () => {
  const root = join(consumer, 'node_modules/tabstream');
  const { customElements } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(root, customElements), 'utf8'));
  const elements = Object.fromEntries(
    manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .filter((declaration) => declaration.customElement)
      .map((element) => [element.tagName, (element.attributes ?? []).map((a) => a.name).sort()]),
  );
  assert.deepEqual(elements, {
    'tabstream-counts': ['by', 'filter', 'limit', 'order', 'origin', 'show-all', 'sort', 'window'],
    'tabstream-monitor': ['refresh', 'tab'],
    'tabstream-sql': [],
    'tabstream-heatmap': ['layers'],
    'tabstream-heatmap-controls': [],
    'tabstream-paths': ['origin'],
    'tabstream-paths-explorer': ['origin'],
    'tabstream-funnel': [],
    'tabstream-funnel-explorer': [],
  });
});

test('the consumer program type-checks, moduleResolution bundler', () => {
  run('node', [tsc, '-p', 'tsconfig.json'], consumer);
});

test('the consumer program type-checks, moduleResolution node16', () => {
  run(
    'node',
    [tsc, '-p', 'tsconfig.node16.json', '--noEmit', 'false', '--outDir', 'out'],
    consumer,
  );
});

test('the worker program type-checks with the WebWorker lib alone, no DOM (tsconfig.worker.json)', () => {
  run('node', [tsc, '-p', 'tsconfig.worker.json'], consumer);
});

test("in Node: tabstream imports without Lit and its log works; tabstream/elements defines the elements (Lit's shim)", () => {
  const printed = run('node', ['--import', fakeIndexedDB, 'out/node.js'], consumer);
  const { mainLoadedLit, log, elements } = JSON.parse(printed.trim().split('\n').at(-1));
  assert.equal(mainLoadedLit, false, 'importing tabstream loaded Lit, its elements');
  assertLogWorked(log);
  assert.deepEqual(elements, { counts: true, defined: [true, true] });
});

describe('in Chromium, bundled by Vite', () => {
  let browser;
  let served;
  before(async () => {
    await build({
      root: consumer,
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir: 'dist',
        target: 'es2022',
        rolldownOptions: { input: ['index.html', 'init.html'].map((page) => join(consumer, page)) },
      },
      // The worker bundle keeps every module of the package, used or not: each must evaluate
      // where there is no DOM.
      worker: { format: 'es', rolldownOptions: { treeshake: false } },
    });
    served = await serveStatic({ mounts: { '/': join(consumer, 'dist') } });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    served?.server.close();
  });

  /** Opens `path` and resolves with the result its program put in the title. */
  async function outcomeOf(path) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${served.origin}${path}`);
    await page.waitForFunction(() => document.title !== 'pending', null, { timeout: 60000 });
    const outcome = JSON.parse(await page.title());
    await page.close();
    assert.equal(outcome.error, undefined);
    assert.deepEqual(errors, []);
    return outcome.result;
  }

  test("a page (init, the elements, the log) and a module worker (the log, the elements' classes)", async () => {
    const { elements, clicks, page, worker } = await outcomeOf('/');
    assert.deepEqual(elements, { counts: true, monitor: true, sourceBefore: null });
    assert.equal(clicks, 1);
    assertLogWorked(page);
    assertLogWorked(worker.log);
    assert.deepEqual(worker.elements, { counts: true, registry: 'undefined' });
  });

  test('init alone loads the elements with the core, and shows the panel', async () => {
    assert.deepEqual(await outcomeOf('/init.html'), { litAtInit: false, panelShown: true });
  });
});

/** What useLog (consumer/src/use-log.ts) returns when the log and the engine worked. */
function assertLogWorked(result) {
  const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url))).version;
  assert.equal(result.version, version);
  assert.equal(result.sent.length, 3);
  assert.deepEqual(result.read, [
    { key: 'customer-1', qty: 1 },
    { key: 'customer-2', qty: 2 },
    { key: 'customer-3', qty: 3 },
  ]);
  assert.equal(result.total, 10);
}
