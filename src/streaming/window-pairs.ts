import { keyId } from '../engine';
import { Checkpointed } from './checkpointed';
import { entriesChange, type StateChange } from './state-change';

/** A window's pairs as the checkpoint keeps them. */
export interface WindowState<K, V> {
  readonly time: number;
  readonly pairs: readonly [K, V][];
}

/**
 * A window whose `[key, value]` pairs are checkpointed state, and its output: a publish
 * refers to them rather than copying them, and a batch writes the pairs that entered, changed
 * or left, not the whole window.
 */
export abstract class WindowPairs<K, V> extends Checkpointed<WindowState<K, V> | null> {
  abstract override readonly id: string;

  constructor() {
    super(null);
  }

  /** Its output is its state's pairs: a publish refers to them. */
  get outputState(): string {
    return this.id;
  }

  override needsTime(): boolean {
    return (this.last?.pairs.length ?? 0) > 0;
  }

  /** The pairs that entered, changed or left, and the window's time. */
  override change(): StateChange | undefined {
    const [before, after] = [this.last, this.current];
    if (before === after) return undefined;
    if (!before || !after) return { value: this.encode(after) };
    const { put, remove } = entriesChange(byKey(before.pairs), byKey(after.pairs));
    return { entries: { key: 0, list: 'pairs', put, remove, fields: { time: after.time } } };
  }

  protected override encode(value: WindowState<K, V> | null): unknown {
    return value ?? undefined;
  }

  protected override decode(saved: unknown): WindowState<K, V> | null {
    const state = saved as Partial<WindowState<K, V>> | null;
    const pairs = state?.pairs;
    if (
      typeof state !== 'object' ||
      state === null ||
      !Number.isFinite(state.time) ||
      !Array.isArray(pairs) ||
      !pairs.every((pair) => Array.isArray(pair) && pair.length === 2)
    )
      throw new TypeError(`window state ${this.id} is not a time and [key, value] pairs`);
    return state as WindowState<K, V>;
  }
}

const byKey = <K, V>(pairs: readonly [K, V][]) =>
  new Map(pairs.map((pair) => [keyId(pair[0]), pair]));
