// Runs examples/spark/page_counts.py with the pyspark of install.sh (Spark in local mode, the
// Kafka source's jars from Maven Central), as `spark-submit` does on a cluster.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cacheDir, jars } from './paths.mjs';

const JOB = fileURLToPath(new URL('../../examples/spark/page_counts.py', import.meta.url));

/**
 * `page_counts.py --once` over `topics`: resolves with what it prints, {pages: {page: count},
 * windows: [{start, page, count}]}. Two cores and a small driver: one Spark run per test run.
 */
export async function runPageCounts({ bootstrap, topics }) {
  const args = [
    '--master',
    'local[2]',
    '--driver-memory',
    '512m',
    // The client compiler only: a run of seconds is over before C2 would pay off (27 s, was 38 s).
    '--driver-java-options',
    '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
    '--jars',
    jars('spark-libs').join(','),
    // The default 200 shuffle partitions are 200 state stores per stateful step: for a
    // handful of records on two cores, two are plenty.
    '--conf',
    'spark.sql.shuffle.partitions=2',
    '--conf',
    'spark.ui.enabled=false',
    JOB,
    '--bootstrap-servers',
    bootstrap,
    '--topics',
    topics.join(','),
    '--once',
  ];
  const { stdout } = await promisify(execFile)(join(cacheDir, 'venv/bin/spark-submit'), args, {
    // pyspark finds its SPARK_HOME through the python on the PATH: the venv's.
    env: {
      ...process.env,
      PATH: `${join(cacheDir, 'venv/bin')}:${process.env.PATH}`,
      PYSPARK_PYTHON: join(cacheDir, 'venv/bin/python'),
      SPARK_LOCAL_IP: '127.0.0.1',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = stdout.trim().split('\n').at(-1);
  return JSON.parse(line);
}
