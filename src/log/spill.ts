import { appendBatches, type ProducerBatch } from './append';
import type { ProducerRecord } from './record-batch';
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

/** Thrown by recovery for the spills it could not append; they are left in storage, never dropped. */
export class SpillRecoveryError extends Error {
  override name = 'SpillRecoveryError';
}

const PREFIX = 'tabstream:spill:';

/**
 * Writes one spill of a producer, synchronously, under a key of its own (the `n`th spill of
 * that producer), and returns the key; returns null, writing nothing, for an empty spill.
 * A spill is never overwritten: a tab recovering it may be reading an older copy.
 * - must throw, writing nothing, if storage refuses the write (it is full, say).
 */
export function writeSpill(
  storage: Storage,
  log: string,
  spill: Omit<Spill, 'version'>,
  n: number,
): string | null {
  if (spill.batches.length === 0 && spill.unassigned.length === 0) return null;
  const key = `${spillKey(log, spill.producerId)}:${n}`;
  storage.setItem(key, JSON.stringify({ ...spill, version: 1 } satisfies Spill));
  return key;
}

/**
 * Appends every spill of log `db` found in storage, removing each once appended; resolves with
 * the number of records newly appended.
 * - must append each spilled record exactly once, even when several tabs recover at once;
 * - must leave a spill it cannot read or append in storage, recover the others, and then
 *   reject with SpillRecoveryError naming each one left.
 */
export async function recoverSpills(db: LogDB, storage: Storage): Promise<number> {
  let appended = 0;
  const failures: string[] = [];
  for (const key of spillKeys(storage, db.name)) {
    const raw = storage.getItem(key);
    if (raw === null) continue;
    try {
      const spill = parseSpill(raw);
      const results = await appendBatches(db, [...spill.batches, ...assignUnassigned(spill)]);
      appended += results.reduce((sum, result) => sum + result.appended, 0);
      storage.removeItem(key);
    } catch (error) {
      failures.push(`${key} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (failures.length) {
    throw new SpillRecoveryError(`tabstream: spills left in localStorage: ${failures.join('; ')}`);
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
    throw new Error('not a spill');
  }
  return spill as Spill;
}
