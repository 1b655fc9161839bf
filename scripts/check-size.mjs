// `npm test` step `size`: the part of tabstream a page loads at once (dist/tabstream.js, the
// tracker) must stay within its gzip budget; prints the gzipped size of each part of the build.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Bytes, gzipped at level 9, that dist/tabstream.js may take. 10,000 since issue 15: checking
 * everything the tracker is given at the door (Luhn card numbers in any digit script, bounded
 * reads of the DOM, unparsable URLs, prop names, a label's echo click) took +773 B, Trusted
 * Types (tabstream's policy for the core's URL) +420 B; #private members in the tracker's and
 * the tab's classes won back 354; scrubbing ids, classes and encoded URLs +110 (8,944 → 9,989 B).
 * 9,200 since issue 16 (9,141 B): the pipeline's start, its defaults, the elements and
 * `table()` moved into the core (-420 B); the tab, the tracker and its parts as closures over
 * their state instead of classes' members (-300 B); one table for the options (-40 B).
 * 8,600 since then (8,570 B): terser, on the whole IIFE with its top-level names, instead of
 * the default minifier (-230 B); the core, not the tag, reads the pipeline's attributes and
 * names the invalid ones (-150 B); terser shortens the members of the tracker's own objects
 * (-120 B); the tracker and the queue as objects of closures (-70 B). Where the bytes go: the
 * tracker alone (`Tracker`, its parts and the redaction, built on its own) is 6,200 B; the queue
 * that spills to localStorage before the core loads +500, the tag's attributes +440, Trusted
 * Types +400, `window.tabstream` and the loader of the core +1,300 (before the last two steps).
 * 8,950 since issue 20 (8,949 B): where in the clicked element a click falls (`ex`, `ey`, its
 * box read at the click) +140 B, and a scroll record per page view (topic `scrolls`: a passive
 * scroll listener, the record at a page view's end or a hide, its capture option) +210 B.
 * 9,000 (8,973 B): the box read in the slice after the click instead of its listener (+24 B),
 * where it laid out on every click a page its handlers had changed (click-cost-median 5.9 µs
 * against 2.2, click-cost-isolated 116 against 13, in two runs of the suite one after the other).
 */
export const BUDGET = 9000;

const gzipped = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
/** The ES module whole: its two entries and the chunks they share or load. */
const esModule = ['dist/tabstream.mjs', 'dist/elements.mjs']
  .concat(readdirSync('dist/chunks').map((chunk) => `dist/chunks/${chunk}`))
  .reduce((sum, file) => sum + gzipped(file), 0);
const parts = {
  'dist/tabstream.js (at once)': gzipped('dist/tabstream.js'),
  'dist/tabstream-core.js (idle time)': gzipped('dist/tabstream-core.js'),
  'dist/tabstream.mjs (ES module, with elements.mjs and its chunks)': esModule,
};
for (const [part, bytes] of Object.entries(parts)) console.log(`${part}: ${bytes} B gzipped`);
const atOnce = parts['dist/tabstream.js (at once)'];
if (atOnce > BUDGET) {
  console.error(`dist/tabstream.js is ${atOnce} B gzipped, over its budget of ${BUDGET} B.`);
  process.exit(1);
}
console.log(`within the budget of ${BUDGET} B (${BUDGET - atOnce} B to spare)`);
