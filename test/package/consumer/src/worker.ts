// A module worker: imports the package's main entry (no DOM here) and uses the log on the
// worker's real IndexedDB, then posts the result, or the failure, to the page. (Typed with the
// DOM's lib, as the page: the package's declarations name DOM types, Element and Storage.)
import { useLog } from './use-log.js';

useLog('consumer-worker-log').then(
  (result) => postMessage({ result }),
  (error: unknown) => postMessage({ error: String(error) }),
);
