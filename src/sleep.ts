/** Resolves after `ms` milliseconds (at once for a negative delay). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
