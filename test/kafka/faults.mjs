// The faults a test injects into the HTTP produce API (produce-api.mjs, in front of the real
// Kafka or of the browser tests' in-memory store): the next produce requests fail in one way
// each, in the order injected. Preflights and the control endpoint never fail, so a browser sees
// the fault itself, not a CORS error.

/**
 * @typedef {(
 *   | { kind: 'ok', times?: number }
 *   | { kind: 'status', status: number, errorCode?: number, retryAfter?: number, times?: number }
 *   | { kind: 'hang', times?: number }
 *   | { kind: 'drop', times?: number }
 *   | { kind: 'drop-after-produce', times?: number }
 *   | { kind: 'partial', times?: number }
 * )} Fault
 * `ok`: answered as usual (a fault that lets a request through, to place the next ones).
 * `status`: answer `status` (500, 503, 429…) with the proxy's error body, without producing;
 * its `error_code` is `errorCode`, else v2's `<status>01` and v3's status.
 * `hang`: read the request and never answer (the client's timeout fires); nothing produced.
 * `drop`: read the request, then reset the connection; nothing produced.
 * `drop-after-produce`: produce the records, then reset the connection before answering: the
 * client cannot tell, retries, and the topic holds the records twice (equal `_id`s).
 * `partial`: produce the first half of the records; the others are answered with a retriable
 * error (v2's record `error_code` 2, a v3 failure 503).
 */

const KINDS = new Set(['ok', 'status', 'hang', 'drop', 'drop-after-produce', 'partial']);

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
