// Fault suite, the log under the whole pipeline: the issue's own reproduction, a string
// highWatermark in `partitions`, must not stop the counting of new clicks.
import { expect } from 'chai';
import { deleteDB } from 'idb';
import { init, type Tabstream } from '../../../src/entries/index';
import { openLog, type PartitionState } from '../../../src/log';
import { createWorker, uniqueLog } from '../helpers';
import { damageDuring } from './log-damage';

function start(log: string): Tabstream {
  return init({ log, createWorker, batchIntervalMs: 200, workers: 1, keepQuery: 'all' });
}

/** Clicks a link `n` times. */
function click(n: number): void {
  const link = document.createElement('a');
  link.href = 'https://elsewhere.example/';
  link.addEventListener('click', (event) => event.preventDefault());
  document.body.append(link);
  for (let i = 0; i < n; i++) link.click();
  link.remove();
}

/** All the clicks counted, whatever their page. */
async function total(tabstream: Tabstream): Promise<number> {
  return Object.values(await tabstream.counts()).reduce((sum, n) => sum + n, 0);
}

describe('fault: the log under the pipeline', () => {
  it('partitions: string highWatermarks of every clicks partition; the next page counts its clicks on top', async () => {
    const log = uniqueLog('pipeline-hw');
    const first = start(log);
    await first.ready;
    click(6);
    await first.flush();
    expect(await total(first)).to.equal(6);
    await first.close();
    const db = await openLog(log);
    for (const state of await db.getAll('partitions')) {
      const damaged = { ...state, highWatermark: String(state.highWatermark) };
      await db.put('partitions', damaged as unknown as PartitionState);
    }
    db.close();
    let counted = 0;
    const damage = await damageDuring(async () => {
      const second = start(log);
      await second.ready;
      click(4);
      await second.flush();
      counted = await total(second);
      await second.close();
    });
    expect(counted).to.equal(10);
    expect(damage.some((d) => d.database === log && d.store === 'partitions')).to.equal(true);
    await deleteDB(log);
    await deleteDB(`${log}:coord`);
  });
});
