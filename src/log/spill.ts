import type { DomStorage } from '../shared';
import { appendBatches, type ProducerBatch } from './append';
import { reportDamage } from '../shared';
import { spillProblem } from './schema';
import { spillKey, type Spill } from './spill-format';
import type { LogDB } from './log-db';

export { writeSpill } from './spill-format';
export type { Spill, UnassignedRecords } from './spill-format';

/** Thrown by recovery for the spills it could not append; they are left in storage, never dropped. */
export class SpillRecoveryError extends Error {
  override name = 'SpillRecoveryError';
}

/**
 * Appends every spill of log `db` found in storage, removing each once appended; resolves with
 * the number of records newly appended.
 * - must append each spilled record exactly once, even when several tabs recover at once;
 * - must drop a damaged spill (not JSON, or not a spill's schema), reporting it once;
 * - must leave a spill it cannot append in storage, recover the others, and then reject with
 *   SpillRecoveryError naming each one left.
 */
export async function recoverSpills(db: LogDB, storage: DomStorage): Promise<number> {
  let appended = 0;
  const failures: string[] = [];
  for (const key of spillKeys(storage, db.name)) {
    const raw = storage.getItem(key);
    if (raw === null) continue;
    const spill = checkedSpill(storage, key, raw);
    if (!spill) continue;
    try {
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
/** The spill stored under `key`, or null after dropping it, reported, if it is damaged. */
function checkedSpill(storage: Storage, key: string, raw: string): Spill | null {
  let problem: string | null;
  let spill: unknown;
  try {
    spill = JSON.parse(raw);
    problem = spillProblem(spill);
  } catch (error) {
    problem = `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (problem === null) return spill as Spill;
  // Never recovered twice, and never in the way of the others: it can hold nothing appendable.
  storage.removeItem(key);
  reportDamage({
    database: 'localStorage',
    store: key,
    at: `${raw.length} characters`,
    problem: `${problem}; the spill is dropped`,
  });
  return null;
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

function spillKeys(storage: Storage, log: string): string[] {
  const prefix = spillKey(log, '');
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}
