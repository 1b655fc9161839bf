// In Node (with an IndexedDB, fake-indexeddb, given by the test): the main entry imports without
// loading Lit (no element class) and its log works; the elements' entry imports too (its server
// build, Lit's with its DOM shim), and what it defined is printed.
import { useLog } from './use-log.js';

// Lit's elements register their versions here when loaded.
const mainLoadedLit = 'litElementVersions' in globalThis;
const log = await useLog('consumer-node-log');
const { defineElements, TabstreamCounts, TabstreamMonitor } = await import('tabstream/elements');
defineElements(); // already defined by the import: must be harmless
const elements = {
  counts: typeof TabstreamCounts === 'function',
  defined: [
    customElements.get('tabstream-counts') === TabstreamCounts,
    customElements.get('tabstream-monitor') === TabstreamMonitor,
  ],
};
console.log(JSON.stringify({ mainLoadedLit, log, elements }));
