// Spark SQL's answers to the suite's queries: spark_runner.py with the pyspark that
// test/kafka/install.sh puts in its cache (one Spark session, local[1], for every query).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cacheDir } from '../kafka/paths.mjs';

const RUNNER = fileURLToPath(new URL('spark_runner.py', import.meta.url));

/**
 * Runs `queries` over `tables` ({ name: { schema, rows } }) in Spark; resolves with each query's
 * answer by name: `{ columns, rows }` or `{ error, condition }`.
 */
export async function sparkAnswers(tables, queries) {
  const folder = await mkdtemp(join(tmpdir(), 'tabstream-sql-'));
  try {
    const input = join(folder, 'input.json');
    const output = join(folder, 'answers.json');
    await writeFile(input, JSON.stringify({ tables, queries }));
    const bin = join(cacheDir, 'venv/bin');
    await promisify(execFile)(join(bin, 'python'), [RUNNER, input, output], {
      // pyspark finds its SPARK_HOME through the python on the PATH: the venv's. Python's own
      // clock reads timestamps back in TZ, which must be the session's.
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        TZ: 'UTC',
        SPARK_LOCAL_IP: '127.0.0.1',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(await readFile(output, 'utf8'));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
