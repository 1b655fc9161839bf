// Packs the project as `npm publish` would, and installs the tarball into a fresh folder, as a
// user does, without the network.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs `command` in `cwd`; throws with its output if it fails. */
export function run(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`, {
      cause: error,
    });
  }
}

/** `npm pack` into `dir`: the tarball's path, size and file list. */
export function pack(dir) {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], ROOT));
  return {
    tarball: join(dir, packed.filename),
    size: packed.size,
    files: packed.files.map((file) => file.path),
  };
}

/**
 * The lockfile entries of `names` and of all they depend on, from this project's lockfile: what
 * `npm ci` installed here, so that its tarballs are in npm's cache.
 */
function lockedTree(names) {
  const { packages } = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const tree = {};
  const visit = (name) => {
    const key = `node_modules/${name}`;
    if (tree[key]) return;
    const entry = packages[key];
    if (!entry) throw new Error(`${name} is not in package-lock.json`);
    tree[key] = entry;
    for (const dependency of Object.keys(entry.dependencies ?? {})) visit(dependency);
  };
  names.forEach(visit);
  return tree;
}

/**
 * Copies the consumer program (./consumer) into `dir` and installs `tarball` there with
 * `npm ci --offline`. Its dependencies come from npm's cache, which this project's `npm ci`
 * filled: npm's cache holds their tarballs but not the registry's metadata, which a plain
 * `npm install --offline` needs to resolve versions, so the consumer gets a lockfile that pins
 * them to the versions (and integrity) of this project's own lockfile.
 */
export function install(tarball, dir) {
  cpSync(new URL('consumer/', import.meta.url), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const dependencies = { tabstream: `file:${tarball}` };
  const packaged = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = {
    name: manifest.name,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, dependencies },
      'node_modules/tabstream': {
        version: packaged.version,
        resolved: `file:${tarball}`,
        dependencies: packaged.dependencies,
      },
      ...lockedTree(Object.keys(packaged.dependencies)),
    },
  };
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(join(dir, 'package.json'), json({ ...manifest, dependencies }));
  writeFileSync(join(dir, 'package-lock.json'), json(lock));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
}
