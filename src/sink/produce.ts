import type { ProduceRequest } from './requests';
import { rejected, type Outcome, type Wire } from './wire';

/** POSTs a produce request's body, with no cookies. */
export function post(wire: Wire, request: ProduceRequest, init: RequestInit): Promise<Response> {
  return fetch(wire.url(request.topic), {
    method: 'POST',
    headers: { 'Content-Type': wire.contentType, Accept: wire.accept },
    body: request.body,
    credentials: 'omit',
    ...init,
  });
}

/**
 * Sends a produce request and reads its answer within `timeoutMs` (or until `stop` aborts it).
 * - must resolve with a retriable failure for a network error, a connection dropped before the
 *   whole answer, or no answer in time; with what the status and body say otherwise.
 */
export async function produce(
  wire: Wire,
  request: ProduceRequest,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<Outcome> {
  const signal = AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]);
  try {
    const response = await post(wire, request, { signal });
    // An answer that is not JSON says so (SyntaxError); one cut short is retried (TypeError).
    const body: unknown = await response.json().catch((error: unknown) => {
      if (error instanceof SyntaxError) return null;
      throw error;
    });
    if (!response.ok) return rejected(response.status, body);
    return wire.acknowledged(body, request.records.length);
  } catch (error) {
    const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : String(error);
    return { ok: false, fatal: false, error: reason };
  }
}
