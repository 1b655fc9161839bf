// `npm run bench -- [--short] [--results file.json] [suite…]`: builds the benchmark pages,
// serves them cross-origin isolated (precise timers), runs each suite in a fresh headless
// Chromium page and prints one JSON line per figure on stdout (and its notes, `BENCH-NOTE text`,
// on stderr). Without a suite name, runs them all. `--short` runs each in short mode (small
// sizes, one round: `npm test` does, to catch a suite that no longer runs). `--results` writes
// each suite's outcome, `[{suite, short, passed, figures, measured, skipped, error}]`
// (`figures`: how many, `measured`: the figures themselves, which `npm run docs:figures --
// --bench` puts in the docs): a suite passed when it printed its figures and finished
// (`BENCH-DONE`), or, in short mode only, said why it skipped (`skipped`); figures are only
// printed, never checked against a time.
// A suite that needs more tabs logs `BENCH-OPEN query`: a second page of the same browser
// context (same origin storage, locks and channels) opens at `/?query`; its notes and errors
// are reported like the suite's, its figures ignored, and it closes with the suite.
// A suite that needs the real Kafka (suite `sink`) calls `benchCommand(name, payload)` in the
// page (bench/kafka.mjs: its first `kafka-start` starts the cluster, stopped with the suite).
// In short mode, a suite may log `BENCH-SKIP reason` instead of figures (a full run fails).
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import { kafkaCommands } from './kafka.mjs';

const { values: flags, positionals: wanted } = parseArgs({
  options: { short: { type: 'boolean', default: false }, results: { type: 'string' } },
  allowPositionals: true,
});
// Not a measure, only a way out of a suite that hangs; the storage suite's full run writes at
// a page's pace for about 11 minutes, then a million clicks in small batches (half an hour on
// a busy 2-core machine).
const SUITE_TIMEOUT_MS = (flags.short ? 10 : 120) * 60 * 1000;
const all = readdirSync(new URL('./suites', import.meta.url))
  .filter((file) => file.endsWith('.ts') && file !== 'figure.ts')
  .map((file) => file.slice(0, -3));
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; suites: ${all.join(', ')}`);
  process.exit(2);
}

execSync('npx vite build --config bench/vite.config.ts', {
  stdio: ['ignore', 'ignore', 'inherit'],
});
// Suite `tracker` weighs the script tag's files: built from src/ as `npm run build` builds
// dist/tabstream.js and dist/tabstream-core.js, into .bench-dist/lib/ (dist/ may be stale).
if (!wanted.length || wanted.includes('tracker'))
  execSync(
    'npx vite build --outDir .bench-dist/lib --logLevel warn && npx vite build --mode core --outDir .bench-dist/lib --logLevel warn',
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
const { origin, server } = await serveStatic({
  // DuckDB-WASM (a peer of suite `engine`) loads its wasm and worker from here: offline.
  mounts: { '/': '.bench-dist', '/duckdb': 'node_modules/@duckdb/duckdb-wasm/dist' },
  headers: {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  },
});
const browser = await chromium.launch({
  executablePath: chromiumPath,
  // gc(): suites collect the garbage of one phase before timing the next.
  args: [...chromiumArgs, '--js-flags=--expose-gc'],
  headless: true,
});
const results = [];
try {
  for (const suite of wanted.length ? wanted : all) {
    const result = await runSuite(suite);
    results.push(result);
    console.error(
      `bench ${suite}: ${result.passed ? 'passed' : 'FAILED'}, ${result.figures} figures` +
        `${flags.short ? ' (short)' : ''}${result.skipped ? `, skipped: ${result.skipped}` : ''}`,
    );
  }
} finally {
  await browser.close();
  server.close();
  if (flags.results) {
    mkdirSync(dirname(flags.results), { recursive: true });
    writeFileSync(flags.results, JSON.stringify(results, null, 2));
  }
}
process.exit(results.every((result) => result.passed) ? 0 : 1);

async function runSuite(suite) {
  const context = await browser.newContext();
  const kafka = kafkaCommands();
  await context.exposeFunction('benchCommand', (name, payload) => kafka.command(name, payload));
  const page = await context.newPage();
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(
        () => finish(false, `timed out after ${SUITE_TIMEOUT_MS} ms`),
        SUITE_TIMEOUT_MS,
      );
      const measured = [];
      const finish = (ok, error, skipped = null) => {
        clearTimeout(timer);
        if (error) console.error(`bench ${suite}: ${error}`);
        const figures = measured.length;
        const passed = ok && (figures > 0 || skipped !== null);
        resolve({
          suite,
          short: flags.short,
          passed,
          figures,
          measured,
          skipped,
          error: error ?? (passed ? null : 'no figures'),
        });
      };
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith('BENCH {')) {
          console.log(text.slice('BENCH '.length));
          measured.push(JSON.parse(text.slice('BENCH '.length)));
        } else if (text.startsWith('BENCH-NOTE '))
          console.error(`bench ${suite}: ${text.slice(11)}`);
        else if (text === 'BENCH-DONE') finish(true);
        else if (text.startsWith('BENCH-SKIP ')) {
          if (flags.short) finish(true, undefined, text.slice('BENCH-SKIP '.length));
          else finish(false, `skipped in a full run: ${text.slice('BENCH-SKIP '.length)}`);
        } else if (text.startsWith('BENCH-ERROR')) finish(false, text.slice('BENCH-ERROR '.length));
        else if (text.startsWith('BENCH-OPEN ')) openHelper(text.slice(11));
        else if (message.type() === 'error') console.error(`bench ${suite}: ${text}`);
      });
      page.on('pageerror', (error) => finish(false, error.message));
      let helpers = 0;
      const openHelper = (query) => {
        const name = `${suite} (tab ${++helpers})`;
        context
          .newPage()
          .then((helper) => {
            helper.on('console', (message) => {
              const text = message.text();
              if (text.startsWith('BENCH-NOTE ')) console.error(`bench ${name}: ${text.slice(11)}`);
              else if (text.startsWith('BENCH-ERROR'))
                finish(false, `${name}: ${text.slice('BENCH-ERROR '.length)}`);
              else if (message.type() === 'error') console.error(`bench ${name}: ${text}`);
            });
            helper.on('pageerror', (error) => finish(false, `${name}: ${error.message}`));
            return helper.goto(`${origin}/?${query}`);
          })
          .catch((error) => finish(false, `${name}: ${error.message}`));
      };
      page
        .goto(
          `${origin}/?suite=${encodeURIComponent(suite)}${flags.short ? '&short=1' : ''}` +
            `&${process.env.BENCH_QUERY ?? ''}`,
        )
        .catch((error) => finish(false, error.message));
    });
  } finally {
    await context.close();
    await kafka.stop(); // the JVM must not outlive its suite, passed or not
  }
}
