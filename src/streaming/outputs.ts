import { toProducerRecord, type Dataset } from '../engine';
import { appendBatches, partitionForKey, partitionsOf, type ProducerRecord } from '../log';
import type { DStream } from './dstream';
import { toResult, type Result } from './checkpoint';
import { Checkpointed } from './checkpointed';
import type { AnyDStream, Output, StreamGraph } from './operator';

/** Spark's foreachRDD: `f(dataset, time)` on the driver, every batch the stream has. */
export class ForeachBatch<T> implements Output {
  readonly id: string;

  constructor(
    graph: StreamGraph,
    private readonly stream: DStream<T>,
    private readonly f: (dataset: Dataset<T>, time: number) => unknown,
  ) {
    this.id = graph.nextId('foreachBatch');
  }

  describe(): string {
    return `${this.stream.id} ${String(this.f)}`;
  }

  async run(time: number): Promise<void> {
    const dataset = await this.stream.datasetAt(time);
    if (dataset) await this.f(dataset, time);
  }
}

/** Spark's print: a batch's first `n` records, under its time. */
export class Print<T> implements Output {
  readonly id: string;

  constructor(
    graph: StreamGraph,
    private readonly stream: DStream<T>,
    private readonly n: number,
  ) {
    this.id = graph.nextId('print');
  }

  describe(): string {
    return `${this.stream.id} ${this.n}`;
  }

  async run(time: number): Promise<void> {
    const dataset = await this.stream.datasetAt(time);
    if (!dataset) return;
    const first = await dataset.take(this.n + 1);
    const lines = first.slice(0, this.n).map((record) => JSON.stringify(record));
    if (first.length > this.n) lines.push('...');
    const rule = '-'.repeat(43);
    console.log([rule, `Time: ${time} ms`, rule, ...lines, ''].join('\n'));
  }
}

/**
 * Appends each batch's records to a topic with an idempotent producer of its own, whose next
 * sequence per partition is checkpointed: a batch recomputed after a crash sends the same
 * sequences, and the log drops what it already has.
 */
export class SaveToLog<T> extends Checkpointed<readonly number[]> implements Output {
  readonly id: string;
  private readonly producerId: string;

  constructor(
    private readonly graph: StreamGraph,
    private readonly stream: DStream<T>,
    private readonly topic: string,
  ) {
    super([]);
    this.id = graph.nextId('saveToLog');
    this.producerId = `stream:${graph.checkpointId}:${this.id}`;
    graph.addStateful(this);
  }

  describe(): string {
    return `${this.stream.id} ${this.topic}`;
  }

  async run(time: number): Promise<void> {
    const values = await this.stream.valuesAt(time);
    if (!values?.length) return;
    const db = this.graph.logDB();
    const partitions = (await partitionsOf(db, this.topic)).length;
    const byPartition = Array.from({ length: partitions }, (): ProducerRecord[] => []);
    values.forEach((value, i) => {
      const record = toProducerRecord(value, time);
      const partition =
        record.key === null ? i % partitions : partitionForKey(record.key, partitions);
      byPartition[partition]!.push(record);
    });
    const sequences = [...this.last];
    const batches = byPartition.flatMap((records, partition) => {
      if (records.length === 0) return [];
      const baseSequence = sequences[partition] ?? 0;
      sequences[partition] = baseSequence + records.length;
      return [{ topic: this.topic, partition, producerId: this.producerId, baseSequence, records }];
    });
    await appendBatches(db, batches);
    this.set(sequences);
  }
}

/** What a publish keeps: the pairs as a result, or the id of the state that holds them. */
export type Published = { readonly result: Result } | { readonly state: string };

/**
 * Structured Streaming's memory sink: a batch's pairs become result `name` of the checkpoint,
 * committed with the offsets, so every tab reads exactly what the committed batches made.
 * Keys become text; a null key (a click on no link, for target URLs) is left out. The pairs of
 * a state (totals, a window kept with an inverse) are not copied: the result refers to it.
 */
export class Publish extends Checkpointed<Published> implements Output {
  readonly id: string;

  constructor(
    graph: StreamGraph,
    private readonly stream: AnyDStream,
    readonly name: string,
  ) {
    super({ result: {} });
    this.id = graph.nextId('publish');
  }

  describe(): string {
    return `${this.stream.id} ${this.name}`;
  }

  async run(time: number): Promise<void> {
    const pairs = (await this.stream.valuesAt(time)) as readonly [unknown, unknown][] | null;
    if (!pairs) return; // a window between slides: the result stands
    const state = this.stream.operator.outputState;
    this.set(state === undefined ? { result: toResult(pairs) } : { state });
  }
}
