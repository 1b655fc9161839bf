import { appendBatches, type ProducerBatch, type ProducerRecord } from './append';
import type { LogDB } from './log-db';

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

/** Thrown by recovery for a spill it cannot read; the spill is left in storage, never dropped. */
export class CorruptSpillError extends Error {
  override name = 'CorruptSpillError';
}

const PREFIX = 'tabstream:spill:';

/**
 * Writes a producer's spill, synchronously.
 * - must keep the unassigned records of an earlier spill of the same producer: the producer
 *   no longer holds them;
 * - must remove the producer's spill when it has nothing left to hand over.
 */
export function writeSpill(storage: Storage, log: string, spill: Omit<Spill, 'version'>): void {
  const key = spillKey(log, spill.producerId);
  const earlier = storage.getItem(key);
  const unassigned = [...(earlier ? parseSpill(earlier).unassigned : []), ...spill.unassigned];
  if (spill.batches.length === 0 && unassigned.length === 0) {
    storage.removeItem(key);
    return;
  }
  storage.setItem(key, JSON.stringify({ ...spill, version: 1, unassigned } satisfies Spill));
}

/**
 * Appends every spill of log `db` found in storage, then removes it; resolves with the number of
 * records newly appended.
 * - must append each spilled record exactly once, even when several tabs recover at once;
 * - must leave a spill in storage if appending it fails, or if it changed meanwhile;
 * - must reject with CorruptSpillError, after recovering the others, if a spill is unreadable.
 */
export async function recoverSpills(db: LogDB, storage: Storage): Promise<number> {
  let appended = 0;
  const corrupt: string[] = [];
  for (const key of spillKeys(storage, db.name)) {
    const raw = storage.getItem(key);
    if (raw === null) continue;
    let spill: Spill;
    try {
      spill = parseSpill(raw);
    } catch {
      corrupt.push(key);
      continue;
    }
    const results = await appendBatches(db, [...spill.batches, ...assignUnassigned(spill)]);
    appended += results.reduce((sum, result) => sum + result.appended, 0);
    if (storage.getItem(key) === raw) storage.removeItem(key);
  }
  if (corrupt.length) {
    throw new CorruptSpillError(
      `tabstream: unreadable spill left in localStorage: ${corrupt.join(', ')}`,
    );
  }
  return appended;
}

/**
 * Unassigned records go to partition 0, which every topic has, under a producer id of their own;
 * their numbering was fixed when they were handed over, so any tab recovering them assigns
 * them the same way, and a second recovery is recognised as a duplicate.
 */
function assignUnassigned(spill: Spill): ProducerBatch[] {
  return spill.unassigned.map(({ topic, baseSequence, records }) => ({
    topic,
    partition: 0,
    producerId: `${spill.producerId}~unassigned`,
    baseSequence,
    records,
  }));
}

function spillKey(log: string, producerId: string): string {
  return `${PREFIX}${log}:${producerId}`;
}

function spillKeys(storage: Storage, log: string): string[] {
  const prefix = spillKey(log, '');
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

function parseSpill(raw: string): Spill {
  const spill = JSON.parse(raw) as Partial<Spill> | null;
  if (
    spill?.version !== 1 ||
    typeof spill.producerId !== 'string' ||
    !Array.isArray(spill.batches) ||
    !Array.isArray(spill.unassigned)
  ) {
    throw new CorruptSpillError('tabstream: not a spill');
  }
  return spill as Spill;
}
