import { expect } from 'chai';
import { deleteDB } from 'idb';
import { Admin, Consumer, type TopicPartition } from '../../src/log';
import GroupConsumerWorker from './fixtures/group-consumer-worker?worker&inline';
import { until, uniqueLog } from './helpers';

const partitionsOf = (assigned: readonly TopicPartition[]) => assigned.map((tp) => tp.partition);

describe('consumer groups', () => {
  it('divide partitions among live members, and rebalance when one joins and when one dies', async () => {
    const log = uniqueLog('group');
    const admin = new Admin(log);
    await admin.createTopic({ name: 't', partitions: 4 });
    const producer = admin.producer();
    await Promise.all(Array.from({ length: 40 }, (_, i) => producer.send('t', { i }, `k${i}`)));

    const revoked: number[][] = [];
    const consumer = new Consumer({
      log,
      groupId: 'g',
      autoOffsetReset: 'earliest',
      enableAutoCommit: false,
    });
    await consumer.subscribe('t', {
      // Commits what it read of the partitions it gives up, slowly: the new owner must wait.
      async onPartitionsRevoked(partitions) {
        revoked.push(partitionsOf(partitions));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await consumer.commit();
      },
    });
    expect(partitionsOf(consumer.assignment())).to.deep.equal([0, 1, 2, 3]);
    const before = await consumer.poll({ maxRecords: 1000 });
    expect(before).to.have.length(40);

    const worker = new GroupConsumerWorker({ name: 'member' });
    type Assignment = { partitions: number[]; positions: number[] };
    const workerAssignments: Assignment[] = [];
    worker.addEventListener('message', (event: MessageEvent<Assignment>) =>
      workerAssignments.push(event.data),
    );
    worker.postMessage({ log, group: 'g', topic: 't' });
    await until(() => consumer.assignment().length === 2 && workerAssignments.length > 0);
    const mine = partitionsOf(consumer.assignment());
    const { partitions: theirs, positions } = workerAssignments.at(-1)!;
    expect([...mine, ...theirs].sort()).to.deep.equal([0, 1, 2, 3]);
    // Given up partitions were committed, where this member had read to.
    expect(revoked).to.deep.equal([theirs]);
    const committed = await admin.listConsumerGroupOffsets('g', 't');
    for (const p of theirs) expect(committed[p]!.lag).to.equal(0);
    // The hand-off waited for that commit: the new owner starts where the old one stopped,
    // not at the earliest offset its auto.offset.reset would give it.
    expect(positions).to.deep.equal(theirs.map((p) => committed[p]!.highWatermark));
    expect(positions.every((position) => position > 0)).to.equal(true);

    worker.terminate(); // as a tab that crashes: no goodbye
    await until(() => consumer.assignment().length === 4);
    expect(partitionsOf(consumer.assignment())).to.deep.equal([0, 1, 2, 3]);
    expect(consumer.metrics().rebalances).to.equal(3);

    await consumer.close();
    await Promise.all([producer.close(), admin.close()]);
    await deleteDB(log);
  });

  it("keep each topic's members apart, and take partitions added to the topic", async () => {
    const log = uniqueLog('group');
    const admin = new Admin(log);
    await admin.createTopic({ name: 'orders', partitions: 2 });
    await admin.createTopic({ name: 'refunds', partitions: 2 });
    const orders = new Consumer({ log, groupId: 'billing' });
    const refunds = new Consumer({ log, groupId: 'billing' });
    await orders.subscribe('orders');
    await refunds.subscribe('refunds');
    expect(partitionsOf(orders.assignment())).to.deep.equal([0, 1]);
    expect(partitionsOf(refunds.assignment())).to.deep.equal([0, 1]);

    await admin.createPartitions('orders', 3);
    await orders.poll();
    expect(partitionsOf(orders.assignment())).to.deep.equal([0, 1, 2]);
    const offsets = await admin.listConsumerGroupOffsets('nobody', 'orders');
    expect(offsets.map((o) => o.offset)).to.deep.equal([null, null, null]);

    await Promise.all([orders.close(), refunds.close(), admin.close()]);
    await deleteDB(log);
  });
});
