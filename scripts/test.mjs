// `npm test`: every suite, one after another, then one line summing them: `N passed, N failed`.
// Checks (lint, format, types, build) count as one test each; test suites count their tests,
// and every benchmark suite run short counts as one. `TEST_STEPS=bench,unit` runs only the
// steps named.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const RESULTS = '.test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

/** A check passes when its command exits 0. */
const check = (name, command) => ({ name, command, count: (ok) => (ok ? [1, 0] : [0, 1]) });

/** A suite reports its own counts in a JSON file; a suite that wrote none failed to run. */
const suite = (name, command, file, read) => ({
  name,
  command,
  count: () => (existsSync(file) ? read(JSON.parse(readFileSync(file, 'utf8'))) : [0, 1]),
});

const vitest = (project) =>
  suite(
    project,
    `npx vitest run --project ${project} --reporter=default --reporter=json --outputFile.json=${RESULTS}/${project}.json`,
    `${RESULTS}/${project}.json`,
    // A file that fails to load fails no test, but fails its suite: count it.
    (report) => [
      report.numPassedTests,
      report.numFailedTests || (report.success ? 0 : Math.max(1, report.numFailedTestSuites)),
    ],
  );

/** Files of node:test, one at a time, counted by scripts/node-test-counts.mjs. */
const nodeTest = (name, files) =>
  suite(
    name,
    'node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout ' +
      `--test-reporter=./scripts/node-test-counts.mjs --test-reporter-destination=${RESULTS}/${name}.json ` +
      files.join(' '),
    `${RESULTS}/${name}.json`,
    (report) => [report.passed, report.failed],
  );

const steps = [
  check('lint', 'npx eslint .'),
  check('format', 'npx prettier --check .'),
  check('imports', 'node scripts/check-imports.mjs'),
  check(
    'typecheck',
    'npx tsc --noEmit -p . && npx tsc --noEmit -p test/browser && npx tsc --noEmit -p test/e2e',
  ),
  check('build', 'npm run --silent build'),
  check('size', 'node scripts/check-size.mjs'),
  // The packed tarball installed into a fresh folder: a consumer program type-checked and run in
  // Node, a page and a worker (test/package/).
  nodeTest('package', ['test/package/package.test.mjs']),
  // The real systems (test/kafka/): Apache Kafka and the HTTP produce API, the sink end to end in
  // tabs of the built script, and the reference Spark job; JVMs, so after the fast suites' build.
  nodeTest('kafka', ['test/kafka/harness.test.mjs', 'test/kafka/sink-e2e.test.mjs']),
  // Spark SQL's answers beside tabstream.sql's, query by query (test/sql/): one Spark session.
  nodeTest('sql', ['test/sql/compare.test.mjs', 'test/sql/conformance.test.mjs']),
  vitest('unit'),
  suite('browser', 'npx web-test-runner', `${RESULTS}/browser.json`, (report) => [
    report.passed,
    report.failed,
  ]),
  vitest('e2e'),
  // Every benchmark suite in short mode: one that no longer runs, or prints no figure, fails.
  suite(
    'bench',
    `npm run --silent bench -- --short --results ${RESULTS}/bench.json`,
    `${RESULTS}/bench.json`,
    (results) => [
      results.filter((result) => result.passed).length,
      results.filter((result) => !result.passed).length,
    ],
  ),
];
const only = process.env.TEST_STEPS?.split(',');
const unknown = only?.filter((name) => !steps.some((step) => step.name === name)) ?? [];
if (unknown.length) {
  console.error(`unknown step(s): ${unknown.join(', ')}; steps: ${steps.map((s) => s.name)}`);
  process.exit(2);
}

let passed = 0;
let failed = 0;
const lines = [];
for (const step of steps.filter((step) => !only || only.includes(step.name))) {
  console.log(`\n▶ ${step.name}: ${step.command}`);
  const ok = spawnSync(step.command, { shell: true, stdio: 'inherit' }).status === 0;
  let [p, f] = step.count(ok);
  if (!ok && f === 0) f = 1; // a suite whose command failed has failed, whatever it counted
  passed += p;
  failed += f;
  lines.push(`${step.name}: ${p} passed, ${f} failed`);
}
console.log(`\n${lines.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
