// What a spill is, and how one is written: no dependency, so that the script tag's part, which
// spills events before the log has loaded, can import it alone.
import type { DomStorage } from '../shared';
import type { ProducerBatch } from './append';
import type { ProducerRecord } from './record-batch';

/**
 * What a producer hands to synchronous storage when its page goes away with records not yet
 * known to be in the log. IndexedDB cannot be waited for while a page unloads; localStorage can.
 * The next page of the origin appends the spill, and idempotence makes that exactly once.
 */
export interface Spill {
  readonly version: 1;
  readonly producerId: string;
  /** Sealed batches, maybe already appended: appended again, their duplicates are skipped. */
  readonly batches: readonly ProducerBatch[];
  /** Records sent before their topic was known, handed over: the producer forgets them. */
  readonly unassigned: readonly UnassignedRecords[];
}

/** Records of one topic sent before the producer knew its partitions, numbered from `baseSequence`. */
export interface UnassignedRecords {
  readonly topic: string;
  readonly baseSequence: number;
  readonly records: readonly ProducerRecord[];
}

/**
 * The numbering of the records a producer hands over unassigned, per topic, across its spills:
 * a spill's records follow those of the last, so recovering its spills, in any order and any
 * number of times, appends each record once.
 */
export class HandOver {
  private readonly next = new Map<string, number>();

  /** `records` of `topic`, numbered after those handed over before. */
  number(topic: string, records: readonly ProducerRecord[]): UnassignedRecords {
    return { topic, baseSequence: this.next.get(topic) ?? 0, records };
  }

  /** Counts `unassigned` as handed over: once its spill is written. */
  written(unassigned: readonly UnassignedRecords[]): void {
    for (const { topic, baseSequence, records } of unassigned)
      this.next.set(topic, baseSequence + records.length);
  }
}

const PREFIX = 'tabstream:spill:';

/**
 * Writes one spill of a producer, synchronously, under a key of its own (the `n`th spill of
 * that producer), and returns the key; returns null, writing nothing, for an empty spill.
 * A spill is never overwritten: a tab recovering it may be reading an older copy.
 * - must throw, writing nothing, if storage refuses the write (it is full, say).
 */
export function writeSpill(
  storage: DomStorage,
  log: string,
  spill: Omit<Spill, 'version'>,
  n: number,
): string | null {
  if (spill.batches.length === 0 && spill.unassigned.length === 0) return null;
  // Fixed width: storage may list keys in string order, and recovery goes in that order.
  const key = `${spillKey(log, spill.producerId)}:${String(n).padStart(6, '0')}`;
  storage.setItem(key, JSON.stringify({ ...spill, version: 1 } satisfies Spill));
  return key;
}

export function spillKey(log: string, producerId: string): string {
  return `${PREFIX}${log}:${producerId}`;
}
