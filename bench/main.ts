// Runs the suite named by ?suite= and reports each figure to the console, where bench/run.mjs
// reads it: `BENCH {json}` per figure, then `BENCH-DONE` (or `BENCH-ERROR message`).
import type { Figure } from './suites/figure';

type Suite = { run(emit: (figure: Figure) => void): Promise<void> };
const suites = import.meta.glob<Suite>('./suites/*.ts');

async function main(): Promise<void> {
  const name = new URL(location.href).searchParams.get('suite') ?? '';
  const load = suites[`./suites/${name}.ts`];
  if (!load) throw new Error(`no benchmark suite "${name}"`);
  const suite = await load();
  await suite.run((figure) => console.log(`BENCH ${JSON.stringify(figure)}`));
}

main().then(
  () => console.log('BENCH-DONE'),
  (error: unknown) =>
    console.log(`BENCH-ERROR ${error instanceof Error ? error.stack : String(error)}`),
);
