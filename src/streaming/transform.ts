import type { Dataset } from '../engine';
import type { AnyDStream, Generated, Operator } from './operator';

/**
 * A transformation of each batch's dataset (map, filter, reduceByKey, transform...): runs on
 * the executors, lazily, when an output needs the batch.
 */
export class DatasetTransform<T, U> implements Operator<U> {
  readonly parents: readonly AnyDStream[];
  readonly replayable: boolean;

  constructor(
    readonly kind: string,
    parent: AnyDStream,
    private readonly args: string,
    private readonly f: (dataset: Dataset<T>, time: number) => Dataset<U>,
  ) {
    this.parents = [parent];
    this.replayable = parent.replayable;
  }

  describe(): string {
    return this.args;
  }

  async compute(time: number): Promise<Dataset<U> | null> {
    const dataset = await this.parents[0]!.datasetAt(time);
    return dataset && this.f(dataset as Dataset<T>, time);
  }
}

/** An action on each batch's dataset whose result stays on the driver (count, countByValue). */
export class DriverAction<T, U> implements Operator<U> {
  readonly parents: readonly AnyDStream[];
  readonly replayable: boolean;

  constructor(
    readonly kind: string,
    parent: AnyDStream,
    private readonly action: (dataset: Dataset<T>) => Promise<readonly U[]>,
  ) {
    this.parents = [parent];
    this.replayable = parent.replayable;
  }

  describe(): string {
    return '';
  }

  async compute(time: number): Promise<readonly U[] | null> {
    const dataset = await this.parents[0]!.datasetAt(time);
    return dataset && this.action(dataset as Dataset<T>);
  }
}

/** A function of each batch's values on the driver, for small streams (state, windows). */
export class DriverMap<T, U> implements Operator<U> {
  readonly parents: readonly AnyDStream[];
  readonly replayable: boolean;

  constructor(
    readonly kind: string,
    parent: AnyDStream,
    private readonly f: (values: readonly T[]) => readonly U[],
  ) {
    this.parents = [parent];
    this.replayable = parent.replayable;
  }

  describe(): string {
    return '';
  }

  async compute(time: number): Promise<readonly U[] | null> {
    const values = await this.parents[0]!.valuesAt(time);
    return values && this.f(values as readonly T[]);
  }
}

/** The batches of several streams as one (Spark's union): each batch, their datasets' union. */
export class Union<T> implements Operator<T> {
  readonly kind = 'union';
  readonly replayable: boolean;

  constructor(readonly parents: readonly AnyDStream[]) {
    this.replayable = parents.every((parent) => parent.replayable);
  }

  describe(): string {
    return '';
  }

  async compute(time: number): Promise<Generated<T> | null> {
    const all = await Promise.all(this.parents.map((parent) => parent.datasetAt(time)));
    const present = all.filter((dataset) => dataset !== null) as Dataset<T>[];
    if (present.length === 0) return null;
    return present.length === 1 ? present[0]! : present[0]!.union(...present.slice(1));
  }
}
