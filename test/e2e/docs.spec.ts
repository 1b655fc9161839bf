// The documentation stays true: every code block of README.md and docs/*.md runs, on the built
// dist/ and the demo server (scripts/serve-demo.mjs, as `npm start` serves it), so a snippet
// that fails fails `npm test`. By the block's tag:
// - `js`: the blocks of a page run in order in one demo page as one console session (DevTools'
//   REPL mode: later blocks see earlier blocks' `const`s, top-level `await` works); a block must
//   not throw, and the page must log no error while it runs. A block that imports the package
//   (`import … from 'tabstream'`) runs instead as a module on a page of its own, resolved
//   through an import map from package.json's `exports` (the package's own entry points), and
//   is type-checked against the package's declarations once `exports` gives `types`;
// - `html`: served as a page (with the script tag, if the block has none); it must load with
//   no console error, and each tabstream element in it must render;
// - `css`: applied to a page with the elements; every rule must parse;
// - `http`: each header line is a response header of a page with the tag: it must load with no
//   console error or tabstream warning, and count a click;
// - `sh`: each `npm` command must name a script of package.json (or be one of npm's own), each
//   path a file of the repository, a tarball the one `npm pack` writes; nothing is run;
// - `text`: pictures and sample output, not run. A block with no tag, or another, fails.
// The figures between markers (`npm run docs:figures`) must be those of dist/ and
// docs/figures/bench.json, and every relative link must lead to a file and heading that exist.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figures, staleMarkers } from '../../scripts/docs-figures.mjs';
import { ready } from './browser';
import { openDemo, startDemo, type Demo } from './demo-site';
import {
  blocksOf,
  brokenLinks,
  documentationFiles,
  importsPackage,
  LANGUAGES,
  ROOT,
  where,
  type Block,
} from './docs-blocks';

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};
const FILES = documentationFiles();
const ALL = FILES.flatMap(blocksOf);
const ofFile = (file: string, test: (block: Block) => boolean) =>
  ALL.filter((block) => block.file === file && test(block));

let demo: Demo;
beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo?.close();
});

/** The console errors and uncaught errors of `page` from now on, and its tabstream warnings. */
function problems(page: Page): { errors: string[]; warnings: string[] } {
  const seen = { errors: [] as string[], warnings: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
    if (message.type() === 'warning' && message.text().includes('tabstream'))
      seen.warnings.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

/** A fresh context (no storage, no service worker) whose `/__docs/<name>` pages are `pages`. */
async function contextServing(
  pages: Record<string, { body: string; headers?: Record<string, string> }>,
): Promise<BrowserContext> {
  const context = await demo.browser.newContext();
  await context.route(`${demo.origin}/__docs/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice('/__docs/'.length);
    const page = pages[name];
    if (!page) return route.fulfill({ status: 404, body: 'not found' });
    const type = name.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8';
    return route.fulfill({ body: page.body, headers: { 'content-type': type, ...page.headers } });
  });
  return context;
}

const TAG = '<script src="/tabstream.js" defer></script>';
const html = (body: string) =>
  /<html/i.test(body)
    ? body
    : `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs</title></head>` +
      `<body>${/src="[^"]*\/tabstream\.js"/.test(body) ? '' : TAG}${body}</body></html>`;

/** Loads `url`, waits for tabstream, and for every tabstream element of the page to render. */
async function loadAndRender(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await ready(page);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('*')].every(
      (element) =>
        !element.localName.startsWith('tabstream-') ||
        (element.shadowRoot?.childElementCount ?? 0) > 0,
    ),
  );
}

describe('the documentation', () => {
  it('tags every code block with a language the test runs (or text)', () => {
    const wrong = ALL.filter((block) => !(LANGUAGES as readonly string[]).includes(block.lang));
    expect(wrong.map((block) => `${where(block)}: \`\`\`${block.lang}`)).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    expect(FILES.flatMap(brokenLinks)).toEqual([]);
  });

  it('holds the figures of dist/ and docs/figures/bench.json (npm run docs:figures)', async () => {
    const values = figures();
    expect(await staleMarkers(values)).toEqual([]);
    // And the check sees a stale figure: the version as the README would show a wrong one.
    expect(await staleMarkers({ ...values, version: '0.0.0-stale' })).toContain(
      'README.md: version',
    );
  });

  it('names in its shell lines only npm scripts and files that exist', () => {
    const wrong = ALL.filter((block) => block.lang === 'sh').flatMap((block) =>
      shellProblems(block.code).map((problem) => `${where(block)}: ${problem}`),
    );
    expect(wrong).toEqual([]);
  });
});

/** npm's own commands the docs use; every other `npm x` must be a script of package.json. */
const NPM_COMMANDS = ['install', 'ci', 'pack'];

/** What is wrong with a shell block: unknown npm scripts, missing files, a wrong tarball. */
function shellProblems(code: string): string[] {
  const problems: string[] = [];
  const tarball = `${PACKAGE.name}-${PACKAGE.version}.tgz`;
  for (const line of code.split('\n')) {
    for (const command of line.replace(/(^|\s)#.*$/, '').split(/&&|\|\||;|\|/)) {
      const words = command.trim().split(/\s+/).filter(Boolean);
      while (words[0]?.includes('=')) words.shift(); // PORT=8080 npm start
      const [program, verb, script] = words;
      if (program === 'npm') {
        const known =
          verb === 'run'
            ? script !== undefined && script in PACKAGE.scripts
            : verb !== undefined && (verb in PACKAGE.scripts || NPM_COMMANDS.includes(verb));
        if (!known) problems.push(`${command.trim()}: no such npm script`);
      }
      for (const word of words) {
        if (word.endsWith('.tgz')) {
          if (basename(word) !== tarball) problems.push(`${word}: npm pack writes ${tarball}`);
        } else if (/^(\.{1,2}\/)?[\w.-]+(\/[\w.-]+)+\/?$/.test(word)) {
          if (!existsSync(join(ROOT, word))) problems.push(`${word}: no such file`);
        }
      }
    }
  }
  return problems;
}

describe.each(
  FILES.filter((file) => ofFile(file, (b) => b.lang === 'js' && !importsPackage(b)).length),
)('%s, its console session', (file) => {
  it('runs every js block in order, in one demo page, with no error', async () => {
    const context = await demo.browser.newContext();
    try {
      const page = await openDemo(context, `${demo.origin}/index.html`);
      const seen = problems(page);
      const cdp = await context.newCDPSession(page);
      for (const block of ofFile(file, (b) => b.lang === 'js' && !importsPackage(b))) {
        const { exceptionDetails } = await cdp.send('Runtime.evaluate', {
          expression: block.code,
          replMode: true,
          awaitPromise: true,
        });
        const thrown = exceptionDetails?.exception?.description ?? exceptionDetails?.text;
        expect(thrown, `${where(block)} threw`).toBeUndefined();
        expect(seen.errors, `${where(block)} logged errors`).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});

describe.each(ALL.filter((block) => block.lang === 'html').map((block) => [where(block), block]))(
  '%s, html',
  (_, block) => {
    it('loads as a page with no console error, and its tabstream elements render', async () => {
      const context = await contextServing({ 'page.html': { body: html(block.code) } });
      try {
        const page = await context.newPage();
        const seen = problems(page);
        await loadAndRender(page, `${demo.origin}/__docs/page.html`);
        await page.evaluate(() => window.tabstream!.flush());
        expect(seen.errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  },
);

describe.each(ALL.filter((block) => block.lang === 'css').map((block) => [where(block), block]))(
  '%s, css',
  (_, block) => {
    it('applies to the elements, every rule parsed', async () => {
      const body = `<style>${block.code}</style><tabstream-counts></tabstream-counts>`;
      const context = await contextServing({ 'page.html': { body: html(body) } });
      try {
        const page = await context.newPage();
        const seen = problems(page);
        await loadAndRender(page, `${demo.origin}/__docs/page.html`);
        const rules = await page.evaluate(() => document.styleSheets[0]!.cssRules.length);
        // A rule that does not parse is dropped: count the top-level rules written.
        const written = block.code.replace(/\{[^{}]*\}/g, '{}').match(/\{\}/g)?.length ?? 0;
        expect(rules).toBe(written);
        expect(seen.errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  },
);

describe.each(ALL.filter((block) => block.lang === 'http').map((block) => [where(block), block]))(
  '%s, http headers',
  (_, block) => {
    it('serve a page where tabstream loads, counts, and warns of nothing', async () => {
      const headers = Object.fromEntries(
        block.code
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => [
            line.slice(0, line.indexOf(':')).trim(),
            line.slice(line.indexOf(':') + 1).trim(),
          ]),
      );
      const body = html('<button id="b">b</button><tabstream-counts></tabstream-counts>');
      const context = await contextServing({ 'page.html': { body, headers } });
      try {
        const page = await context.newPage();
        const seen = problems(page);
        await loadAndRender(page, `${demo.origin}/__docs/page.html`);
        await page.click('#b');
        await page.evaluate(() => window.tabstream!.flush());
        const counts = await page.evaluate(() => window.tabstream!.counts());
        expect(counts[`${demo.origin}/__docs/page.html`]).toBe(1);
        expect(seen.errors).toEqual([]);
        expect(seen.warnings).toEqual([]);
      } finally {
        await context.close();
      }
    });
  },
);

/**
 * The import map of the package's entry points, from package.json's `exports`: `tabstream` and
 * its subpaths, each to the file it exports for `import`, served under /__docs/package/.
 */
function importMap(): Record<string, string> {
  const entries = Object.entries(PACKAGE.exports).map(([subpath, target]) => {
    const file = typeof target === 'string' ? target : (target.import ?? target.default!);
    return [
      `${PACKAGE.name}${subpath.slice(1)}`,
      `/__docs/package/${file.replace(/^\.\//, '')}`,
    ] as const;
  });
  return Object.fromEntries(entries);
}

/**
 * Type-checks a snippet that imports the package against its declarations, as a TypeScript
 * user's project would (strict, moduleResolution bundler, the package linked in node_modules):
 * tsc's report, or '' when it passes. Null while the package publishes no declarations (no
 * `types` in `exports`): until then snippets are only run.
 */
function typeCheck(code: string): string | null {
  const typed = Object.values(PACKAGE.exports).some((t) => typeof t !== 'string' && t.types);
  if (!typed) return null;
  const dir = mkdtempSync(join(tmpdir(), 'tabstream-docs-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', PACKAGE.name), 'dir');
    writeFileSync(join(dir, 'snippet.ts'), code);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir],
      {
        encoding: 'utf8',
      },
    );
    return tsc.status === 0 ? '' : `${tsc.stdout}${tsc.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(ALL.filter(importsPackage).map((block) => [where(block), block]))(
  '%s, a module importing the package',
  (_, block) => {
    it('resolves against the package, type-checks, and runs in a page with no error', async () => {
      expect(typeCheck(block.code) ?? '').toBe('');
      const map = JSON.stringify({ imports: importMap() });
      const body =
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs</title>' +
        `<script type="importmap">${map}</script>` +
        '<script type="module" src="/__docs/snippet.js"></script></head><body></body></html>';
      const context = await contextServing({
        'page.html': { body },
        'snippet.js': { body: block.code },
      });
      await context.route(`${demo.origin}/__docs/package/**`, (route) => {
        const path = new URL(route.request().url()).pathname.slice('/__docs/package/'.length);
        if (!path.startsWith('dist/') || path.includes('..'))
          return route.fulfill({ status: 404, body: 'not in the package' });
        return route.fulfill({
          body: readFileSync(join(ROOT, path)),
          headers: { 'content-type': 'text/javascript' },
        });
      });
      try {
        const page = await context.newPage();
        const seen = problems(page);
        const failed = new Promise<void>((resolve) => {
          page.on('pageerror', () => resolve());
          page.on('console', (message) => void (message.type() === 'error' && resolve()));
        });
        await page.goto(`${demo.origin}/__docs/page.html`);
        const started = ready(page);
        started.catch(() => {}); // given up when the page failed first
        await Promise.race([started, failed]);
        expect(seen.errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  },
);
