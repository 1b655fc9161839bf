/** Gives up a held lock. */
export type Release = () => void;

/**
 * Takes the Web Lock `name` and holds it until released (or the tab or worker dies), waiting at
 * most `timeoutMs` for it; resolves with the release, or null if the wait timed out or there
 * are no Web Locks. For hand-offs that must wait for the last holder, but not forever.
 */
export function holdLock(name: string, timeoutMs: number): Promise<Release | null> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return Promise.resolve(null);
  return new Promise((resolve) => {
    const signal = AbortSignal.timeout(timeoutMs);
    locks
      .request(name, { signal }, () => new Promise<void>((release) => resolve(release)))
      .catch(() => resolve(null)); // timed out (AbortError), or the lock could not be had
  });
}
