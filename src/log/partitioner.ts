import { murmur2 } from './murmur2';

/**
 * Kafka's default partitioner: a keyed record goes to `toPositive(murmur2(key)) % partitions`;
 * records without a key stick to one partition until its batch is sealed, then move on, so that
 * null-key records still fill whole batches.
 */
export class Partitioner {
  private sticky = -1;

  partition(key: string | null, partitions: number): number {
    if (key !== null) return partitionForKey(key, partitions);
    if (this.sticky < 0 || this.sticky >= partitions) this.sticky = randomPartition(partitions);
    return this.sticky;
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
