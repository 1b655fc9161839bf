import { keyId, type FnLike } from '../engine';
import { driverFn, type DriverFn } from './driver-fn';
import type { DStream } from './dstream';
import { Checkpointed } from './checkpointed';
import type { AnyDStream, Operator } from './operator';
import { entriesChange, type StateChange } from './state-change';

/** A driver-side state by key, checkpointed with the offsets as its entries. */
abstract class KeyedState<E> extends Checkpointed<ReadonlyMap<unknown, E>> {
  readonly id: string;

  constructor(parent: AnyDStream, kind: string) {
    super(new Map());
    this.id = parent.graph.nextId(kind);
    parent.graph.addStateful(this);
  }

  protected override decode(saved: unknown): ReadonlyMap<unknown, E> {
    if (!Array.isArray(saved)) throw new TypeError(`state ${this.id} is not a list of entries`);
    for (const entry of saved as unknown[]) {
      if (!this.isEntry(entry))
        throw new TypeError(`state ${this.id} holds ${JSON.stringify(entry)?.slice(0, 80)}`);
    }
    return new Map((saved as readonly E[]).map((entry) => [this.keyOf(entry), entry]));
  }

  /** Whether `entry`, read from a checkpoint, is an entry of this state. */
  protected abstract isEntry(entry: unknown): entry is E;

  protected override encode(value: ReadonlyMap<unknown, E>): unknown {
    return [...value.values()];
  }

  /** The entries the batch added or changed, and the keys it removed. */
  override change(): StateChange | undefined {
    if (this.current === this.last) return undefined;
    const { put, remove } = entriesChange(this.last, this.current);
    if (put.length === 0 && remove.length === 0) return undefined;
    return { entries: { key: this.keyAt, put, remove } };
  }

  /** Where an entry holds its key. */
  protected abstract readonly keyAt: 0 | 'key';

  protected abstract keyOf(entry: E): unknown;
}

/** Spark's updateStateByKey: `update(newValues, state)` for every key with values or state. */
export class UpdateStateByKey<K, V, S> extends KeyedState<[K, S]> implements Operator<[K, S]> {
  readonly kind = 'updateStateByKey';
  readonly replayable = false;
  readonly parents: readonly AnyDStream[];
  private readonly update: DriverFn;

  constructor(
    private readonly parent: DStream<[K, V]>,
    update: FnLike,
  ) {
    super(parent, 'state');
    this.parents = [parent];
    this.update = driverFn(parent.graph.engine, update, 2);
  }

  describe(): string {
    return this.update.text;
  }

  /** Its output is its state's entries: a publish refers to them. */
  get outputState(): string {
    return this.id;
  }

  async compute(time: number): Promise<readonly [K, S][]> {
    const grouped = new Map<unknown, [K, V[]]>();
    for (const [key, value] of (await this.parent.valuesAt(time)) ?? []) {
      const id = keyId(key);
      const group = grouped.get(id);
      if (group) group[1].push(value);
      else grouped.set(id, [key, [value]]);
    }
    const next = new Map<unknown, [K, S]>();
    const keys = new Set([...this.last.keys(), ...grouped.keys()]);
    for (const id of keys) {
      const key = (grouped.get(id)?.[0] ?? this.last.get(id)?.[0]) as K;
      const values = grouped.get(id)?.[1] ?? [];
      const last = this.last.get(id);
      const state = this.update.call(values, last?.[1]) as S | undefined;
      // An unchanged state keeps its entry: the checkpoint's change leaves it out.
      if (state !== undefined)
        next.set(id, last && Object.is(last[1], state) ? last : [key, state]);
    }
    this.set(next);
    return [...next.values()];
  }

  protected readonly keyAt = 0;

  protected keyOf([key]: [K, S]): unknown {
    return keyId(key);
  }

  protected isEntry(entry: unknown): entry is [K, S] {
    return Array.isArray(entry) && entry.length === 2;
  }
}

/** What mapWithState's function sees of a key's state (Spark's State). */
export interface State<S> {
  exists(): boolean;
  get(): S | undefined;
  update(state: S): void;
  remove(): void;
  /** True in the last call for a key idle for the spec's timeout; it cannot be updated then. */
  isTimingOut(): boolean;
}

/** Spark's StateSpec: the function, and how long a key may stay idle. */
export interface StateSpec<K, V, S, U> {
  readonly fn: (key: K, value: V | undefined, state: State<S>) => U | undefined;
  readonly timeoutMs?: number;
}

interface StateEntry<K, S> {
  readonly key: K;
  readonly state: S;
  /** The batch time of its last update: what the timeout counts from. */
  readonly updated: number;
}

/** Spark's mapWithState: calls per new pair, state per key, timeouts for idle keys. */
export class MapWithState<K, V, S, U> extends KeyedState<StateEntry<K, S>> implements Operator<U> {
  readonly kind = 'mapWithState';
  readonly replayable = false;
  readonly parents: readonly AnyDStream[];

  constructor(
    private readonly parent: DStream<[K, V]>,
    private readonly spec: StateSpec<K, V, S, U>,
  ) {
    super(parent, 'state');
    this.parents = [parent];
  }

  describe(): string {
    return `${String(this.spec.fn)} ${this.spec.timeoutMs ?? ''}`;
  }

  async compute(time: number): Promise<readonly U[]> {
    const next = new Map(this.last);
    const touched = new Set<unknown>();
    const emitted: U[] = [];
    const call = (key: K, value: V | undefined, timingOut: boolean): void => {
      const id = keyId(key);
      const mapped = this.spec.fn(key, value, stateOf(next, id, key, time, timingOut));
      if (mapped !== undefined) emitted.push(mapped);
      touched.add(id);
    };
    for (const [key, value] of (await this.parent.valuesAt(time)) ?? []) call(key, value, false);
    const timeout = this.spec.timeoutMs;
    if (timeout !== undefined) {
      for (const [id, entry] of this.last) {
        if (touched.has(id) || entry.updated > time - timeout) continue;
        call(entry.key, undefined, true);
        next.delete(id);
      }
    }
    this.set(next);
    return emitted;
  }

  override needsTime(): boolean {
    return this.spec.timeoutMs !== undefined && this.last.size > 0;
  }

  /** Every key's state after each batch (Spark's stateSnapshots). */
  snapshots(stream: DStream<U>): Operator<[K, S]> {
    return {
      kind: 'stateSnapshots',
      parents: [stream],
      replayable: false,
      describe: () => '',
      compute: async (time) => {
        await stream.valuesAt(time); // the batch's calls first
        return [...this.current.values()].map(({ key, state }): [K, S] => [key, state]);
      },
    };
  }

  protected readonly keyAt = 'key';

  protected keyOf({ key }: StateEntry<K, S>): unknown {
    return keyId(key);
  }

  protected isEntry(entry: unknown): entry is StateEntry<K, S> {
    const e = entry as Partial<StateEntry<K, S>> | null;
    return typeof e === 'object' && e !== null && 'key' in e && Number.isFinite(e.updated);
  }
}

function stateOf<K, S>(
  entries: Map<unknown, StateEntry<K, S>>,
  id: unknown,
  key: K,
  time: number,
  timingOut: boolean,
): State<S> {
  return {
    exists: () => entries.has(id),
    get: () => entries.get(id)?.state,
    update(state) {
      if (timingOut) throw new Error('tabstream: a state timing out cannot be updated');
      entries.set(id, { key, state, updated: time });
    },
    remove: () => void entries.delete(id),
    isTimingOut: () => timingOut,
  };
}
