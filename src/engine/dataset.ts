import { appendAll } from '../shared';
import { Aggregator, compileAggregation, type Aggregation } from './aggregation';
import { Op, op } from './expr';
import { compileFn, toFnSpec, type FnLike, type NamedFn } from './fn';
import { ByKey } from './by-key';
import { samePartitioner, type Partitioner } from './partitioner';
import { ShuffleDependency, parentsOf, type Lineage, type ResolvedSource } from './lineage';
import type { Action, NarrowOp, TaskOutcome } from './plan';

/** A dataset of any record type, as lineage and the scheduler refer to it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDataset = Dataset<any>;

/** Where a persisted dataset keeps its partitions: executor memory, as objects or as bytes. */
export type StorageLevel = 'MEMORY_ONLY' | 'MEMORY_ONLY_SER';

/** What a dataset needs of its context (the driver): ids, jobs, and functions on the driver. */
export interface Driver {
  readonly log: string;
  readonly defaultParallelism: number;
  nextDatasetId(): number;
  nextShuffleId(): number;
  runJob(
    dataset: AnyDataset,
    action: Action,
    description: string,
    partitions?: readonly number[],
  ): Promise<TaskOutcome[]>;
  /** Params as the driver's own functions (merging partitions' results) see them. */
  readonly resolve: (params: unknown) => unknown;
  unpersist(dataset: AnyDataset): Promise<void>;
  /** Notes a persisted dataset, to drop its cached partitions once it is garbage-collected. */
  persisting(dataset: AnyDataset): void;
  /** A source dataset's file bytes or log ranges, once `prepare` resolved them. */
  sourceOf(dataset: AnyDataset): ResolvedSource | undefined;
  /** Resolves a dataset's sources (a log's ranges, a file's bytes), as a job does first. */
  prepare(dataset: AnyDataset): Promise<void>;
  /** Datasets registered as SQL's temporary views, by name. */
  readonly tempViews: Map<string, AnyDataset>;
}

/** What an operator or a named function returns: its type is not known statically. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** A function of the record, written inline (shipped as source), by name, or as an operator. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn1<T, U> = ((record: T, params: any) => U) | Op | NamedFn;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn2<A, B, U> = ((a: A, b: B, params: any) => U) | Op | NamedFn;

/** Spark's "empty collection" failure of reduce and first. */
export class EmptyCollectionError extends Error {
  override name = 'EmptyCollectionError';
}

/**
 * Spark's RDD: an immutable, partitioned collection, computed lazily from its lineage.
 * Transformations return new datasets and run nothing; actions run a job on the executors and
 * resolve with its result. Functions cross to executors as data (see `FnSpec`).
 * Guarantees: an action sees every record of every partition once, whatever executors fail on
 * the way (lost work is recomputed from lineage); a partition of a persisted dataset is
 * computed once per executor that keeps it, until `unpersist`.
 */
export class Dataset<T> {
  readonly id: number;
  name: string;
  storageLevel: StorageLevel | null = null;

  /**
   * @param partitionerOf how keys are placed, when the dataset is partitioned by key: read
   * when asked, as it may depend on partition counts known only once sources are resolved.
   */
  constructor(
    readonly context: Driver,
    readonly lineage: Lineage,
    private readonly partitionerOf: (() => Partitioner | null) | null,
    name: string,
  ) {
    this.id = context.nextDatasetId();
    this.name = name;
  }

  /** How keys are placed, if the dataset is partitioned by key (Spark's `partitioner`). */
  get partitioner(): Partitioner | null {
    return this.partitionerOf?.() ?? null;
  }

  /** The partitioner, or null while it depends on a source not yet resolved. */
  private knownPartitioner(): Partitioner | null {
    try {
      return this.partitioner;
    } catch {
      return null;
    }
  }

  /** The number of partitions; throws for a source not yet resolved (see `getNumPartitions`). */
  get numPartitions(): number {
    const l = this.lineage;
    switch (l.kind) {
      case 'parallelize':
        return l.slices.length;
      case 'text':
        return l.minPartitions;
      case 'log':
        return (l.ranges ?? this.context.sourceOf(this)?.ranges ?? unresolved(this)).length;
      case 'narrow':
        return l.parent.numPartitions;
      case 'union':
        return l.parents.reduce((n, parent) => n + parent.numPartitions, 0);
      case 'coalesce':
        return Math.min(l.numPartitions, l.parent.numPartitions);
      case 'shuffled':
        return l.dep.partitioner.numPartitions;
      case 'cogroup':
        return l.partitioner().numPartitions;
    }
  }

  // --- Transformations: lazy, each a new dataset. ---

  /** Each record, as `f(record, params)` returns it. */
  map<U = Any>(f: Fn1<T, U>, params?: unknown): Dataset<U> {
    return this.narrow({ kind: 'map', fn: toFnSpec(f, params) }, 'map');
  }

  /** The records for which `f(record, params)` is truthy; keeps the partitioner. */
  filter(f: Fn1<T, unknown>, params?: unknown): Dataset<T> {
    return this.narrow({ kind: 'filter', fn: toFnSpec(f, params) }, 'filter', true);
  }

  /** The items of the iterable `f(record, params)` returns for each record. */
  flatMap<U = Any>(f: Fn1<T, Iterable<U>>, params?: unknown): Dataset<U> {
    return this.narrow({ kind: 'flatMap', fn: toFnSpec(f, params) }, 'flatMap');
  }

  /** Calls `f` once per partition with all its records (an array); `f` returns an iterable. */
  mapPartitions<U = Any>(f: Fn1<T[], Iterable<U>>, params?: unknown): Dataset<U> {
    return this.narrow({ kind: 'mapPartitions', fn: toFnSpec(f, params) }, 'mapPartitions');
  }

  /** `[f(record, params), record]` pairs. */
  keyBy<K = Any>(f: Fn1<T, K>, params?: unknown): Dataset<[K, T]> {
    return this.narrow({ kind: 'keyBy', fn: toFnSpec(f, params) }, 'keyBy');
  }

  /** Each pair's value mapped by `f`, its key kept; keeps the partitioner. */
  mapValues<K, V, U = Any>(this: Dataset<[K, V]>, f: Fn1<V, U>, params?: unknown): Dataset<[K, U]> {
    return this.narrow({ kind: 'mapValues', fn: toFnSpec(f, params) }, 'mapValues', true);
  }

  reduceByKey<K, V>(
    this: Dataset<[K, V]>,
    f: Fn2<V, V, V>,
    params?: unknown,
    numPartitions?: number,
  ): Dataset<[K, V]> {
    return this.combineByKey(
      { kind: 'reduce', fn: toFnSpec(f, params) },
      'reduceByKey',
      numPartitions,
    );
  }

  /** Each key with all its values (combined into lists before the shuffle). */
  groupByKey<K, V>(this: Dataset<[K, V]>, numPartitions?: number): Dataset<[K, V[]]> {
    return this.combineByKey({ kind: 'list' }, 'groupByKey', numPartitions);
  }

  /**
   * Aggregates values by key: with a built-in aggregator (`agg.avg()`, ...), or from a zero
   * value with `seq` (combiner, value) and `comb` (combiner, combiner), as in Spark.
   */
  aggregateByKey<K, V, U>(
    this: Dataset<[K, V]>,
    aggregator: Aggregator,
    numPartitions?: number,
  ): Dataset<[K, U]>;
  aggregateByKey<K, V, U>(
    this: Dataset<[K, V]>,
    zero: U,
    seq: Fn2<U, V, U>,
    comb: Fn2<U, U, U>,
    params?: unknown,
    numPartitions?: number,
  ): Dataset<[K, U]>;
  aggregateByKey<K, V, U>(this: Dataset<[K, V]>, ...args: unknown[]): Dataset<[K, U]> {
    const [aggregation, numPartitions] = aggregationOf(args);
    return this.combineByKey(aggregation, 'aggregateByKey', numPartitions);
  }

  /** Each record once (records equal as their JSON text is). */
  distinct(numPartitions?: number): Dataset<T> {
    return this.map<[T, null]>(op.pair(op.record(), null))
      .reduceByKey(new Op(['arg', 0]), undefined, numPartitions)
      .map<T>(op.key());
  }

  join<K, V, W>(
    this: Dataset<[K, V]>,
    other: Dataset<[K, W]>,
    numPartitions?: number,
  ): Dataset<[K, [V, W]]> {
    return this.cogroup(other, numPartitions).narrow(
      { kind: 'join', outer: 'inner' },
      'join',
      true,
    );
  }

  leftOuterJoin<K, V, W>(
    this: Dataset<[K, V]>,
    other: Dataset<[K, W]>,
    numPartitions?: number,
  ): Dataset<[K, [V, W | null]]> {
    return this.cogroup(other, numPartitions).narrow(
      { kind: 'join', outer: 'left' },
      'leftOuterJoin',
      true,
    );
  }

  /** Groups both datasets' values by key: `[key, [values here, values there]]`. */
  cogroup<K, V, W>(
    this: Dataset<[K, V]>,
    other: Dataset<[K, W]>,
    numPartitions?: number,
  ): Dataset<[K, [V[], W[]]]> {
    const mine = this.knownPartitioner();
    const known = numPartitions === undefined && mine?.kind === 'hash' ? mine : null;
    const target = (): Partitioner =>
      known ?? hash(numPartitions ?? Math.max(this.numPartitions, other.numPartitions));
    const inputs = [this, other].map((input: AnyDataset) =>
      known && samePartitioner(input.knownPartitioner(), known)
        ? input.narrow({ kind: 'combine', aggregation: { kind: 'list' } }, 'groupByKey', true)
        : new ShuffleDependency(this.context.nextShuffleId(), input, target, { kind: 'list' }),
    );
    return new Dataset(
      this.context,
      { kind: 'cogroup', inputs, partitioner: target },
      target,
      'cogroup',
    );
  }

  /** This dataset's partitions, then each other's: no shuffle, duplicates kept. */
  union(...others: Dataset<T>[]): Dataset<T> {
    return new Dataset(this.context, { kind: 'union', parents: [this, ...others] }, null, 'union');
  }

  /**
   * The records ordered by `f(record)`, across partitions (partition i's keys all come before
   * partition i+1's): keys are sampled for range bounds, then shuffled and sorted.
   */
  sortBy<K>(f: Fn1<T, K>, ascending = true, numPartitions?: number, params?: unknown): Dataset<T> {
    const keyed = this.keyBy(f, params);
    const dep = new ShuffleDependency(
      this.context.nextShuffleId(),
      keyed,
      () => ({
        kind: 'range',
        numPartitions: numPartitions ?? keyed.numPartitions,
        ascending,
        bounds: [],
      }),
      null,
    );
    return new Dataset<[K, T]>(this.context, { kind: 'shuffled', dep }, null, 'sortBy')
      .narrow({ kind: 'sortByKey', ascending }, 'sortBy')
      .map<T>(op.value());
  }

  /** Redistributes the records evenly over `numPartitions` partitions, with a shuffle. */
  repartition(numPartitions: number): Dataset<T> {
    const dep = new ShuffleDependency(
      this.context.nextShuffleId(),
      this,
      () => ({ kind: 'round-robin', numPartitions }),
      null,
    );
    return new Dataset(this.context, { kind: 'shuffled', dep }, null, 'repartition');
  }

  /** Fewer partitions, by merging neighbours (no shuffle), or by `repartition` if `shuffle`. */
  coalesce(numPartitions: number, shuffle = false): Dataset<T> {
    if (shuffle) return this.repartition(numPartitions);
    return new Dataset(
      this.context,
      { kind: 'coalesce', parent: this, numPartitions },
      null,
      'coalesce',
    );
  }

  // --- Persistence. ---

  /** Keeps computed partitions in the executors that computed them (Spark's MEMORY_ONLY). */
  cache(): this {
    return this.persist('MEMORY_ONLY');
  }

  /**
   * Keeps computed partitions where they were computed.
   * - must throw for a level other than MEMORY_ONLY and MEMORY_ONLY_SER;
   * - must drop them once this dataset is garbage-collected, or at `unpersist()`.
   */
  persist(level: StorageLevel = 'MEMORY_ONLY'): this {
    if (level !== 'MEMORY_ONLY' && level !== 'MEMORY_ONLY_SER')
      throw new TypeError(
        `tabstream: storage level ${String(level)} is not supported; use MEMORY_ONLY or MEMORY_ONLY_SER`,
      );
    this.storageLevel = level;
    this.context.persisting(this);
    return this;
  }

  /** Drops the cached partitions from every executor. */
  async unpersist(): Promise<this> {
    this.storageLevel = null;
    await this.context.unpersist(this);
    return this;
  }

  /**
   * Registers this dataset as a temporary view SQL queries can name (Spark's name): its
   * records' fields are the columns (from its first record), or one column `value`.
   * - must replace a view of the same name (names are case-insensitive, as SQL's).
   */
  createOrReplaceTempView(name: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new TypeError(`tabstream: a view's name is letters, digits and _, not "${name}"`);
    this.context.tempViews.set(name.toLowerCase(), this);
  }

  setName(name: string): this {
    this.name = name;
    return this;
  }

  // --- Actions: each runs a job. ---

  /**
   * Every record, in partition order.
   * - must reject with JobFailedError when a task failed 4 times, or at once with an error no
   *   retry can fix (TaskNotSerializableError, UnknownFunctionError), naming task and stage;
   *   every other action does the same.
   */
  async collect(): Promise<T[]> {
    return (await this.values({ kind: 'collect' }, 'collect')).flat() as T[];
  }

  /** How many records; of a log's offset ranges, their sizes, with no read (as Spark's KafkaRDD). */
  async count(): Promise<number> {
    const l = this.lineage;
    if (l.kind === 'log' && l.ranges)
      return l.ranges.reduce((n, r) => n + r.untilOffset - r.fromOffset, 0);
    return (await this.values({ kind: 'count' }, 'count')).reduce<number>(
      (a, b) => a + (b as number),
      0,
    );
  }

  /** The first `n` records, reading as few partitions as it can (one, then more). */
  async take(n: number): Promise<T[]> {
    const out: T[] = [];
    await this.context.prepare(this);
    const total = this.numPartitions;
    let scanned = 0;
    while (out.length < n && scanned < total) {
      const batch = Math.min(total - scanned, scanned === 0 ? 1 : scanned * 4);
      const partitions = Array.from({ length: batch }, (_, i) => scanned + i);
      const results = await this.context.runJob(
        this,
        { kind: 'take', n: n - out.length },
        'take',
        partitions,
      );
      for (const { value } of results) appendAll(out, (value as T[]).slice(0, n - out.length));
      scanned += batch;
    }
    return out;
  }

  /** The first record; must reject with EmptyCollectionError for an empty dataset. */
  async first(): Promise<T> {
    const taken = await this.take(1);
    if (taken.length === 0)
      throw new EmptyCollectionError('tabstream: first() of an empty dataset');
    return taken[0]!;
  }

  /**
   * The records combined by `f(a, b, params)`, which must be associative and commutative.
   * - must reject with EmptyCollectionError for an empty dataset.
   */
  async reduce(f: Fn2<T, T, T>, params?: unknown): Promise<T> {
    const spec = toFnSpec(f, params);
    const parts = (await this.values({ kind: 'reduce', fn: spec }, 'reduce')).flat() as T[];
    if (parts.length === 0)
      throw new EmptyCollectionError('tabstream: reduce() of an empty dataset');
    const merge = compileFn(spec, this.context.resolve, 2);
    return parts.reduce((a, b) => merge(a, b) as T);
  }

  /** As Spark's fold: each partition folded from `zero`, then the results from `zero` again. */
  async fold(zero: T, f: Fn2<T, T, T>, params?: unknown): Promise<T> {
    const spec = toFnSpec(f, params);
    return this.aggregateWith({ kind: 'fold', zero, seq: spec, comb: spec }) as Promise<T>;
  }

  aggregate<U>(aggregator: Aggregator): Promise<U>;
  aggregate<U>(zero: U, seq: Fn2<U, T, U>, comb: Fn2<U, U, U>, params?: unknown): Promise<U>;
  async aggregate<U>(...args: unknown[]): Promise<U> {
    const [aggregation] = aggregationOf(args);
    return this.aggregateWith(aggregation) as Promise<U>;
  }

  /** How many times each record occurs (records equal as their JSON text is). */
  async countByValue(): Promise<Map<T, number>> {
    return mergeCounts(await this.values({ kind: 'countByValue' }, 'countByValue')) as Map<
      T,
      number
    >;
  }

  /** How many pairs each key has. */
  async countByKey<K>(this: Dataset<[K, unknown]>): Promise<Map<K, number>> {
    return mergeCounts(await this.values({ kind: 'countByKey' }, 'countByKey')) as Map<K, number>;
  }

  /** Runs `f` on every record, in the executors (for accumulators and other side effects). */
  async foreach(f: Fn1<T, unknown>, params?: unknown): Promise<void> {
    await this.values(
      { kind: 'foreach', fn: toFnSpec(f, params), partitionwise: false },
      'foreach',
    );
  }

  /** Runs `f` once per partition with all its records, in the executors. */
  async foreachPartition(f: Fn1<T[], unknown>, params?: unknown): Promise<void> {
    await this.values(
      { kind: 'foreach', fn: toFnSpec(f, params), partitionwise: true },
      'foreachPartition',
    );
  }

  /**
   * Appends every record to a topic of the log, from the executors: a `[key, value]` pair is
   * keyed, an object is the value, and any other value becomes `{ value }`. Resolves with the
   * number of records appended. At least once: a task retried after its records were appended
   * appends them again.
   */
  async saveToLog(topic: string): Promise<number> {
    const saved = await this.values(
      { kind: 'save-to-log', log: this.context.log, topic },
      'saveToLog',
    );
    return saved.reduce<number>((a, b) => a + (b as number), 0);
  }

  /** The lineage, one dataset per line, indented at each shuffle: Spark's `toDebugString`. */
  toDebugString(): string {
    const lines: string[] = [];
    const walk = (ds: AnyDataset, depth: number, prefix: string) => {
      const cached = ds.storageLevel ? ` [${ds.storageLevel}]` : '';
      lines.push(
        `${'  '.repeat(depth)}${prefix}(${ds.partitionsText()}) ${ds.name} [${ds.id}]${cached}`,
      );
      for (const [parent, shuffle] of parentsOf(ds))
        walk(parent, shuffle ? depth + 1 : depth, shuffle ? '+-' : '| ');
    };
    walk(this, 0, '');
    return lines.join('\n');
  }

  /** The number of partitions, resolving the sources first (a log's ranges, a file's size). */
  async getNumPartitions(): Promise<number> {
    await this.context.prepare(this);
    return this.numPartitions;
  }

  /** A narrow transformation of this dataset; `keepsPartitioner` for those that keep keys. */
  narrow<U>(narrowOp: NarrowOp, name: string, keepsPartitioner = false): Dataset<U> {
    return new Dataset<U>(
      this.context,
      { kind: 'narrow', parent: this, op: narrowOp },
      keepsPartitioner ? () => this.partitioner : null,
      name,
    );
  }

  private combineByKey<U>(
    aggregation: Aggregation,
    name: string,
    numPartitions?: number,
  ): Dataset<U> {
    const mine = this.knownPartitioner();
    const n = numPartitions ?? (mine?.kind === 'hash' ? mine.numPartitions : null);
    if (n !== null && samePartitioner(mine, hash(n)))
      return this.narrow({ kind: 'combine', aggregation }, name, true);
    const target = () => hash(n ?? this.numPartitions);
    const dep = new ShuffleDependency(this.context.nextShuffleId(), this, target, aggregation);
    return new Dataset(this.context, { kind: 'shuffled', dep }, () => dep.partitioner, name);
  }

  private async values(action: Action, name: string): Promise<unknown[]> {
    const results = await this.context.runJob(this, action, `${name} at dataset ${this.id}`);
    return results.map((result) => result.value);
  }

  /** Runs an aggregation per partition, then combines the partitions' results, as Spark does. */
  private async aggregateWith(aggregation: Aggregation): Promise<unknown> {
    const parts = (await this.values({ kind: 'aggregate', aggregation }, 'aggregate')).flat();
    const { combine, finish, zero, empty } = compileAggregation(aggregation, this.context.resolve);
    if (zero) return parts.reduce((a, b) => combine(a, b), zero());
    return parts.length ? finish(parts.reduce((a, b) => combine(a, b))) : empty;
  }

  private partitionsText(): string {
    try {
      return String(this.numPartitions);
    } catch {
      return '?';
    }
  }
}

function unresolved(dataset: AnyDataset): never {
  throw new Error(
    `tabstream: dataset ${dataset.id}: its log ranges are read when a job first runs`,
  );
}

const hash = (numPartitions: number): Partitioner => ({ kind: 'hash', numPartitions });

function aggregationOf(args: unknown[]): [Aggregation, number | undefined] {
  if (args[0] instanceof Aggregator) {
    const { name, expr } = args[0];
    return [{ kind: 'builtin', name, expr }, args[1] as number | undefined];
  }
  const [zero, seq, comb, params, numPartitions] = args as [
    unknown,
    FnLike,
    FnLike,
    unknown,
    number | undefined,
  ];
  return [
    { kind: 'fold', zero, seq: toFnSpec(seq, params), comb: toFnSpec(comb, params) },
    numPartitions,
  ];
}

function mergeCounts(parts: unknown[]): Map<unknown, number> {
  const merged = new ByKey(
    (n) => n as number,
    (total, n) => total + (n as number),
  );
  for (const part of parts)
    for (const [value, n] of part as [unknown, number][]) merged.add(value, n);
  return new Map(merged.pairs());
}
