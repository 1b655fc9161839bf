// Suite `sql`'s `parse-plan`: what a question costs before it runs, past the public `sql()`
// (which also reads the catalog from IndexedDB and runs the jobs): parse, analyze, plan onto
// datasets, as `explain` does.
import type { EngineContext } from '../src/engine';
import { Analyzer } from '../src/sql/analyzer';
import { loadTables } from '../src/sql/catalog';
import { parseStatement } from '../src/sql/parser';
import { Planner } from '../src/sql/planner';
import { median } from './suites/figure';

const CATALOG_LOADS = 20;

/**
 * The median µs, over `runs`, to parse `text`, analyze it against the log's tables and plan it;
 * and apart, the median ms to read those tables from the log, which `sql()` does per statement.
 */
export async function parsePlanMicros(
  context: EngineContext,
  text: string,
  runs: number,
): Promise<{ micros: number; catalogMs: number }> {
  const loads: number[] = [];
  for (let i = 0; i < CATALOG_LOADS; i++) {
    const start = performance.now();
    await loadTables(context);
    loads.push(performance.now() - start);
  }
  const tables = await loadTables(context);
  const micros: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const statement = parseStatement(text);
    if (statement.kind !== 'query') throw new Error(`parse-plan: not a query: ${text}`);
    const { plan } = new Analyzer(text, tables, undefined, Date.now()).analyze(statement);
    new Planner(context).dataset(plan.kind === 'sort' ? plan.input : plan);
    micros.push((performance.now() - start) * 1000);
  }
  return { micros: median(micros), catalogMs: median(loads) };
}
