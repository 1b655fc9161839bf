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
