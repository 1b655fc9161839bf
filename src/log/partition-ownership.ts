import { holdLock, type Release } from '../coord';
import type { TopicPartition } from './offsets';

const HANDOFF_TIMEOUT_MS = 5000;

/**
 * The partitions one member of a consumer group owns, each a held Web Lock
 * `tabstream:owner:<log>:<group>:<partition>:<topic>`: Kafka's rebalance barrier, without a
 * coordinator. A member gives a partition up only after committing it, and its next owner takes
 * it only then, so it starts where the last one stopped. A member that died lets go at once.
 */
export class PartitionOwnership {
  private readonly held = new Map<string, Release>();

  constructor(
    private readonly log: string,
    private readonly group: string,
  ) {}

  /**
   * Waits until the last owner of each partition has let go. One that has not yet seen the new
   * members is waited for HANDOFF_TIMEOUT_MS at most; after that this member starts at the
   * committed offset, and may read again some records the other read.
   */
  async take(partitions: readonly TopicPartition[]): Promise<void> {
    const releases = await Promise.all(
      partitions.map((tp) => holdLock(this.lockName(tp), HANDOFF_TIMEOUT_MS)),
    );
    partitions.forEach((tp, i) => {
      const release = releases[i];
      if (release) this.held.set(this.lockName(tp), release);
    });
  }

  /** Lets go of partitions; the caller has committed them. */
  release(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      this.held.get(this.lockName(tp))?.();
      this.held.delete(this.lockName(tp));
    }
  }

  private lockName({ topic, partition }: TopicPartition): string {
    return `tabstream:owner:${this.log}:${this.group}:${partition}:${topic}`;
  }
}
