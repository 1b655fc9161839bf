import { scriptURL } from '../shared';

/** Stops a ticker. */
export type StopTicker = () => void;

/**
 * Posts a message at every multiple of `e.data` ms since the epoch, each timer aimed afresh at
 * the next multiple (an interval timer would keep the worker's start-up delay, and drift); a
 * timer that fired a little early does not tick twice.
 */
const TICKER_SOURCE =
  'let t;onmessage=(e)=>{const i=e.data;clearTimeout(t);const n=()=>{let d=i-Date.now()%i;' +
  'if(d<i/4)d+=i;t=setTimeout(()=>{postMessage(0);n()},d)};n()}';

/**
 * Calls `tick` at every multiple of `intervalMs` since the epoch, also in a tab hidden for long.
 * Chrome throttles the chained timers of a page hidden for 5 minutes to one a minute, which
 * would leave a background leader tab running one batch a minute; a dedicated worker's timers
 * are not, and its messages wake the page. Where the worker cannot start (a CSP without
 * `blob:`), page timers are the fallback.
 */
export function startTicker(intervalMs: number, tick: () => void): StopTicker {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pageTimers = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick();
      pageTimers();
    }, untilNext(intervalMs));
  };
  const worker = tickerWorker();
  if (worker) {
    worker.onmessage = () => tick();
    worker.onerror = () => {
      worker.terminate();
      pageTimers();
    };
    worker.postMessage(intervalMs);
  } else {
    pageTimers();
  }
  return () => {
    stopped = true;
    worker?.terminate();
    clearTimeout(timer);
  };
}

function untilNext(intervalMs: number): number {
  return intervalMs - (Date.now() % intervalMs);
}

function tickerWorker(): Worker | null {
  try {
    const url = URL.createObjectURL(new Blob([TICKER_SOURCE], { type: 'text/javascript' }));
    const worker = new Worker(scriptURL(url), { name: 'tabstream-ticker' });
    URL.revokeObjectURL(url);
    return worker;
  } catch {
    return null; // no workers here (Node), or a CSP that forbids them or tabstream's policy
  }
}
