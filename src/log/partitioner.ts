import { murmur2 } from './murmur2';

const MAX_REMEMBERED_KEYS = 10_000;

/**
 * Kafka's default partitioner: a keyed record goes to `toPositive(murmur2(key)) % partitions`;
 * records without a key stick to one partition until its batch is sealed, then move on, so that
 * null-key records still fill whole batches.
 */
export class Partitioner {
  private sticky = -1;
  /** Keys repeat (a session id, say): their partition is remembered, for this partition count. */
  private readonly keyed = new Map<string, number>();
  private keyedFor = 0;

  partition(key: string | null, partitions: number): number {
    if (key !== null) return this.partitionOf(key, partitions);
    if (this.sticky < 0 || this.sticky >= partitions) this.sticky = randomPartition(partitions);
    return this.sticky;
  }

  private partitionOf(key: string, partitions: number): number {
    if (partitions !== this.keyedFor || this.keyed.size >= MAX_REMEMBERED_KEYS) {
      this.keyed.clear();
      this.keyedFor = partitions;
    }
    let partition = this.keyed.get(key);
    if (partition === undefined)
      this.keyed.set(key, (partition = partitionForKey(key, partitions)));
    return partition;
  }

  /** Called when a batch of the sticky partition is sealed: the next null-key record moves on. */
  onNewBatch(partition: number, partitions: number): void {
    if (partition !== this.sticky || partitions < 2) return;
    let next = randomPartition(partitions - 1);
    if (next >= partition) next++;
    this.sticky = next;
  }
}

export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

function randomPartition(partitions: number): number {
  return Math.floor(Math.random() * partitions);
}
