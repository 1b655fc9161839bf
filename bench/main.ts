// Runs the suite named by ?suite= and reports each figure to the console, where bench/run.mjs
// reads it: `BENCH {json}` per figure, then `BENCH-DONE` (or `BENCH-ERROR message`).
// `&short=1` (`npm run bench -- --short`) runs it in short mode: small sizes, one round.
import type { Figure, SuiteOptions } from './suites/figure';

type Suite = { run(emit: (figure: Figure) => void, options: SuiteOptions): Promise<void> };
const suites = import.meta.glob<Suite>('./suites/*.ts');

async function main(): Promise<void> {
  const params = new URL(location.href).searchParams;
  const name = params.get('suite') ?? '';
  const load = suites[`./suites/${name}.ts`];
  if (!load) throw new Error(`no benchmark suite "${name}"`);
  const suite = await load();
  await suite.run((figure) => console.log(`BENCH ${JSON.stringify(figure)}`), {
    short: params.get('short') === '1',
  });
}

main().then(
  () => console.log('BENCH-DONE'),
  (error: unknown) =>
    console.log(`BENCH-ERROR ${error instanceof Error ? error.stack : String(error)}`),
);
