// A module worker: imports the package's main entry (no DOM here) and uses the log on the
// worker's real IndexedDB, then the elements' entry (its classes; no registry here), and posts what
// each did, or the failure, to the page. Typed as a worker is, with WebWorker's lib and no DOM
// (tsconfig.worker.json): the main entry's declarations must need none.
import { useLog } from './use-log.js';

async function main(): Promise<unknown> {
  const log = await useLog('consumer-worker-log');
  // Untyped (`as string` keeps TypeScript from resolving it; the bundler still does): the
  // elements' declarations are Lit's elements, which name DOM types, as the elements need a DOM.
  const { TabstreamCounts } = await import('tabstream/elements' as string);
  const elements = {
    counts: typeof TabstreamCounts === 'function',
    registry: typeof (globalThis as { customElements?: unknown }).customElements,
  };
  return { log, elements };
}

main().then(
  (result) => postMessage({ result }),
  (error: unknown) => postMessage({ error: String(error) }),
);
