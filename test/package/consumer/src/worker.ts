// A module worker: imports the package's main entry (no DOM here) and uses the log on the
// worker's real IndexedDB, then the elements' entry (its classes; no registry here), and posts what
// each did, or the failure, to the page. (Typed with the DOM's lib, as the page: the package's
// declarations name DOM types, Element and Storage.)
import { useLog } from './use-log.js';

async function main(): Promise<unknown> {
  const log = await useLog('consumer-worker-log');
  const { TabstreamCounts } = await import('tabstream/elements');
  const elements = {
    counts: typeof TabstreamCounts === 'function',
    registry: typeof customElements,
  };
  return { log, elements };
}

main().then(
  (result) => postMessage({ result }),
  (error: unknown) => postMessage({ error: String(error) }),
);
