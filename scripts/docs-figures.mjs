// `npm run docs:figures`: writes the measured figures into README.md and docs/*.md, so that no
// figure is typed by hand: each sits between markers, `<!-- figure:NAME -->…<!-- /figure -->`,
// and this script fills them from what it measures or reads:
// - `version`: package.json's version;
// - `tracker-gzip`, `core-gzip`, `esm-gzip`, `tracker-budget`: the sizes of dist/ gzipped, as
//   `npm test`'s size step (scripts/check-size.mjs) measures them (run `npm run build` first);
// - `bench:<suite>`: the table of a benchmark suite's last full run, from docs/figures/bench.json.
// `--check` writes nothing and fails naming each stale marker (test/e2e/docs.spec.ts does the
// same). `--bench results.json` (from `npm run bench -- --results results.json`; repeat the flag
// for each invocation) first puts the suites of those full runs into docs/figures/bench.json.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BENCH_FILE = join(root, 'docs/figures/bench.json');
const MARKER = /<!-- figure:([\w:-]+) -->([\s\S]*?)<!-- \/figure -->/g;

/** README.md and every page of docs/: the files whose markers this script fills. */
export function documentationFiles() {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name));
  return [join(root, 'README.md'), ...docs.sort()];
}

const grouped = (n) => n.toLocaleString('en-US');

/**
 * The gzipped sizes of dist/ as `node scripts/check-size.mjs` prints them (the one measure of
 * them), and its budget. It exits 1 when over budget, having printed them all the same.
 */
function sizes() {
  let output;
  try {
    output = execFileSync(process.execPath, ['scripts/check-size.mjs'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    output = `${error.stdout}${error.stderr}`;
  }
  const bytes = (pattern) => {
    const found = pattern.exec(output);
    if (!found) throw new Error(`scripts/check-size.mjs printed no ${pattern}:\n${output}`);
    return `${grouped(Number(found[1]))} B`;
  };
  return {
    'tracker-gzip': bytes(/^dist\/tabstream\.js \(at once\): (\d+) B gzipped$/m),
    'core-gzip': bytes(/^dist\/tabstream-core\.js \(idle time\): (\d+) B gzipped$/m),
    'esm-gzip': bytes(/^dist\/tabstream\.mjs \(ES module[^)]*\): (\d+) B gzipped$/m),
    'tracker-budget': bytes(/budget of (\d+) B/),
  };
}

/** `n` to 3 significant digits, without trailing zeros (20.2, 926, 1.46, 29). */
const significant = (n) => String(Number(n.toPrecision(3)));

/** How each unit prints: a number's scale ("M"), the unit's text, and its digits. */
const UNITS = {
  'events/s': (largest) => ({
    ...(largest >= 1e6
      ? { divide: 1e6, scale: 'M' }
      : largest >= 1e3
        ? { divide: 1e3, scale: 'k' }
        : { divide: 1, scale: '' }),
    unit: ' events/s',
    digits: significant,
  }),
  us: () => ({ divide: 1, scale: '', unit: ' µs', digits: String }),
  ms: () => ({ divide: 1, scale: '', unit: ' ms', digits: String }),
  B: () => ({ divide: 1, scale: '', unit: ' B', digits: grouped }),
  bytes: () => ({ divide: 1, scale: '', unit: ' B', digits: grouped }),
  'B/click': () => ({ divide: 1, scale: '', unit: ' B/click', digits: String }),
  records: () => ({ divide: 1, scale: '', unit: ' records', digits: String }),
  count: () => ({ divide: 1, scale: '', unit: '', digits: grouped }),
  x: () => ({ divide: 1, scale: '', unit: '×', digits: String }),
};

/** `value` and its range in `unit`, "20.2M events/s (16.9–22.9M)"; without a value, the range. */
export function quantity(value, range, unit) {
  const style = UNITS[unit];
  if (!style) throw new Error(`docs/figures/bench.json: unknown unit ${unit}`);
  const { divide, scale, unit: text, digits } = style(Math.max(value ?? 0, ...(range ?? [])));
  const number = (n) => digits(n / divide);
  const span = range && `${number(range[0])}–${number(range[1])}${scale}`;
  if (value === undefined) return span ? `${span}${text}` : '';
  return `${number(value)}${scale}${text}${span ? ` (${span})` : ''}`;
}

function ratioText(ratio, range) {
  const span = range && `${range[0]}–${range[1]}`;
  if (ratio === undefined) return span ?? '';
  return span ? `${ratio} (${span})` : String(ratio);
}

/** The markdown of one suite's last full run: a line saying what it is, and its figures. */
export function suiteTable(suite, run) {
  if (!run) throw new Error(`docs/figures/bench.json has no suite ${suite}`);
  const compared = run.figures.some((figure) => figure.baseline !== undefined);
  const rows = run.figures.map((figure) => {
    const value = quantity(figure.value, figure.range, figure.unit);
    const cells = [`\`${figure.name}\``, figure.note ? `${value} ${figure.note}` : value];
    if (compared) {
      const baseline =
        figure.baseline === undefined
          ? ''
          : figure.baseline_value === undefined
            ? `\`${figure.baseline}\``
            : `\`${figure.baseline}\`: ${quantity(figure.baseline_value, figure.baseline_range, figure.unit)}`;
      cells.push(baseline, ratioText(figure.ratio, figure.ratio_range));
    }
    return `| ${cells.join(' | ')} |`;
  });
  const head = compared
    ? ['| figure | value | baseline (same page run) | ratio |', '| --- | --- | --- | --- |']
    : ['| figure | value |', '| --- | --- |'];
  const about =
    `${run.invocations} ${run.invocations === 1 ? 'invocation' : 'invocations'}` +
    `${run.invocations > 1 ? ' (medians, with their ranges)' : ''}` +
    `${run.measured ? `, measured ${run.measured}` : ''}.`;
  return `\n\n_${about}_\n\n${[...head, ...rows].join('\n')}\n\n`;
}

/** Every figure a marker may name, as the text it must hold. */
export function figures(bench = JSON.parse(readFileSync(BENCH_FILE, 'utf8'))) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const values = { version, ...sizes() };
  for (const suite of Object.keys(bench.suites))
    values[`bench:${suite}`] = suiteTable(suite, bench.suites[suite]);
  return values;
}

/** `text` (markdown) with every marker holding its figure; throws on a marker of no figure. */
export async function filled(text, values, file) {
  const replaced = text.replace(MARKER, (_, name) => {
    if (!(name in values)) throw new Error(`${file}: no figure is named ${name}`);
    return `<!-- figure:${name} -->${values[name]}<!-- /figure -->`;
  });
  return format(replaced, { ...(await resolveConfig(file)), filepath: file });
}

/** The markers of the documentation whose text is not their figure's: `file: name`. */
export async function staleMarkers(values = figures()) {
  const stale = [];
  for (const file of documentationFiles()) {
    const text = readFileSync(file, 'utf8');
    const want = await filled(text, values, file);
    const found = new Map([...text.matchAll(MARKER)].map(([, name, held]) => [name, held]));
    for (const [, name, held] of want.matchAll(MARKER))
      if (found.get(name)?.trim() !== held.trim()) stale.push(`${relative(root, file)}: ${name}`);
    if (want !== text && stale.length === 0) stale.push(`${relative(root, file)}: formatting`);
  }
  return stale;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value, like) => (Number.isInteger(like) ? Math.round(value) : +value.toFixed(2));

/** `key` of one figure over several invocations: its median, and its range if they differ. */
function folded(figures, key) {
  const values = figures.map((figure) => figure[key]).filter((value) => value !== undefined);
  if (values.length === 0) return {};
  const range = [Math.min(...values), Math.max(...values)].map((end) => round(end, values[0]));
  return {
    [key]: round(median(values), values[0]),
    ...(values.length > 1 && range[0] !== range[1] && { [RANGE[key]]: range }),
  };
}
const RANGE = { value: 'range', baseline_value: 'baseline_range', ratio: 'ratio_range' };

/**
 * Puts the suites of full runs (`npm run bench -- --results`), one file per invocation, into
 * docs/figures/bench.json: each figure's median over the invocations, with its range.
 */
async function recordRuns(resultsFiles) {
  const bench = JSON.parse(readFileSync(BENCH_FILE, 'utf8'));
  const measured = new Date().toISOString().slice(0, 10);
  const runs = new Map();
  for (const file of resultsFiles)
    for (const result of JSON.parse(readFileSync(file, 'utf8'))) {
      if (result.short || !result.passed) {
        console.log(`${file}: ${result.suite} is not a passed full run, left out`);
        continue;
      }
      runs.set(result.suite, [...(runs.get(result.suite) ?? []), result.measured]);
    }
  for (const [suite, invocations] of runs) {
    const figures = invocations[0].map(
      ({ suite: _s, value: _v, baseline_value: _b, ratio: _r, ...figure }) => {
        const all = invocations.map((measured) => measured.find((f) => f.name === figure.name));
        const present = all.filter(Boolean);
        return {
          ...figure,
          ...folded(present, 'value'),
          ...folded(present, 'baseline_value'),
          ...folded(present, 'ratio'),
        };
      },
    );
    bench.suites[suite] = { measured, invocations: invocations.length, figures };
  }
  const text = JSON.stringify(bench, null, 2);
  const options = { ...(await resolveConfig(BENCH_FILE)), filepath: BENCH_FILE };
  writeFileSync(BENCH_FILE, await format(text, options));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values: flags } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      bench: { type: 'string', multiple: true },
    },
  });
  if (flags.bench) await recordRuns(flags.bench);
  if (flags.check) {
    const stale = await staleMarkers();
    for (const marker of stale) console.error(`stale: ${marker}`);
    process.exit(stale.length ? 1 : 0);
  }
  const values = figures();
  for (const file of documentationFiles()) {
    const text = readFileSync(file, 'utf8');
    const want = await filled(text, values, file);
    if (want !== text) {
      writeFileSync(file, want);
      console.log(`wrote ${relative(root, file)}`);
    }
  }
}
