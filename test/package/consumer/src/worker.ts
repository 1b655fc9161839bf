// A module worker: imports the package's main entry (no DOM here) and uses the log on the
// worker's real IndexedDB, then imports the elements' entry, which needs a DOM, and posts what
// each did, or the failure, to the page. (Typed with the DOM's lib, as the page: the package's
// declarations name DOM types, Element and Storage.)
import { useLog } from './use-log.js';

async function main(): Promise<unknown> {
  const log = await useLog('consumer-worker-log');
  const elements = await import('tabstream/elements').then(
    ({ TabstreamCounts }) => `imported: ${TabstreamCounts.name}`,
    (error: unknown) => `throws: ${String(error)}`,
  );
  return { log, elements };
}

main().then(
  (result) => postMessage({ result }),
  (error: unknown) => postMessage({ error: String(error) }),
);
