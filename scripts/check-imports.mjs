// Checks the source tree's imports, as DESIGN.md draws them:
// - a module imports another folder's modules through that folder's index.ts;
// - no import circle between folders, nor between modules but in the folders named below (type
//   imports count: they are dependencies a reader follows too).
// Prints each breach and exits 1 if there is any.
import fs from 'node:fs';
import path from 'node:path';

const ROOTS = ['src', 'workers'];
/** Imports allowed past a folder's index, each with its reason. */
const PAST_INDEX = new Map([
  [
    'src/api/event-queue.ts -> src/log/spill-format.ts',
    "the script tag's part carries the spill format alone, not the log",
  ],
  [
    'src/status/engine-status.ts -> src/engine/job-status.ts',
    "the DevTools panel takes the status's summaries, not the engine",
  ],
]);

const files = ROOTS.flatMap(function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return walk(file);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
});

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"?]*)|import\(\s*['"](\.{1,2}\/[^'"?]*)/g;

/** The module `specifier` names from `file`, as a path from the project's root. */
function resolve(file, specifier) {
  const base = path.posix.join(path.posix.dirname(file), specifier);
  const found = [`${base}.ts`, `${base}/index.ts`, base].find(
    (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
  );
  return found ?? null;
}

const graph = new Map(
  files.map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const targets = [...text.matchAll(SPECIFIER)]
      .map((match) => resolve(file, match[1] ?? match[2]))
      .filter((target) => target !== null && /\.ts$/.test(target));
    return [file, [...new Set(targets)]];
  }),
);

const breaches = [];
for (const [file, targets] of graph) {
  for (const target of targets) {
    const sameFolder = path.posix.dirname(file) === path.posix.dirname(target);
    const edge = `${file} -> ${target}`;
    if (!sameFolder && path.posix.basename(target) !== 'index.ts' && !PAST_INDEX.has(edge))
      breaches.push(`past the folder's index.ts: ${edge}`);
  }
}

/**
 * Folders whose modules may import each other in a circle, each with its reason: a class and
 * the subclasses its methods return, as in Spark's RDD.scala and DStream.scala.
 */
const CIRCLES_WITHIN = new Map([
  ['src/engine', 'a Dataset and the lineage (its dependencies) that names it'],
  ['src/streaming', 'DStream and the DStreams its transformations return'],
]);

/** The strongly connected parts of `edges` (a map from node to nodes) with more than one node. */
function circlesIn(edges) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const circles = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (stack.includes(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) !== index.get(node)) return;
    const part = stack.splice(stack.indexOf(node));
    if (part.length > 1) circles.push(part);
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return circles;
}

for (const circle of circlesIn(graph)) {
  const folder = path.posix.dirname(circle[0]);
  const within = circle.every((file) => path.posix.dirname(file) === folder);
  if (!within || !CIRCLES_WITHIN.has(folder))
    breaches.push(`an import circle: ${circle.join(', ')}`);
}

const folders = new Map();
for (const [file, targets] of graph) {
  const from = path.posix.dirname(file);
  const set = folders.get(from) ?? new Set();
  for (const target of targets)
    if (path.posix.dirname(target) !== from) set.add(path.posix.dirname(target));
  folders.set(from, set);
}
for (const circle of circlesIn(folders))
  breaches.push(`a circle between folders: ${circle.join(', ')}`);

for (const breach of breaches) console.error(`check-imports: ${breach}`);
if (breaches.length > 0) process.exit(1);
console.log(
  `check-imports: ${graph.size} modules in ${folders.size} folders, no circle between folders, every folder entered by its index.ts`,
);
