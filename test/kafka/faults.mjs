// The faults a test injects into the HTTP produce API: the next `times` produce requests fail
// in one way each, in the order injected. Preflights and the control endpoint never fail, so a
// browser sees the fault itself, not a CORS error.

/**
 * @typedef {(
 *   | { kind: 'status', status: number, times?: number, retryAfter?: number }
 *   | { kind: 'hang', times?: number }
 *   | { kind: 'drop', times?: number }
 *   | { kind: 'drop-after-produce', times?: number }
 * )} Fault
 * `status`: answer `status` (500, 503, 429…) with the proxy's error body, without producing.
 * `hang`: read the request and never answer (the client's timeout fires); nothing produced.
 * `drop`: read the request, then reset the connection; nothing produced.
 * `drop-after-produce`: produce the records, then reset the connection before answering: the
 * client cannot tell, retries, and the topic holds the records twice (equal `_id`s).
 */

const KINDS = new Set(['status', 'hang', 'drop', 'drop-after-produce']);

/** Must: validate what it is given (a typo must fail the test, not inject nothing). */
export function createFaults() {
  /** @type {Fault[]} one entry per request still to fail */
  const queue = [];
  return {
    /** @param {Fault} fault */
    inject(fault) {
      if (!KINDS.has(fault?.kind)) throw new Error(`unknown fault ${JSON.stringify(fault)}`);
      if (fault.kind === 'status' && !(fault.status >= 400 && fault.status <= 599)) {
        throw new Error(`a status fault needs a 4xx or 5xx status: ${JSON.stringify(fault)}`);
      }
      const times = fault.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new Error(`bad times: ${times}`);
      for (let i = 0; i < times; i += 1) queue.push(fault);
    },
    /** The fault of the next produce request, or undefined. */
    next: () => queue.shift(),
    clear() {
      queue.length = 0;
    },
    get pending() {
      return queue.length;
    },
  };
}
