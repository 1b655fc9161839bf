import type { AnyDataset } from '../engine';
import type { AggregateSpec, Bound, SortKey, WindowGroupSpec } from './bound';

/**
 * A query's logical plan: what the analyzer makes and the planner runs as datasets. Each node
 * yields rows (arrays) of `widthOf(node)` slots.
 */
export type Plan =
  | {
      readonly kind: 'scan';
      readonly topic: string;
      /** The table's columns, in slot order. */
      readonly names: readonly string[];
      /** The slots some expression reads: the scan reads only these columns. */
      readonly used: Set<number>;
      /** Batches all older than this are skipped (a `WHERE _timestamp >= …` bound). */
      minTimestamp: number | null;
    }
  | {
      readonly kind: 'view';
      readonly name: string;
      readonly dataset: AnyDataset;
      readonly names: readonly string[];
      /** The dataset's records are objects (by column name), not single values. */
      readonly objects: boolean;
    }
  | {
      readonly kind: 'values';
      readonly rows: readonly (readonly unknown[])[];
      readonly width: number;
      /** The table function's call whose rows these are (filled before the query runs). */
      readonly call?: string;
    }
  | { readonly kind: 'filter'; readonly input: Plan; readonly condition: Bound }
  | { readonly kind: 'project'; readonly input: Plan; readonly exprs: readonly Bound[] }
  | {
      readonly kind: 'aggregate';
      readonly input: Plan;
      readonly keys: readonly Bound[];
      readonly aggregates: readonly AggregateSpec[];
    }
  | { readonly kind: 'window'; readonly input: Plan; readonly spec: WindowGroupSpec }
  /** Spark's `window(time, size, slide)`: each row once per time window holding it, the window appended. */
  | { readonly kind: 'time-window'; readonly input: Plan; readonly window: TimeWindow }
  | {
      readonly kind: 'join';
      readonly type: 'inner' | 'left' | 'right' | 'full' | 'cross';
      readonly left: Plan;
      readonly right: Plan;
      readonly leftKeys: readonly Bound[];
      readonly rightKeys: readonly Bound[];
      /** Conditions that are not key equalities, on the joined row. */
      readonly residual: Bound | null;
    }
  | { readonly kind: 'union'; readonly inputs: readonly Plan[] }
  | { readonly kind: 'distinct'; readonly input: Plan }
  | {
      readonly kind: 'sort';
      readonly input: Plan;
      readonly keys: readonly SortKey[];
      readonly limit: number | null;
      readonly offset: number;
    };

/** Tumbling (`slideMs` = `sizeMs`) or sliding time windows of a timestamp, from `startMs` on. */
export interface TimeWindow {
  readonly time: Bound;
  readonly sizeMs: number;
  readonly slideMs: number;
  readonly startMs: number;
}

/** How many slots a plan's rows have. */
export function widthOf(plan: Plan): number {
  switch (plan.kind) {
    case 'scan':
    case 'view':
      return plan.names.length;
    case 'values':
      return plan.width;
    case 'filter':
    case 'distinct':
    case 'sort':
      return widthOf(plan.input);
    case 'project':
      return plan.exprs.length;
    case 'aggregate':
      return plan.keys.length + plan.aggregates.length;
    case 'window':
      return widthOf(plan.input) + plan.spec.fns.length;
    case 'time-window':
      return widthOf(plan.input) + 1;
    case 'join':
      return widthOf(plan.left) + widthOf(plan.right);
    case 'union':
      return widthOf(plan.inputs[0]!);
  }
}
