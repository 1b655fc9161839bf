// What a consumer program does with the log and the engine, wherever it runs (a page, a worker,
// Node): typed by the package's declarations alone.
import {
  Admin,
  Consumer,
  EngineContext,
  ExecutorPool,
  Producer,
  VERSION,
  type ConsumerRecord,
  type RecordMetadata,
} from 'tabstream';

export interface LogResult {
  readonly version: string;
  readonly sent: readonly RecordMetadata[];
  readonly read: readonly { key: string | null; qty: unknown }[];
  readonly total: number;
}

/** Never called: the log's options are typed, not `any`. */
export async function typedOptions(admin: Admin): Promise<void> {
  // @ts-expect-error: partitions is a number
  await admin.createTopic({ name: 'orders', partitions: '2' });
}

/** Appends three orders to a new topic of `log`, reads them back, and sums a dataset. */
export async function useLog(log: string): Promise<LogResult> {
  const admin = new Admin(log);
  await admin.createTopic({ name: 'orders', partitions: 2 });
  const producer = new Producer({ log, lingerMs: 0 });
  const sent = await Promise.all(
    [1, 2, 3].map((qty) => producer.send('orders', { sku: 'espresso', qty }, `customer-${qty}`)),
  );
  await producer.close();

  const consumer = new Consumer({ log, groupId: 'billing', autoOffsetReset: 'earliest' });
  await consumer.subscribe('orders');
  const records: ConsumerRecord[] = [];
  while (records.length < sent.length) records.push(...(await consumer.poll({ timeoutMs: 1000 })));
  await consumer.close();
  await admin.close();

  const sc = new EngineContext({ log, pool: ExecutorPool.start({ size: 1, createWorker: null }) });
  const total = await sc.parallelize([1, 2, 3, 4], 2).reduce((a, b) => a + b);

  const read = records
    .map(({ key, value }) => ({ key, qty: value.qty }))
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));
  return { version: VERSION, sent, read, total };
}
