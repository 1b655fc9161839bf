import { expect } from 'chai';
import { deleteDB } from 'idb';
import { commitOffsets, createTopic, openLog } from '../../../src/log';
import { logStatus } from '../../../src/status';
import { uniqueLog } from '../helpers';
import { sendAll } from './log-damage';

describe('faults: the monitor reads damaged log stores', () => {
  it('leaves out a damaged partition state and committed offset, and shows the rest', async () => {
    const log = uniqueLog('status-log');
    const db = await openLog(log);
    await createTopic(db, { name: 't', partitions: 1 });
    await createTopic(db, { name: 'u', partitions: 2 });
    await sendAll(log, 0, 20);
    await commitOffsets(db, 'g', [{ topic: 't', partition: 0, offset: 5 }]);
    await db.put('partitions', {
      ...(await db.get('partitions', ['u', 1]))!,
      highWatermark: '7' as never,
    });
    const good = (await db.get('offsets', ['g', 't', 0]))!;
    await db.put('offsets', { ...good, group: 'h', offset: 'x' as never });
    try {
      const status = await logStatus(db);
      expect(status.map((t) => [t.topic, t.partitions.map((p) => p.partition)])).to.deep.equal([
        ['t', [0]],
        ['u', [0]],
      ]);
      const [t] = status;
      expect(t!.partitions[0]!.groups).to.deep.equal([{ group: 'g', offset: 5, lag: 15 }]);
    } finally {
      db.close();
      await deleteDB(log);
    }
  });
});
