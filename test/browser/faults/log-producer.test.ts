// Fault suite, the producer's door: a record that can never be appended is rejected at once with
// a named error, never enters a batch, and never holds up the good records sent around it.
import { expect } from 'chai';
import fc from 'fast-check';
import { Producer, type LogEvent } from '../../../src/log';
import { dropLog, range, readAll, smallLog } from './log-damage';

/** The oracle: JSON holds it, with no function, bigint or symbol anywhere in it. */
function storable(value: unknown): boolean {
  const kinds = ['function', 'bigint', 'symbol'];
  try {
    JSON.stringify(value, (_key, item: unknown) => {
      if (kinds.includes(typeof item)) throw new Error(typeof item);
      return item;
    });
    return true;
  } catch {
    return false;
  }
}

/** Sends `bad` between two good records; resolves with the bad one's error and the good ones' offsets. */
async function sendAround(
  log: string,
  bad: () => Promise<unknown>,
  producer = new Producer({ log, batchSize: 10, lingerMs: 0 }),
): Promise<{ error: unknown; offsets: number[] }> {
  const before = producer.send('t', { page: '/p/0', i: 30 });
  let error: unknown = null;
  const rejected = bad().then(
    () => {},
    (e: unknown) => void (error = e),
  );
  const after = producer.send('t', { page: '/p/1', i: 31 });
  await producer.flush();
  await rejected;
  const offsets = (await Promise.all([before, after])).map((m) => m.offset);
  await producer.close();
  return { error, offsets };
}

/** A bad send, and the error name and message it must reject with. */
async function rejectsAtTheDoor(
  prefix: string,
  send: (producer: Producer) => Promise<unknown>,
  name: string,
  message: RegExp,
): Promise<void> {
  const { log, db } = await smallLog(prefix);
  const producer = new Producer({ log, batchSize: 10, lingerMs: 0 });
  const { error, offsets } = await sendAround(log, () => send(producer), producer);
  expect(error).to.have.property('name', name);
  expect((error as Error).message).to.match(message);
  expect(offsets).to.deep.equal([30, 31]);
  expect(await readAll(log)).to.deep.equal(range(0, 32));
  await dropLog(log, db);
}

describe('fault: producer input', () => {
  it('send: a cyclic value is rejected with SerializationError; the records around it land', async () => {
    const cyclic: Record<string, unknown> = { page: '/x' };
    cyclic['self'] = cyclic;
    const value = { page: '/x', nested: cyclic } as unknown as LogEvent;
    await rejectsAtTheDoor('cyclic', (p) => p.send('t', value), 'SerializationError', /cycl/i);
  });

  it('send: a BigInt field is rejected with SerializationError', async () => {
    const value = { page: '/x', n: 10n } as unknown as LogEvent;
    await rejectsAtTheDoor('bigint', (p) => p.send('t', value), 'SerializationError', /bigint/i);
  });

  it('send: a function field is rejected with SerializationError', async () => {
    const value = { page: '/x', f: () => 1 } as unknown as LogEvent;
    await rejectsAtTheDoor('function', (p) => p.send('t', value), 'SerializationError', /function/);
  });

  it('send: a value over the size limit is rejected with RecordTooLargeError', async () => {
    const value = { page: 'x'.repeat(2_000_000) };
    await rejectsAtTheDoor('too-big', (p) => p.send('t', value), 'RecordTooLargeError', /bytes/);
  });

  it('send: a value that is not an object (a string, null, an array) is rejected', async () => {
    for (const value of ['click', null, [1, 2]]) {
      const bad = value as unknown as LogEvent;
      await rejectsAtTheDoor('not-object', (p) => p.send('t', bad), 'SerializationError', /object/);
    }
  });

  it('send: a key that is not a string is rejected with SerializationError', async () => {
    const key = 42 as unknown as string;
    await rejectsAtTheDoor('key', (p) => p.send('t', { a: 1 }, key), 'SerializationError', /key/);
  });

  it('send: a timestamp that is not a finite number ≥ 0 is rejected with RangeError', async () => {
    for (const timestamp of [NaN, -1, '2024' as unknown as number]) {
      const send = (p: Producer): Promise<unknown> => p.send('t', { a: 1 }, null, timestamp);
      await rejectsAtTheDoor('timestamp', send, 'RangeError', /timestamp/);
    }
  });

  it('send: a topic name no topic can have is rejected with InvalidTopicError, without waiting for it', async () => {
    for (const topic of ['', 'a b', 7 as unknown as string]) {
      await rejectsAtTheDoor('topic', (p) => p.send(topic, { a: 1 }), 'InvalidTopicError', /topic/);
    }
  });

  it('append: a record whose encoding throws every time fails alone; its batch-mates and the records after it land', async () => {
    const { log, db } = await smallLog('bomb');
    // Passes the door (its toJSON is inherited, not a field), and fails the encoding every time.
    class Bomb {
      toJSON(): never {
        throw new Error('boom');
      }
    }
    const producer = new Producer({ log, batchSize: 10, lingerMs: 0 });
    const bad = { page: '/x', bomb: new Bomb() } as unknown as LogEvent;
    const { error, offsets } = await sendAround(log, () => producer.send('t', bad), producer);
    expect((error as Error).message).to.equal('boom');
    expect(offsets).to.deep.equal([30, 31]);
    expect(await readAll(log)).to.deep.equal(range(0, 32));
    await dropLog(log, db);
  });

  it('send: any value lands and reads back if JSON could hold it, else is rejected with SerializationError (property)', async () => {
    const { log, db } = await smallLog('property');
    const producer = new Producer({ log, batchSize: 50, lingerMs: 0 });
    const field = fc.oneof(fc.anything({ withBigInt: true }), fc.func(fc.nat()));
    let landed = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 5 }), field), async (value) => {
        const result = await producer.send('t', value as LogEvent).then(
          () => 'landed',
          (error: Error) => error.name,
        );
        if (result === 'landed') landed++;
        expect(result).to.equal(storable(value) ? 'landed' : 'SerializationError');
      }),
      { numRuns: 80 },
    );
    await producer.flush();
    await producer.close();
    const { Consumer } = await import('../../../src/log');
    const consumer = new Consumer({ log, autoOffsetReset: 'earliest', enableAutoCommit: false });
    consumer.assign([{ topic: 't', partition: 0 }]);
    expect((await consumer.poll({ maxRecords: 1000 })).length).to.equal(30 + landed);
    await consumer.close();
    await dropLog(log, db);
  });
});
