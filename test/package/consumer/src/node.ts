// In Node (with an IndexedDB, fake-indexeddb, given by the test): the main entry imports without
// loading Lit (no element class) and its log works; the elements' entry is imported too, and
// what it does is printed: it needs a DOM.
import { useLog } from './use-log.js';

// Lit's elements register their versions here when loaded.
const mainLoadedLit = 'litElementVersions' in globalThis;
const log = await useLog('consumer-node-log');
let elements: string;
try {
  const { TabstreamCounts } = await import('tabstream/elements');
  elements = `imported: ${TabstreamCounts.name}`;
} catch (error) {
  elements = `throws: ${String(error)}`;
}
console.log(JSON.stringify({ mainLoadedLit, log, elements }));
