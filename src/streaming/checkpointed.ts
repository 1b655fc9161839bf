import type { Stateful } from './operator';
import { sameValue, type StateChange } from './state-change';

/**
 * Part of a job kept in the checkpoint: `current` is what the batch under way made of it, or
 * the last committed value. The batch's value becomes the committed one when its checkpoint
 * commits, and is dropped when the batch fails.
 */
export abstract class Checkpointed<S> implements Stateful {
  abstract readonly id: string;
  private committed: S;
  private pending: { readonly value: S } | null = null;

  constructor(private readonly initial: S) {
    this.committed = initial;
  }

  /** The value as of the last committed batch. */
  get last(): S {
    return this.committed;
  }

  /** The value as the batch under way left it (or the last committed one). */
  get current(): S {
    return this.pending ? this.pending.value : this.committed;
  }

  restore(saved: unknown): void {
    this.committed = saved === undefined ? this.initial : this.decode(saved);
    this.pending = null;
  }

  snapshot(): unknown {
    return this.encode(this.current);
  }

  /** The whole value, if the batch changed it; a value kept by key says which keys changed. */
  change(): StateChange | undefined {
    if (!this.pending) return undefined;
    const value = this.encode(this.pending.value);
    return sameValue(value, this.encode(this.committed)) ? undefined : { value };
  }

  commit(): void {
    if (this.pending) this.committed = this.pending.value;
    this.pending = null;
  }

  discard(): void {
    this.pending = null;
  }

  needsTime(): boolean {
    return false;
  }

  /** Sets the value of the batch under way. */
  protected set(value: S): void {
    this.pending = { value };
  }

  /** The value from what the checkpoint holds (`encode`'s output). */
  protected decode(saved: unknown): S {
    return saved as S;
  }

  /** What the checkpoint keeps of the value: structured-cloneable. */
  protected encode(value: S): unknown {
    return value;
  }
}
