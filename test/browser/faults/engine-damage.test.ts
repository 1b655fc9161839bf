import { expect } from 'chai';
import { deleteDB } from 'idb';
import { damageSeen } from '../../../src/shared/diagnostics';
import { EngineContext, ExecutorPool, op } from '../../../src/engine';
import { createWorker } from '../helpers';
import { createTopic, openLog } from '../../../src/log';
import { sendAll, smallLog } from './log-damage';

/** Counts `page` of partition 0 of `t`, offsets [0, until), in the pool's workers. */
const countPages = (context: EngineContext, until: number) =>
  context
    .fromLog('t', [{ topic: 't', partition: 0, fromOffset: 0, untilOffset: until }])
    .map(op.field('value.page'))
    .countByValue();

/** Console errors are expected here: each damage is named once. */
function quietly(): () => void {
  const { error } = console;
  console.error = () => {};
  return () => (console.error = error);
}

describe('faults: damage met by executor workers', () => {
  it('is counted in the driver, where status() reads it: a lost header counted by a worker', async () => {
    const restore = quietly();
    const { log, db } = await smallLog('engine-damage');
    await db.delete('batches', ['t', 0, 10]);
    const pool = await ExecutorPool.start({ createWorker, size: 1 });
    try {
      const before = damageSeen().count;
      const context = new EngineContext({ log, pool });
      const counts = await countPages(context, 30);
      expect(counts).to.deep.equal(
        new Map([
          ['/p/0', 10],
          ['/p/1', 10],
        ]),
      );
      const [task] = context.status.stages().at(-1)!.tasks;
      expect(task!.metrics!.executorId).not.to.equal('driver');
      const seen = damageSeen();
      expect(seen.count).to.be.greaterThan(before);
      const named = seen.recent.filter((d) => d.store === 'batches' && /t-0 offsets 10/.test(d.at));
      expect(named).to.have.length.greaterThan(0);
    } finally {
      restore();
      await pool.terminate();
      db.close();
      await deleteDB(log);
    }
  });

  it('a log deleted and made again under a worker: its next job opens it again', async () => {
    const restore = quietly();
    const { log, db } = await smallLog('engine-reopen');
    db.close();
    const pool = await ExecutorPool.start({ createWorker, size: 1 });
    try {
      const context = new EngineContext({ log, pool });
      expect((await countPages(context, 30)).get('/p/0')).to.equal(15);
      await deleteDB(log); // the worker's connection gives way
      const again = await openLog(log);
      await createTopic(again, { name: 't', partitions: 1 });
      again.close();
      await sendAll(log, 0, 40);
      expect((await countPages(context, 40)).get('/p/0')).to.equal(20);
    } finally {
      restore();
      await pool.terminate();
      await deleteDB(log);
    }
  });
});
