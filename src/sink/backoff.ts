/**
 * PostHog's retry delay: `baseMs·2ⁿ` for the n-th retry (from 0), capped at `maxMs`, with ±25 %
 * of jitter so that the browsers a proxy outage hit do not all come back at once.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number): number {
  const capped = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(Math.min(maxMs, capped * (0.75 + Math.random() * 0.5)));
}
