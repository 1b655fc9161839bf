/**
 * A function's params, as they cross to executors: plain cloneable values, except broadcast
 * variables and accumulators, which cross as references each executor resolves to its own copy.
 * References are found at the top of params, or one level down (`{ stop: broadcast }`).
 */
export type Reference = { readonly $broadcast: number } | { readonly $accumulator: number };

/** Something that crosses as a reference: a Broadcast or an Accumulator. */
interface Shared {
  toParam(): Reference;
}

const isShared = (value: unknown): value is Shared =>
  typeof (value as Partial<Shared> | null)?.toParam === 'function';

const isReference = (value: unknown): value is Reference =>
  typeof value === 'object' && value !== null && ('$broadcast' in value || '$accumulator' in value);

/** Params with their broadcasts and accumulators replaced by references. */
export function toParams(params: unknown): unknown {
  return mapParams(params, isShared, (shared) => shared.toParam());
}

/** Params with their references resolved, as the function that receives them sees them. */
export function resolveParams(
  params: unknown,
  resolve: (reference: Reference) => unknown,
): unknown {
  return mapParams(params, isReference, resolve);
}

function mapParams<T>(
  params: unknown,
  is: (value: unknown) => value is T,
  map: (value: T) => unknown,
) {
  if (is(params)) return map(params);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return params;
  const entries = Object.entries(params);
  if (!entries.some(([, value]) => is(value))) return params;
  return Object.fromEntries(entries.map(([name, value]) => [name, is(value) ? map(value) : value]));
}
