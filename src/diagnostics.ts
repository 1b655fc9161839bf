const reported = new Set<string>();

/**
 * Logs an error to the console once per distinct message, so a fault that repeats every batch
 * or every click tells the developer once instead of flooding the host page's console.
 */
export function reportOnce(context: string, error: unknown): void {
  const message = `tabstream: ${context}: ${error instanceof Error ? error.message : String(error)}`;
  if (reported.has(message)) return;
  reported.add(message);
  console.error(message, error);
}

/** Logs a warning once per distinct message. */
export function warnOnce(message: string): void {
  if (reported.has(message)) return;
  reported.add(message);
  console.warn(message);
}

/**
 * Calls `call(listener)` for each of `listeners` (as they are now); one that throws is
 * reported once as `what`, and the others are still called.
 */
export function notifyAll<L>(
  listeners: Iterable<L>,
  call: (listener: L) => void,
  what: string,
): void {
  for (const listener of [...listeners]) {
    try {
      call(listener);
    } catch (error) {
      reportOnce(what, error);
    }
  }
}
