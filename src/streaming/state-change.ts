import { keyId } from '../engine';

/**
 * What one batch changed of a stateful operator's checkpointed state (Kafka Streams'
 * changelog record, Flink's incremental checkpoint): data alone, so that any reader applies
 * it to the state as last snapshotted without the operator's code.
 */
export type StateChange =
  /** The whole state, replaced (undefined: no state). */
  | { readonly value?: unknown }
  /** Entries of a state kept as a list of keyed entries: those added, changed or removed. */
  | { readonly entries: EntriesChange };

export interface EntriesChange {
  /** Where an entry holds its key: 0 for `[key, value]` pairs, 'key' for an object's field. */
  readonly key: 0 | 'key';
  /** The field of the state that holds the list ('pairs'); none if the state is the list. */
  readonly list?: 'pairs';
  /** The entries added or changed, as the state keeps them. */
  readonly put: readonly unknown[];
  /** The keys removed, as `keyId` makes them. */
  readonly remove: readonly unknown[];
  /** The state's other fields, as they now are (a window's time). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The key of `entry` (read from storage: anything) at `key`; throws if it has none. */
function keyAt(entry: unknown, key: 0 | 'key'): unknown {
  if (key === 0 ? Array.isArray(entry) : typeof entry === 'object' && entry !== null)
    return keyId((entry as Record<string | number, unknown>)[key]);
  throw new TypeError(`an entry is ${JSON.stringify(entry)?.slice(0, 80)}, not a keyed entry`);
}

/**
 * The entries of `after` that are not in `before` or differ (`same` tells), and the keys of
 * those gone: maps by `keyId`, as keyed states keep them.
 */
export function entriesChange<E>(
  before: ReadonlyMap<unknown, E>,
  after: ReadonlyMap<unknown, E>,
): { put: E[]; remove: unknown[] } {
  const put: E[] = [];
  for (const [id, entry] of after) {
    const was = before.get(id);
    if (was === undefined || !sameValue(was, entry)) put.push(entry);
  }
  const remove = [...before.keys()].filter((id) => !after.has(id));
  return { put, remove };
}

/** Whether two stored values are the same (the same object, or the same JSON text). */
export function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A state as last snapshotted, changed by each batch's `StateChange` in order: entries are
 * kept by key between changes, so n changes of a state of k keys cost k + their size.
 */
export class ChangedState {
  private entries: Map<unknown, unknown> | null = null;
  private spec: EntriesChange | null = null;
  private fields: Record<string, unknown> = {};

  constructor(private value: unknown) {}

  /** Applies `change` (read from storage: anything); throws TypeError if it is not a change. */
  apply(change: unknown): void {
    if (typeof change !== 'object' || change === null)
      throw new TypeError(`a change is ${String(change)}, not a record`);
    if (!('entries' in change)) {
      this.entries = null;
      this.value = (change as { value?: unknown }).value;
      return;
    }
    const spec = change.entries as EntriesChange;
    if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.put))
      throw new TypeError('a change of entries has no entries put');
    if (!Array.isArray(spec.remove)) throw new TypeError('a change of entries has no keys removed');
    if (spec.key !== 0 && spec.key !== 'key') throw new TypeError('a change names no key');
    if (spec.list !== undefined && spec.list !== 'pairs')
      throw new TypeError('a change names no list');
    const entries = this.entriesLike(spec);
    for (const id of spec.remove) entries.delete(id);
    for (const entry of spec.put) entries.set(keyAt(entry, spec.key), entry);
    if (spec.fields !== undefined) {
      if (typeof spec.fields !== 'object' || spec.fields === null)
        throw new TypeError('a change has fields that are not a record');
      Object.assign(this.fields, spec.fields);
    }
  }

  /** The state after every change. */
  result(): unknown {
    if (!this.entries) return this.value;
    const list = [...this.entries.values()];
    if (this.spec!.list === undefined) return list;
    return { ...(this.value as object), ...this.fields, [this.spec!.list]: list };
  }

  /** The entries by key, built from the value when a change of entries first comes. */
  private entriesLike(spec: EntriesChange): Map<unknown, unknown> {
    if (this.entries && this.spec?.key === spec.key && this.spec.list === spec.list)
      return this.entries;
    this.value = this.result();
    this.fields = {};
    this.spec = spec;
    const list =
      spec.list === undefined
        ? this.value
        : (this.value as Record<string, unknown> | null)?.[spec.list];
    if (!Array.isArray(list))
      throw new TypeError('a change of entries meets a state with no list of them');
    this.entries = new Map(list.map((entry) => [keyAt(entry, spec.key), entry]));
    return this.entries;
  }
}
