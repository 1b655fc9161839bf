import type { OffsetRange } from '../log';
import type { Aggregation } from './aggregation';
import type { AnyDataset } from './dataset';
import type { FnSpec } from './fn';
import type { Partitioner } from './partitioner';
import type { Action, LogColumns, NarrowOp } from './plan';

/** What a source is, once resolved when a job first needs it: a file's bytes, a log's ranges. */
export interface ResolvedSource {
  readonly blob?: Blob;
  readonly ranges?: readonly OffsetRange[];
}

/**
 * A shuffle: the parent's records, keyed, are redistributed by a partitioner, combined by key
 * on the map side when there is an aggregation. A range partitioner learns its bounds from a
 * sample of the keys, which the scheduler takes when the shuffle first runs.
 */
export class ShuffleDependency {
  private resolved: Partitioner | null = null;

  constructor(
    readonly shuffleId: number,
    readonly parent: AnyDataset,
    private readonly partitionerSpec: () => Partitioner,
    readonly aggregation: Aggregation | null,
  ) {}

  get partitioner(): Partitioner {
    return (this.resolved ??= this.partitionerSpec());
  }

  /** True until a range partitioner has its bounds. */
  get needsBounds(): boolean {
    const p = this.partitioner;
    return p.kind === 'range' && p.bounds.length === 0 && p.numPartitions > 1 && !this.sampled;
  }

  private sampled = false;

  setBounds(bounds: readonly unknown[]): void {
    const p = this.partitioner;
    if (p.kind === 'range') this.resolved = { ...p, bounds };
    this.sampled = true;
  }
}

/** How a dataset is computed from its parents or sources: its lineage. */
export type Lineage =
  | { readonly kind: 'parallelize'; readonly slices: readonly (readonly unknown[])[] }
  | { readonly kind: 'text'; readonly source: string | Blob; readonly minPartitions: number }
  | {
      readonly kind: 'log';
      readonly topic: string;
      readonly ranges: readonly OffsetRange[] | null;
      /** Read as rows of these columns only (`logRows`); null: whole consumer records. */
      readonly columns?: LogColumns | null;
    }
  | { readonly kind: 'narrow'; readonly parent: AnyDataset; readonly op: NarrowOp }
  | { readonly kind: 'union'; readonly parents: readonly AnyDataset[] }
  | { readonly kind: 'coalesce'; readonly parent: AnyDataset; readonly numPartitions: number }
  | { readonly kind: 'shuffled'; readonly dep: ShuffleDependency }
  | {
      readonly kind: 'cogroup';
      readonly inputs: readonly (ShuffleDependency | AnyDataset)[];
      readonly partitioner: () => Partitioner;
    };

/** A dataset's parents, each with whether it is reached through a shuffle. */
export function parentsOf(ds: AnyDataset): [AnyDataset, boolean][] {
  const l = ds.lineage;
  switch (l.kind) {
    case 'narrow':
    case 'coalesce':
      return [[l.parent, false]];
    case 'union':
      return l.parents.map((parent) => [parent, false]);
    case 'shuffled':
      return [[l.dep.parent, true]];
    case 'cogroup':
      return l.inputs.map((input) =>
        input instanceof ShuffleDependency ? [input.parent, true] : [input, false],
      );
    default:
      return [];
  }
}

/** The parent, and its partition, that partition `p` of a union is. */
export function unionPartition(parents: readonly AnyDataset[], p: number): [AnyDataset, number] {
  let offset = p;
  for (const parent of parents) {
    if (offset < parent.numPartitions) return [parent, offset];
    offset -= parent.numPartitions;
  }
  throw new RangeError(`tabstream: a union has no partition ${p}`);
}

/** The parent partitions `[from, until)` that partition `p` of a coalesced dataset merges. */
export function coalesced(parent: AnyDataset, dataset: AnyDataset, p: number): [number, number] {
  const m = parent.numPartitions;
  const n = dataset.numPartitions;
  return [Math.floor((p * m) / n), Math.floor(((p + 1) * m) / n)];
}

/** The shuffles a dataset's stage reads: its ancestors' through narrow dependencies only. */
export function shuffleDependencies(dataset: AnyDataset): ShuffleDependency[] {
  const l = dataset.lineage;
  if (l.kind === 'shuffled') return [l.dep];
  if (l.kind === 'cogroup')
    return l.inputs.flatMap((input) =>
      input instanceof ShuffleDependency ? [input] : shuffleDependencies(input),
    );
  return parentsOf(dataset).flatMap(([parent]) => shuffleDependencies(parent));
}

/** True if the job ships any inline function as source text. */
export function usesSource(dataset: AnyDataset, action: Action): boolean {
  const specs: FnSpec[] = [];
  const fromAggregation = (a: Aggregation | null) => {
    if (a?.kind === 'reduce') specs.push(a.fn);
    if (a?.kind === 'fold') specs.push(a.seq, a.comb);
  };
  const seen = new Set<AnyDataset>();
  const walk = (ds: AnyDataset) => {
    if (seen.has(ds)) return;
    seen.add(ds);
    const l = ds.lineage;
    if (l.kind === 'narrow' && 'fn' in l.op) specs.push(l.op.fn);
    if (l.kind === 'narrow' && l.op.kind === 'combine') fromAggregation(l.op.aggregation);
    if (l.kind === 'shuffled') fromAggregation(l.dep.aggregation);
    for (const [parent] of parentsOf(ds)) walk(parent);
  };
  walk(dataset);
  if ('fn' in action) specs.push(action.fn);
  if (action.kind === 'aggregate') fromAggregation(action.aggregation);
  return specs.some((spec) => spec.kind === 'source');
}
