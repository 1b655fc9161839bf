// Where test/kafka/install.sh puts the real systems, and running it (idempotent, fast when they
// are there already).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The cache install.sh fills: kept between runs on a machine, outside the clone. */
export const cacheDir =
  process.env.TABSTREAM_KAFKA_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tabstream-kafka');

/** Runs install.sh; its output goes to this process's stderr, so a slow first run shows why. */
export function install() {
  execFileSync(join(here, 'install.sh'), { stdio: ['ignore', process.stderr, 'inherit'] });
}

/** The jars of `name` (`kafka-libs`, `spark-libs`), absolute paths. */
export function jars(name) {
  const dir = join(cacheDir, name);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.jar'))
    .map((file) => join(dir, file));
}
