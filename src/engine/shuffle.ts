import type { CompiledAggregation } from './aggregation';
import { ByKey } from './by-key';
import { hashKey, partitionOf, type Partitioner } from './partitioner';

/**
 * Thrown by a reduce task that could not get map outputs from an executor: the scheduler
 * forgets that executor's outputs and runs their map tasks again.
 */
export class FetchFailedError extends Error {
  override name = 'FetchFailedError';
  constructor(
    /** The executor the blocks were to come from. */
    readonly executorId: string,
    reason: string,
  ) {
    super(
      `tabstream: shuffle blocks from executor "${executorId}" could not be fetched: ${reason}`,
    );
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A shuffle block's bytes: JSON, so it crosses threads as a transferable ArrayBuffer. */
export const encodeBlock = (records: readonly unknown[]): Uint8Array =>
  encoder.encode(JSON.stringify(records));
export const decodeBlock = (block: Uint8Array): unknown[] =>
  JSON.parse(decoder.decode(block)) as unknown[];

/**
 * A map task's side of a shuffle: sorts its records into one block per reduce partition,
 * combining values by key first when the shuffle has an aggregation (map-side combine).
 */
export class ShuffleWriter {
  private readonly combined: ByKey<unknown> | null;
  private readonly buckets: unknown[][];
  private next: number;
  records = 0;

  constructor(
    private readonly partitioner: Partitioner,
    aggregation: CompiledAggregation | null,
    mapId: number,
  ) {
    this.buckets = Array.from({ length: partitioner.numPartitions }, () => []);
    this.combined = aggregation && new ByKey(aggregation.create, aggregation.merge);
    this.next = hashKey(mapId) % partitioner.numPartitions;
  }

  add(chunk: readonly unknown[]): void {
    this.records += chunk.length;
    const { partitioner, combined } = this;
    if (partitioner.kind === 'round-robin') {
      for (const record of chunk) {
        this.buckets[this.next]!.push(record);
        this.next = (this.next + 1) % partitioner.numPartitions;
      }
    } else if (combined) {
      for (const record of chunk) combined.add((record as [unknown])[0], (record as unknown[])[1]);
    } else {
      for (const record of chunk) {
        this.buckets[partitionOf(partitioner, (record as [unknown])[0])]!.push(record);
      }
    }
  }

  /** The encoded blocks, one per reduce partition. */
  finish(): Uint8Array[] {
    for (const pair of this.combined?.pairs() ?? [])
      this.buckets[partitionOf(this.partitioner, pair[0])]!.push(pair);
    return this.buckets.map(encodeBlock);
  }
}

/**
 * A reduce task's side: the records of its blocks, with combiners merged by key and finished
 * when the shuffle has an aggregation.
 */
export function readShuffle(
  blocks: readonly Uint8Array[],
  aggregation: CompiledAggregation | null,
): unknown[] {
  if (!aggregation) return blocks.flatMap(decodeBlock);
  const merged = new ByKey((combiner) => combiner, aggregation.combine);
  for (const block of blocks)
    for (const [key, combiner] of decodeBlock(block) as [unknown, unknown][])
      merged.add(key, combiner);
  return Array.from(merged.pairs(), ([key, combiner]) => [key, aggregation.finish(combiner)]);
}
