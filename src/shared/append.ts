/**
 * Appends `items` to `target` in place, and returns `target`.
 * - must take any number of items: `push(...items)` passes them as arguments, and overflows
 *   the stack past about 100,000 (a partition's records are one chunk).
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
