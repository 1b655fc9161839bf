/**
 * `window.tabstream` if it is there and `looksLike` what the element needs; undefined if not
 * (yet), or if what stands there is a cross-origin frame named "tabstream", which throws.
 */
export function pageTabstream<T>(looksLike: (candidate: Partial<T>) => boolean): T | undefined {
  try {
    const candidate = (globalThis as { tabstream?: Partial<T> }).tabstream;
    return candidate !== undefined && looksLike(candidate) ? (candidate as T) : undefined;
  } catch {
    return undefined;
  }
}
