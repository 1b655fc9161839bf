/** Resolves after `ms` milliseconds (at once for a negative delay). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Resolves after the event loop has had a turn (input, rendering), without the clamping of
 * nested timers: `scheduler.yield()` where there is one, else a message to itself.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Resolves at the first call of the `wake` that `subscribe` is given, or after `ms`, whichever
 * comes first, and unsubscribes; `subscribe` returns its unsubscribe.
 */
export function sleepUntil(subscribe: (wake: () => void) => () => void, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(wake, Math.max(0, ms));
    const unsubscribe = subscribe(wake);
  });
}
