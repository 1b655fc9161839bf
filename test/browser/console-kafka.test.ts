// Kafka's quick start, step by step, in the console of a page with tabstream.
import { expect } from 'chai';
import {
  InvalidTopicError,
  RecordTooLargeError,
  TopicExistsError,
  type Tabstream,
} from '../../src/entries/index';
import { capture, closeTabs, startTab, type Printed } from './console-helpers';
import { until } from './helpers';

const TOPIC = 'quickstart-events';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe("Kafka's quick start in the console", () => {
  let tabstream: Tabstream;
  let log: Printed;

  beforeEach(async () => {
    tabstream = startTab();
    await tabstream.ready;
    log = capture('log');
  });
  afterEach(async () => {
    log.restore();
    await closeTabs();
  });

  it('createTopic: an existing topic is a TopicExistsError naming it, a bad name an InvalidTopicError', async () => {
    const created = await tabstream.log.createTopic({ name: TOPIC, partitions: 1 });
    expect(created).to.include({ name: TOPIC, partitions: 1 });
    const exists = await rejection(tabstream.log.createTopic({ name: TOPIC }));
    expect(exists).to.be.instanceOf(TopicExistsError);
    expect(exists.message).to.contain(`"${TOPIC}" already exists`);
    for (const name of ['quickstart events', '', 'a/b', 'x'.repeat(250)]) {
      const invalid = await rejection(tabstream.log.createTopic({ name }));
      expect(invalid, name).to.be.instanceOf(InvalidTopicError);
      expect(invalid.message).to.contain(`invalid topic name "${name}"`);
    }
    expect((await tabstream.log.listTopics()).map((t) => t.name)).to.include(TOPIC);
    expect((await tabstream.log.listTopics()).map((t) => t.name)).to.not.include(
      'quickstart events',
    );
  });

  it('describe prints as kafka-topics --describe, one console.log per line, and resolves with the descriptions', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 1, retentionBytes: 1_000_000 });
    const [description, ...more] = await tabstream.log.describe(TOPIC);
    expect(more).to.deep.equal([]);
    expect(description!.config.name).to.equal(TOPIC);
    expect(description!.partitions).to.have.length(1);
    expect(log.calls.every((args) => args.length === 1)).to.equal(true);
    const [head, partition, ...rest] = log.lines() as string[];
    expect(rest).to.deep.equal([]);
    expect(head).to.match(
      /^Topic: quickstart-events\tTopicId: [\w-]{22}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: retention\.ms=604800000,retention\.bytes=1000000$/,
    );
    expect(partition).to.equal(
      '\tTopic: quickstart-events\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0',
    );

    // The topic id is the topic's: the same again, another for a topic made anew.
    log.calls.length = 0;
    await tabstream.log.describe(TOPIC);
    expect(log.lines()[0]).to.equal(head);
    await tabstream.log.deleteTopic(TOPIC);
    await tabstream.log.createTopic({ name: TOPIC, partitions: 3, retentionBytes: 1_000_000 });
    log.calls.length = 0;
    await tabstream.log.describe(TOPIC);
    const lines = log.lines() as string[];
    expect(lines).to.have.length(4);
    expect(lines[0]!.split('\t')[1]).to.not.equal(head!.split('\t')[1]);
    expect(lines.slice(1).map((line) => line.split('\t')[2])).to.deep.equal([
      'Partition: 0',
      'Partition: 1',
      'Partition: 2',
    ]);
  });

  it('consoleProducer sends lines of any text; consoleConsumer --from-beginning prints them, and stop() counts them', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 1 });
    const producer = tabstream.log.consoleProducer(TOPIC);
    const lines = [
      'This is my first event',
      'This is my second event',
      '',
      '\ttabs\tand ünïcödé 🎉',
    ];
    const sent = [];
    for (const line of lines) sent.push(await producer.send(line));
    expect(sent).to.deep.equal(lines.map((_, offset) => ({ topic: TOPIC, partition: 0, offset })));
    await producer.close();

    const consumer = tabstream.log.consoleConsumer(TOPIC, { fromBeginning: true });
    await until(() => log.calls.length === lines.length);
    expect(log.lines()).to.deep.equal(lines);
    expect(await consumer.stop()).to.equal(lines.length);
    expect(log.lines().at(-1)).to.equal(`Processed a total of ${lines.length} messages`);
    expect(log.calls).to.have.length(lines.length + 1);
    expect(await consumer.done).to.equal(lines.length);
  });

  it('consoleConsumer prints records produced after it started, and keeps polling until stop()', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 2 });
    const producer = tabstream.log.consoleProducer(TOPIC);
    await producer.send('before');
    const consumer = tabstream.log.consoleConsumer(TOPIC); // from the end, as Kafka's default
    await consumer.ready;
    await producer.send('after 1');
    await until(() => log.calls.length === 1);
    await producer.send('after 2');
    await until(() => log.calls.length === 2);
    expect(log.lines()).to.deep.equal(['after 1', 'after 2']);
    expect(await consumer.stop()).to.equal(2);
    expect(log.lines()).to.deep.equal(['after 1', 'after 2', 'Processed a total of 2 messages']);
    await producer.send('after the stop');
    await producer.close();
    expect(await consumer.stop()).to.equal(2); // stopped for good
    expect(log.calls).to.have.length(3);
  });

  it('maxMessages: done resolves with it once reached, and the consumer stops there', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 1 });
    const producer = tabstream.log.consoleProducer(TOPIC);
    await Promise.all(['1', '2', '3', '4', '5'].map((line) => producer.send(line)));
    await producer.close();
    const group = 'quickstart-readers';
    const consumer = tabstream.log.consoleConsumer(TOPIC, {
      fromBeginning: true,
      maxMessages: 3,
      group,
    });
    expect(await consumer.done).to.equal(3);
    expect(log.lines()).to.deep.equal(['1', '2', '3', 'Processed a total of 3 messages']);
    for (const maxMessages of [0, 1.5, -1])
      expect(() => tabstream.log.consoleConsumer(TOPIC, { maxMessages })).to.throw(
        RangeError,
        `maxMessages ${maxMessages}: a whole number ≥ 1`,
      );
    // A named group commits what it read: the next consumer of the group goes on from there.
    const [committed] = await tabstream.log.listConsumerGroupOffsets(group, TOPIC);
    expect(committed!.offset).to.equal(3);
    log.calls.length = 0;
    const next = tabstream.log.consoleConsumer(TOPIC, { fromBeginning: true, group });
    await until(() => log.calls.length === 2);
    expect(await next.stop()).to.equal(2);
    expect(log.lines()).to.deep.equal(['4', '5', 'Processed a total of 2 messages']);
  });

  it('without a group, a fresh console-consumer-<n> group that commits nothing', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 1 });
    const producer = tabstream.log.consoleProducer(TOPIC);
    await producer.send('one');
    await producer.close();
    const first = tabstream.log.consoleConsumer(TOPIC, { fromBeginning: true, maxMessages: 1 });
    const second = tabstream.log.consoleConsumer(TOPIC, { fromBeginning: true, maxMessages: 1 });
    expect(first.group).to.match(/^console-consumer-\d{1,5}$/);
    expect(second.group).to.match(/^console-consumer-\d{1,5}$/);
    expect(first.group).to.not.equal(second.group);
    expect(await first.done).to.equal(1);
    expect(await second.done).to.equal(1); // each read it: no group took it from the other
    for (const { group } of [first, second]) {
      const [position] = await tabstream.log.listConsumerGroupOffsets(group, TOPIC);
      expect(position!.offset, group).to.equal(null);
    }
  });

  it('parseKey with keySeparator as parse.key and key.separator; printKey, printPartition, printOffset as print.*', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 1 });
    const producer = tabstream.log.consoleProducer(TOPIC, { parseKey: true, keySeparator: ':' });
    await producer.send('user1:clicked: the button');
    await producer.send(':no key before');
    const missing = await rejection(producer.send('no separator'));
    expect(missing.message).to.contain("no key separator found on line number 3: 'no separator'");
    await producer.close();
    const consumer = tabstream.log.consoleConsumer(TOPIC, {
      fromBeginning: true,
      maxMessages: 2,
      printKey: true,
      printPartition: true,
      printOffset: true,
    });
    expect(await consumer.done).to.equal(2);
    expect(log.lines().slice(0, 2)).to.deep.equal([
      'Partition:0\tOffset:0\tuser1\tclicked: the button',
      'Partition:0\tOffset:1\t\tno key before',
    ]);
  });

  it('rejects an over-long line with RecordTooLargeError, and a line that is not text', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 1 });
    const producer = tabstream.log.consoleProducer(TOPIC);
    expect(await rejection(producer.send('x'.repeat(600_000)))).to.be.instanceOf(
      RecordTooLargeError,
    );
    const notText = await rejection(producer.send(42 as unknown as string));
    expect(notText.name).to.equal('SerializationError');
    expect(await producer.send('fits')).to.include({ offset: 0 });
    await producer.close();
  });

  it('a topic that does not exist: done and ready reject with UnknownTopicOrPartitionError, said once', async () => {
    const errors = capture('error');
    try {
      const consumer = tabstream.log.consoleConsumer('no-such-topic', { fromBeginning: true });
      const failed = await rejection(consumer.done);
      expect(failed.name).to.equal('UnknownTopicOrPartitionError');
      expect(failed.message).to.contain('"no-such-topic" does not exist');
      expect(await rejection(consumer.ready)).to.equal(failed);
      expect(errors.calls).to.deep.equal([
        ['tabstream: the console consumer of no-such-topic stopped:', failed],
      ]);
    } finally {
      errors.restore();
    }
    expect(log.calls).to.deep.equal([]);
  });

  it('prints records of other producers (a click) as JSON, null keys as null, print.timestamp as CreateTime', async () => {
    await tabstream.log.createTopic({ name: TOPIC, partitions: 1 });
    const producer = tabstream.log.producer();
    const t = Date.now() - 1000; // within retention
    await producer.send(TOPIC, { page: '/a', x: 1 }, null, t);
    await producer.send(TOPIC, { value: 'a line', x: 2 }, 'k', t + 1);
    await producer.close();
    const consumer = tabstream.log.consoleConsumer(TOPIC, {
      fromBeginning: true,
      maxMessages: 2,
      printKey: true,
      printTimestamp: true,
    });
    await consumer.done;
    const printed = (log.lines() as string[]).slice(0, 2).map((line) => line.split('\t'));
    expect(printed.map(([time, key]) => [time, key])).to.deep.equal([
      [`CreateTime:${t}`, 'null'],
      [`CreateTime:${t + 1}`, 'k'],
    ]);
    expect(printed.map(([, , value]) => JSON.parse(value!) as unknown)).to.deep.equal([
      { page: '/a', x: 1 },
      { value: 'a line', x: 2 }, // not a console producer's line: a field beside it
    ]);
  });
});

describe('the console tools before ready', () => {
  afterEach(closeTabs);

  it('tabstream.log throws a clear error before ready, and works once ready', async () => {
    const tabstream = startTab();
    expect(() => tabstream.log.consoleProducer(TOPIC)).to.throw(
      'tabstream.log is not loaded yet: await tabstream.ready first.',
    );
    await tabstream.ready;
    expect(tabstream.log.consoleProducer(TOPIC)).to.have.property('send');
  });
});
