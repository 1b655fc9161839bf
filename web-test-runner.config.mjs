// Browser tests: real Chromium, real IndexedDB, real Web Workers. Files: test/browser/**/*.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';
import { restProxyMiddleware, restProxyPlugin } from './test/browser/sink/rest-proxy.mjs';

/**
 * Vite's `?worker&inline` imports, served as what they are in a build: a constructor of the
 * real worker module. (Web Test Runner does not know Vite's query suffixes.)
 */
const viteInlineWorkers = {
  name: 'vite-inline-workers',
  resolveImport({ source }) {
    if (source.endsWith('?worker&inline')) return source;
  },
  serve(context) {
    if (!context.URL.searchParams.has('worker')) return;
    const module = JSON.stringify(`${context.path}.ts`);
    return {
      type: 'js',
      body: `export default function InlineWorker(options) {
  return new Worker(new URL(${module}, import.meta.url), { type: 'module', name: options?.name });
}`,
    };
  },
};

/**
 * Server command `set-storage-quota` (from tests: `executeServerCommand('set-storage-quota',
 * { quotaSize })`): overrides the storage quota of the test page's origin with DevTools'
 * `Storage.overrideQuotaForOrigin`, so that IndexedDB writes beyond it fail with a real
 * QuotaExceededError. Without `quotaSize` it restores the browser's own quota. Resolves with the
 * origin it applied to. Chromium drops an override when the DevTools session that set it goes
 * away, so the session stays attached until the quota is restored.
 */
function storageQuota() {
  const overrides = new Map(); // test session id → DevTools session holding an override
  return {
    name: 'storage-quota',
    async executeCommand({ command, payload, session }) {
      if (command !== 'set-storage-quota') return;
      if (session.browser.type !== 'puppeteer') {
        throw new Error('set-storage-quota needs a puppeteer (Chrome) launcher');
      }
      const page = session.browser.getPage(session.id);
      const origin = payload?.origin ?? new URL(page.url()).origin;
      const quotaSize = payload?.quotaSize;
      let cdp = overrides.get(session.id);
      if (!cdp) {
        cdp = await page.createCDPSession();
        overrides.set(session.id, cdp);
      }
      try {
        await cdp.send(
          'Storage.overrideQuotaForOrigin',
          typeof quotaSize === 'number' ? { origin, quotaSize } : { origin },
        );
      } finally {
        if (typeof quotaSize !== 'number') {
          overrides.delete(session.id);
          await cdp.detach().catch(() => {});
        }
      }
      return { origin };
    },
  };
}

/** Writes the pass/fail counts where scripts/test.mjs sums them. */
function countReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const visit = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) continue;
          if (test.passed) passed++;
          else failed++;
        }
        for (const child of suite.suites) visit(child);
      };
      for (const session of sessions) {
        if (session.testResults) visit(session.testResults);
        if (!session.passed && (session.errors?.length ?? 0) > 0) failed++;
      }
      mkdirSync('.test-results', { recursive: true });
      writeFileSync(file, JSON.stringify({ passed, failed }));
    },
  };
}

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  middleware: [restProxyMiddleware],
  plugins: [
    viteInlineWorkers,
    storageQuota(),
    restProxyPlugin,
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs },
      // Test files run two at a time, each in a tab: the background one would be hidden, with
      // no rendering (no animation frames, no scroll events). Focus emulation keeps every tab
      // visible and rendering, as a page on its own screen is.
      async createPage({ context }) {
        const page = await context.newPage();
        const session = await page.createCDPSession();
        await session.send('Emulation.setFocusEmulationEnabled', { enabled: true });
        return page;
      },
    }),
  ],
  reporters: [defaultReporter(), countReporter('.test-results/browser.json')],
  testFramework: { config: { timeout: 30000 } },
  browserStartTimeout: 60000,
  testsFinishTimeout: 300000,
};
