import { appendAll, damageSeen, type Damage } from '../shared';
import {
  addCompactions,
  compact,
  NO_COMPACTION,
  Producer,
  recordWindow,
  type FieldValue,
} from '../log';
import { yieldToEventLoop } from '../shared';
import { compileAggregation } from './aggregation';
import { countColumn } from './count';
import { columnScanOf, evaluate, scanBatches, type RunContext } from './evaluate';
import { compileFn } from './fn';
import { ByKey } from './by-key';
import { toProducerRecord } from './log-record';
import type { Action, Compute, Sink, TaskDescription, TaskOutcome } from './plan';
import { ShuffleWriter } from './shuffle';

/** What a task needs of the executor it runs in. */
export interface ExecutorServices extends Pick<
  RunContext,
  'pageSize' | 'log' | 'fetchShuffle' | 'getCached' | 'putCached' | 'onCorrupt'
> {
  readonly executorId: string;
  /** Milliseconds a task may hold the thread before yielding; 0 never yields (in a worker). */
  readonly sliceMs: number;
  readonly putShuffle: (shuffleId: number, mapId: number, blocks: Uint8Array[]) => void;
  readonly resolveParams: (params: unknown, accumulators: Record<number, number>) => unknown;
}

/**
 * Runs one task in an executor: computes its partition and hands it to its sink (an action's
 * partial result, or shuffle blocks), measuring what Spark's task table shows.
 */
export async function runTask(
  task: TaskDescription,
  services: ExecutorServices,
): Promise<TaskOutcome> {
  const started = performance.now();
  const damageBefore = damageSeen().count;
  const { run, accumulators, cached, metrics } = runContext(services);
  const { sink } = task;
  let value: unknown = null;
  let recordsOut: number;
  let shuffleSizes: number[] | null = null;
  if (sink.kind === 'shuffle-write') {
    const blocks = await writeShuffle(sink, task.compute, run, services);
    recordsOut = blocks.records;
    shuffleSizes = blocks.sizes;
  } else {
    [value, recordsOut] = await act(sink.action, task, run);
  }
  return {
    value,
    shuffleSizes,
    accumulators,
    cached,
    metrics: {
      executorId: services.executorId,
      durationMs: performance.now() - started,
      recordsIn: metrics.recordsIn,
      recordsOut,
      batchesRead: metrics.batchesRead,
      corruptBatches: metrics.corruptBatches,
      corruptRecords: metrics.corruptRecords,
      shuffleReadBytes: metrics.shuffleReadBytes,
      shuffleWriteBytes: shuffleSizes ? shuffleSizes.reduce((a, b) => a + b, 0) : 0,
      damage: damageSince(damageBefore),
    },
  };
}

/** The damage this executor met since it had met `count` (as far as it keeps the latest). */
function damageSince(count: number): Damage[] {
  const { count: now, recent } = damageSeen();
  return now === count ? [] : recent.slice(Math.max(0, recent.length - (now - count)));
}

/** What a task's evaluation sees of its executor, and what it counts as it goes. */
function runContext(services: ExecutorServices) {
  const accumulators: Record<number, number> = {};
  const cached: { rddId: number; partition: number }[] = [];
  const metrics = {
    recordsIn: 0,
    batchesRead: 0,
    shuffleReadBytes: 0,
    corruptBatches: 0,
    corruptRecords: 0,
  };
  let lastSlice = performance.now();
  const run: RunContext = {
    ...services,
    putCached: (rddId, partition, records, serialized) => {
      services.putCached(rddId, partition, records, serialized);
      cached.push({ rddId, partition });
    },
    resolve: (params) => services.resolveParams(params, accumulators),
    slice: async () => {
      if (!services.sliceMs || performance.now() - lastSlice < services.sliceMs) return;
      await yieldToEventLoop();
      lastSlice = performance.now();
    },
    onCorrupt: (error) => {
      metrics.corruptBatches++;
      metrics.corruptRecords += error.records;
      services.onCorrupt(error);
    },
    metrics,
  };
  return { run, accumulators, cached, metrics };
}

/** A map task's output: its partition's records sorted (and combined) into blocks, kept here. */
async function writeShuffle(
  sink: Extract<Sink, { kind: 'shuffle-write' }>,
  compute: Compute,
  run: RunContext,
  services: ExecutorServices,
): Promise<{ records: number; sizes: number[] }> {
  const aggregation = sink.aggregation && compileAggregation(sink.aggregation, run.resolve);
  const writer = new ShuffleWriter(sink.partitioner, aggregation, sink.mapId);
  for await (const chunk of evaluate(compute, run)) {
    writer.add(chunk);
    await run.slice();
  }
  const blocks = writer.finish();
  services.putShuffle(sink.shuffleId, sink.mapId, blocks);
  return { records: writer.records, sizes: blocks.map((block) => block.byteLength) };
}

/** An action's partial result for one partition, and how many records it took in. */
async function act(
  action: Action,
  task: TaskDescription,
  run: RunContext,
): Promise<[unknown, number]> {
  if (action.kind === 'countByValue') {
    const fast = await countColumnScan(task.compute, run);
    if (fast) return fast;
  }
  const fold = folder(action, task, run);
  let records = 0;
  for await (const chunk of evaluate(task.compute, run)) {
    records += chunk.length;
    if (fold.add(chunk) === 'done') break;
    await run.slice();
  }
  return [await fold.result(), records];
}

interface Folder {
  add(chunk: unknown[]): 'more' | 'done' | void;
  result(): unknown;
}

function folder(action: Action, task: TaskDescription, run: RunContext): Folder {
  switch (action.kind) {
    case 'collect': {
      const out: unknown[] = [];
      return { add: (chunk) => void appendAll(out, chunk), result: () => out };
    }
    case 'take': {
      const out: unknown[] = [];
      return {
        add: (chunk) => (
          appendAll(out, chunk.slice(0, action.n - out.length)),
          out.length >= action.n ? 'done' : 'more'
        ),
        result: () => out,
      };
    }
    case 'count': {
      let n = 0;
      return { add: (chunk) => void (n += chunk.length), result: () => n };
    }
    case 'countByValue':
    case 'countByKey':
      return counter(action.kind === 'countByKey');
    case 'reduce': {
      const f = compileFn(action.fn, run.resolve, 2);
      const merge = (a: unknown, b: unknown) => f(a, b);
      let acc: unknown[] = [];
      return {
        add: (chunk) => {
          if (chunk.length) acc = [acc.length ? chunk.reduce(merge, acc[0]) : chunk.reduce(merge)];
        },
        result: () => acc,
      };
    }
    case 'aggregate': {
      const aggregation = compileAggregation(action.aggregation, run.resolve);
      let acc: unknown[] = aggregation.zero ? [aggregation.zero()] : [];
      return {
        add: (chunk) => {
          for (const value of chunk)
            acc = acc.length ? [aggregation.merge(acc[0], value)] : [aggregation.create(value)];
        },
        result: () => acc,
      };
    }
    case 'sample-keys':
      return sampler(action.size, task.partition);
    case 'foreach': {
      const f = compileFn(action.fn, run.resolve);
      const all: unknown[] = [];
      return action.partitionwise
        ? { add: (chunk) => void appendAll(all, chunk), result: () => void f(all) }
        : { add: (chunk) => chunk.forEach((record) => f(record)), result: () => null };
    }
    case 'save-to-log':
      return saver(action.log, action.topic);
    case 'compact-log':
      return compacter(action, run);
  }
}

/** Compacts the log partitions given as records, one after another; their figures added. */
function compacter(
  { log, topic, options }: Extract<Action, { kind: 'compact-log' }>,
  run: RunContext,
): Folder {
  const partitions: number[] = [];
  return {
    add: (chunk) => void appendAll(partitions, chunk as number[]),
    result: async () => {
      const db = await run.log(log);
      let result = NO_COMPACTION;
      for (const partition of partitions)
        result = addCompactions(result, await compact(db, topic, partition, options));
      return result;
    },
  };
}

/** Counts by value (or by key), keeping each value's own type: `[value, count]` pairs. */
function counter(byKey: boolean): Folder {
  const counts = new ByKey<number>(
    () => 1,
    (n) => n + 1,
  );
  return {
    add: (chunk) => {
      for (const record of chunk) counts.add(byKey ? (record as [unknown])[0] : record, null);
    },
    result: () => [...counts.pairs()],
  };
}

/** countByValue of one log column, counted by dictionary id without decoding a string per record. */
async function countColumnScan(
  compute: Compute,
  run: RunContext,
): Promise<[unknown, number] | null> {
  const scan = columnScanOf(compute);
  if (!scan || scan.rest.length > 0) return null;
  const counts = new Map<FieldValue, number>();
  let records = 0;
  for await (const page of scanBatches(scan.scan, run)) {
    for (const batch of page) {
      const [start, end] = recordWindow(batch, scan.scan.range);
      countColumn(batch.values[scan.scan.field], start, end, counts);
      records += end - start;
    }
    await run.slice();
  }
  run.metrics.recordsIn += records;
  return [[...counts.entries()], records];
}

/** A reservoir sample of keys, seeded by partition so a rerun samples the same. */
function sampler(size: number, partition: number): Folder {
  const sample: unknown[] = [];
  let seen = 0;
  let seed = (partition + 1) * 0x9e3779b1;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return {
    add: (chunk) => {
      for (const record of chunk) {
        const key = (record as [unknown])[0];
        if (sample.length < size) sample.push(key);
        else {
          const j = Math.floor(random() * (seen + 1));
          if (j < size) sample[j] = key;
        }
        seen++;
      }
    },
    result: () => sample,
  };
}

/** Appends a partition's records to a topic: `[key, value]` pairs are keyed; other records are values. */
function saver(log: string, topic: string): Folder {
  const producer = new Producer({ log, spillOnHide: false });
  const sends: Promise<unknown>[] = [];
  return {
    add: (chunk) => {
      for (const record of chunk) {
        const { key, value, timestamp } = toProducerRecord(record, Date.now());
        sends.push(producer.send(topic, value, key, timestamp));
      }
    },
    result: async () => {
      try {
        await producer.flush();
        await Promise.all(sends);
      } finally {
        await producer.close();
      }
      return sends.length;
    },
  };
}
