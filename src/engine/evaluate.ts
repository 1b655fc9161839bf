import {
  consumerRecordAt,
  columnValue,
  fetchBatches,
  recordWindow,
  type CorruptRecordError,
  type FetchOptions,
  type LogDB,
  type OffsetRange,
  type RecordBatch,
} from '../log';
import { appendAll } from '../shared';
import { compileAggregation } from './aggregation';
import { fieldPathOf } from './expr';
import { compileFn } from './fn';
import { ByKey } from './by-key';
import { compareKeys } from './partitioner';
import type { Compute, LogColumns, NarrowOp } from './plan';
import { readShuffle } from './shuffle';
import { readLines } from './text-file';

/** A running task, as the evaluator sees it: where to read from, and what to count. */
export interface RunContext {
  readonly pageSize: number;
  readonly log: (name: string) => Promise<LogDB>;
  readonly fetchShuffle: (
    shuffleId: number,
    partition: number,
    locations: readonly string[],
  ) => Promise<Uint8Array[]>;
  readonly getCached: (rddId: number, partition: number) => unknown[] | undefined;
  readonly putCached: (
    rddId: number,
    partition: number,
    records: unknown[],
    serialized: boolean,
  ) => void;
  readonly resolve: (params: unknown) => unknown;
  /** Gives the thread back now and then (on the main thread only). */
  readonly slice: () => Promise<void>;
  readonly onCorrupt: (error: CorruptRecordError) => void;
  metrics: { recordsIn: number; batchesRead: number; shuffleReadBytes: number };
}

/** Records per chunk of shipped data: small enough to slice, large enough to be cheap. */
const CHUNK = 4096;

/** A log range read as one column: what `fromLog(...).map(op.field('value.x'))` reads. */
export interface ColumnScan {
  readonly log: string;
  readonly range: OffsetRange;
  readonly field: string;
}

/** The column scan a compute starts with, if it reads one value field of a log range. */
export function columnScanOf(
  compute: Compute,
): { scan: ColumnScan; rest: readonly NarrowOp[] } | null {
  if (compute.kind !== 'ops' || compute.input.kind !== 'log' || compute.input.columns) return null;
  const first = compute.ops[0];
  if (first?.kind !== 'map' || first.fn.kind !== 'op') return null;
  const path = fieldPathOf(first.fn.expr);
  if (path?.length !== 2 || path[0] !== 'value') return null;
  const { log, range } = compute.input;
  return { scan: { log, range, field: path[1]! }, rest: compute.ops.slice(1) };
}

/** Reads a column scan's batches, with only the column's chunk (and the headers). */
export async function* scanBatches(
  scan: ColumnScan,
  run: RunContext,
): AsyncGenerator<RecordBatch[]> {
  yield* logBatches(scan.log, scan.range, { fields: [scan.field], timestamps: false }, run);
}

/** A log range's record batches, read with the executor's page size, counted in the metrics. */
async function* logBatches(
  log: string,
  range: OffsetRange,
  options: FetchOptions,
  run: RunContext,
): AsyncGenerator<RecordBatch[]> {
  const db = await run.log(log);
  const read = { ...options, pageSize: run.pageSize, onCorrupt: run.onCorrupt };
  for await (const page of fetchBatches(db, range, read)) {
    run.metrics.batchesRead += page.length;
    yield page;
  }
}

/**
 * Computes a partition as a stream of record chunks.
 * - must yield every record of the partition once, in the order of its sources;
 * - must count the records it reads from sources in `metrics.recordsIn`.
 */
export async function* evaluate(compute: Compute, run: RunContext): AsyncGenerator<unknown[]> {
  switch (compute.kind) {
    case 'parallelize':
      for (let i = 0; i < compute.data.length; i += CHUNK)
        yield counted(compute.data.slice(i, i + CHUNK), run);
      return;
    case 'text':
      for await (const lines of readLines(compute.blob, compute.start, compute.end))
        yield counted(lines, run);
      return;
    case 'log':
      yield* compute.columns
        ? readRows(compute.log, compute.range, compute.columns, run)
        : readLog(compute.log, compute.range, run);
      return;
    case 'shuffle':
      yield counted(await readBlocks(compute, run), run);
      return;
    case 'ops': {
      const scan = columnScanOf(compute);
      const input = scan ? readColumn(scan.scan, run) : evaluate(compute.input, run);
      yield* applyOps(input, scan ? scan.rest : compute.ops, run);
      return;
    }
    case 'union':
      for (const input of compute.inputs) yield* evaluate(input, run);
      return;
    case 'cogroup':
      yield await cogroup(compute.inputs, run);
      return;
    case 'cached':
      yield* cached(compute, run);
  }
}

function counted<T>(records: T[], run: RunContext): T[] {
  run.metrics.recordsIn += records.length;
  return records;
}

async function* readLog(
  log: string,
  range: OffsetRange,
  run: RunContext,
): AsyncGenerator<unknown[]> {
  for await (const page of logBatches(log, range, { fields: 'all', keys: true }, run)) {
    const records = [];
    for (const batch of page) {
      const [start, end] = recordWindow(batch, range);
      for (let i = start; i < end; i++) records.push(consumerRecordAt(batch, i));
    }
    yield counted(records, run);
  }
}

async function* readRows(
  log: string,
  range: OffsetRange,
  columns: LogColumns,
  run: RunContext,
): AsyncGenerator<unknown[]> {
  const { names } = columns;
  const fields = names.filter((name): name is string => name !== null && !META_COLUMNS.has(name));
  const options = { fields, keys: names.includes('_key'), timestamps: true };
  const slots = names.flatMap((name, slot) => (name === null ? [] : [slot]));
  const min = columns.minTimestamp ?? -Infinity;
  for await (const page of logBatches(log, range, options, run)) {
    const rows = [];
    for (const batch of page) {
      if (batch.maxTimestamp < min) continue;
      const [start, end] = recordWindow(batch, range);
      const read = slots.map((slot) => columnReader(batch, names[slot]!));
      for (let i = start; i < end; i++) {
        const row = new Array<unknown>(names.length).fill(null);
        for (let c = 0; c < slots.length; c++) row[slots[c]!] = read[c]!(i);
        rows.push(row);
      }
    }
    yield counted(rows, run);
  }
}

const META_COLUMNS = new Set(['_partition', '_offset', '_timestamp', '_key']);

/** Reads one column of a batch by record index. */
function columnReader(batch: RecordBatch, name: string): (i: number) => unknown {
  switch (name) {
    case '_partition':
      return () => batch.partition;
    case '_offset':
      return (i) => batch.baseOffset + i;
    case '_timestamp':
      return (i) => batch.timestamps![i];
    case '_key':
      return (i) => (batch.keys ? columnValue(batch.keys, i) : null);
    default: {
      const column = batch.values[name];
      return column ? (i) => columnValue(column, i) : () => null;
    }
  }
}

async function* readColumn(scan: ColumnScan, run: RunContext): AsyncGenerator<unknown[]> {
  for await (const page of scanBatches(scan, run)) {
    const values = [];
    for (const batch of page) {
      const [start, end] = recordWindow(batch, scan.range);
      const column = batch.values[scan.field];
      for (let i = start; i < end; i++) values.push(column ? columnValue(column, i) : null);
    }
    yield counted(values, run);
  }
}

async function readBlocks(compute: Extract<Compute, { kind: 'shuffle' }>, run: RunContext) {
  const blocks = await run.fetchShuffle(compute.shuffleId, compute.partition, compute.locations);
  for (const block of blocks) run.metrics.shuffleReadBytes += block.byteLength;
  const aggregation = compute.aggregation && compileAggregation(compute.aggregation, run.resolve);
  return readShuffle(blocks, aggregation);
}

async function* applyOps(
  input: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  ops: readonly NarrowOp[],
  run: RunContext,
): AsyncGenerator<unknown[]> {
  if (ops.length === 0) {
    for await (const chunk of input) yield chunk;
    return;
  }
  const wholeAt = ops.findIndex((op) => !perRecord(op));
  if (wholeAt === -1) {
    const steps = ops.map((op) => compileStep(op, run));
    for await (let chunk of input) {
      for (const step of steps) chunk = step(chunk);
      yield chunk;
      await run.slice();
    }
    return;
  }
  const before = applyOps(input, ops.slice(0, wholeAt), run);
  const all: unknown[] = [];
  for await (const chunk of before) for (const record of chunk) all.push(record);
  const whole = wholePartition(ops[wholeAt]!, all, run);
  yield* applyOps([whole], ops.slice(wholeAt + 1), run);
}

const perRecord = (op: NarrowOp): boolean =>
  op.kind === 'map' ||
  op.kind === 'filter' ||
  op.kind === 'flatMap' ||
  op.kind === 'mapValues' ||
  op.kind === 'keyBy' ||
  op.kind === 'join';

type Step = (chunk: unknown[]) => unknown[];

function compileStep(op: NarrowOp, run: RunContext): Step {
  if (op.kind === 'join')
    return (chunk) => chunk.flatMap((group) => joined(group as Grouped, op.outer));
  const f = compileFn((op as { fn: Parameters<typeof compileFn>[0] }).fn, run.resolve);
  switch (op.kind) {
    case 'map':
      return (chunk) => chunk.map((record) => f(record));
    case 'filter':
      return (chunk) => chunk.filter((record) => f(record));
    case 'keyBy':
      return (chunk) => chunk.map((record) => [f(record), record]);
    case 'mapValues':
      return (chunk) =>
        chunk.map((pair) => [(pair as [unknown])[0], f((pair as [unknown, unknown])[1])]);
    default:
      return (chunk) => {
        const out: unknown[] = [];
        for (const record of chunk)
          for (const item of f(record) as Iterable<unknown>) out.push(item);
        return out;
      };
  }
}

function wholePartition(op: NarrowOp, records: unknown[], run: RunContext): unknown[] {
  switch (op.kind) {
    case 'mapPartitions':
      return Array.from(compileFn(op.fn, run.resolve)(records) as Iterable<unknown>);
    case 'combine': {
      const { create, merge, finish } = compileAggregation(op.aggregation, run.resolve);
      const combined = new ByKey(create, merge);
      for (const [key, value] of records as [unknown, unknown][]) combined.add(key, value);
      return Array.from(combined.pairs(), ([key, c]) => [key, finish(c)]);
    }
    case 'sortByKey': {
      const sorted = records.sort((a, b) => compareKeys((a as [unknown])[0], (b as [unknown])[0]));
      return op.ascending ? sorted : sorted.reverse();
    }
    default:
      throw new Error(`tabstream: ${op.kind} is not a whole-partition operator`);
  }
}

/** `[key, [values of input 0, values of input 1]]`, as cogroup makes it. */
type Grouped = [unknown, [unknown[], unknown[]]];

function joined([key, [left, right]]: Grouped, outer: 'inner' | 'left'): unknown[] {
  const out: unknown[] = [];
  for (const v of left) {
    if (right.length === 0 && outer === 'left') out.push([key, [v, null]]);
    for (const w of right) out.push([key, [v, w]]);
  }
  return out;
}

/** Groups inputs of `[key, values[]]` pairs by key: `[key, [values of each input]]`. */
async function cogroup(inputs: readonly Compute[], run: RunContext): Promise<unknown[]> {
  type From = [number, unknown[]]; // an input's index, and values of a key there
  const into = (group: unknown[][], [i, values]: From) => (appendAll(group[i]!, values), group);
  const groups = new ByKey<unknown[][]>(
    (from) =>
      into(
        inputs.map(() => []),
        from as From,
      ),
    (group, from) => into(group, from as From),
  );
  for (const [i, input] of inputs.entries()) {
    for await (const chunk of evaluate(input, run))
      for (const [key, values] of chunk as [unknown, unknown[]][]) groups.add(key, [i, values]);
  }
  return [...groups.pairs()];
}

async function* cached(
  compute: Extract<Compute, { kind: 'cached' }>,
  run: RunContext,
): AsyncGenerator<unknown[]> {
  const hit = run.getCached(compute.rddId, compute.partition);
  if (hit) {
    for (let i = 0; i < hit.length; i += CHUNK) yield counted(hit.slice(i, i + CHUNK), run);
    return;
  }
  const records: unknown[] = [];
  for await (const chunk of evaluate(compute.input, run)) {
    for (const record of chunk) records.push(record);
    yield chunk;
  }
  run.putCached(compute.rddId, compute.partition, records, compute.serialized);
}
