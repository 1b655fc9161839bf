// Fault suite, spills in localStorage: a spill truncated, of the wrong shape or holding values of
// the wrong type is dropped and named once; the other spills are recovered, and new records land.
import { expect } from 'chai';
import { recoverSpills, writeSpill } from '../../../src/log';
import { damageDuring, dropLog, range, readAll, sendAll, smallLog } from './log-damage';

const KEY_PREFIX = 'tabstream:spill:';

/** A good spill of records `i` in [from, until) for partition 0 of `t`, as a fresh producer would write it. */
function goodSpill(log: string, producerId: string, from: number, until: number): string {
  const records = range(from, until).map((i) => ({
    value: { page: '/p/0', i },
    key: null,
    timestamp: Date.now(),
  }));
  const batch = { topic: 't', partition: 0, producerId, baseSequence: 0, records };
  return writeSpill(localStorage, log, { producerId, batches: [batch], unassigned: [] }, 0)!;
}

function spillsOf(log: string): string[] {
  return Object.keys(localStorage).filter((key) => key.startsWith(`${KEY_PREFIX}${log}:`));
}

/** Recovers with a damaged spill `damaged` and a good one; asserts what the brief asks. */
async function dropsDamagedSpill(prefix: string, damage: (key: string) => void): Promise<void> {
  const { log, db } = await smallLog(prefix);
  const bad = goodSpill(log, 'a-bad', 100, 105);
  damage(bad);
  goodSpill(log, 'b-good', 30, 35);
  let appended = -1;
  const reported = await damageDuring(async () => {
    appended = await recoverSpills(db, localStorage);
  });
  expect(appended).to.equal(5);
  expect(spillsOf(log)).to.deep.equal([]);
  const named = reported.filter((d) => d.database === 'localStorage');
  expect(named).to.have.length(1);
  expect(named[0]!.store).to.equal(bad);
  // Never recovered (nor named) twice.
  expect(
    await damageDuring(async () => void (await recoverSpills(db, localStorage))),
  ).to.have.length(0);
  expect(await sendAll(log, 35, 40)).to.deep.equal(range(35, 40));
  expect(await readAll(log)).to.deep.equal(range(0, 40));
  await dropLog(log, db);
}

describe('fault: log spills', () => {
  it('localStorage: a truncated spill is dropped and named; the good spill is recovered', async () => {
    await dropsDamagedSpill('spill-truncated', (key) =>
      localStorage.setItem(key, localStorage.getItem(key)!.slice(0, 40)),
    );
  });

  it('localStorage: a spill whose batches are not a list is dropped and named', async () => {
    await dropsDamagedSpill('spill-shape', (key) => {
      const spill = JSON.parse(localStorage.getItem(key)!) as Record<string, unknown>;
      localStorage.setItem(key, JSON.stringify({ ...spill, batches: { 0: 'x' } }));
    });
  });

  it('localStorage: a spill with a record whose timestamp is a string (wrong type) is dropped and named', async () => {
    await dropsDamagedSpill('spill-type', (key) => {
      const raw = localStorage.getItem(key)!.replace(/"timestamp":\d+/, '"timestamp":"soon"');
      localStorage.setItem(key, raw);
    });
  });

  it('localStorage: a spill with a partition out of range (-1) is dropped and named', async () => {
    await dropsDamagedSpill('spill-range', (key) => {
      localStorage.setItem(
        key,
        localStorage.getItem(key)!.replace('"partition":0', '"partition":-1'),
      );
    });
  });

  it('localStorage: a spill that is JSON null is dropped and named', async () => {
    await dropsDamagedSpill('spill-null', (key) => localStorage.setItem(key, 'null'));
  });
});
