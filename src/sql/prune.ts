import type { AggregateSpec, Bound, SortKey, WindowGroupSpec } from './bound';
import { widthOf, type Plan } from './logical';

/** Where each slot of a plan's rows went once pruned (-1: no longer there); null: nowhere moved. */
type SlotMap = readonly number[] | null;

/**
 * The plan with its scans' rows narrowed to the columns the query reads, every slot renumbered
 * to match: rows then carry (and shuffles write) no column nothing reads. Its rows are as
 * before (a top that would move slots is put back by a projection).
 */
export function prune(plan: Plan): Plan {
  const { plan: narrow, map } = pruned(plan);
  if (!map) return narrow;
  const exprs = map.map((slot): Bound => (slot === -1 ? ['lit', null] : ['col', slot]));
  return { kind: 'project', input: narrow, exprs };
}

function pruned(plan: Plan): { plan: Plan; map: SlotMap } {
  switch (plan.kind) {
    case 'scan': {
      if (plan.used.size === plan.names.length) return { plan, map: null };
      const map: number[] = [];
      const names: string[] = [];
      plan.names.forEach((name, slot) => map.push(plan.used.has(slot) ? names.push(name) - 1 : -1));
      const used = new Set(names.keys());
      return { plan: { ...plan, names, used }, map };
    }
    case 'view':
    case 'values':
      return { plan, map: null };
    case 'filter':
    case 'distinct':
    case 'sort':
    case 'time-window':
    case 'window':
      return passing(plan);
    case 'project': {
      const input = pruned(plan.input);
      return {
        plan: { ...plan, input: input.plan, exprs: plan.exprs.map((e) => remap(e, input.map)) },
        map: null,
      };
    }
    case 'aggregate': {
      const input = pruned(plan.input);
      const m = input.map;
      const aggregates = plan.aggregates.map((a) => aggregate(a, m));
      return {
        plan: { ...plan, input: input.plan, keys: plan.keys.map((k) => remap(k, m)), aggregates },
        map: null,
      };
    }
    case 'join':
      return join(plan);
    case 'union':
      return { plan: { ...plan, inputs: plan.inputs.map(prune) }, map: null };
  }
}

/** A node whose rows are its input's (with slots appended, for windows): its slots move as its input's do. */
function passing(
  plan: Extract<Plan, { kind: 'filter' | 'distinct' | 'sort' | 'time-window' | 'window' }>,
): {
  plan: Plan;
  map: SlotMap;
} {
  const input = pruned(plan.input);
  const m = input.map;
  const extend = (appended: number): SlotMap => {
    if (!m) return null;
    const width = widthOf(input.plan);
    return [...m, ...Array.from({ length: appended }, (_, i) => width + i)];
  };
  switch (plan.kind) {
    case 'filter':
      return { plan: { ...plan, input: input.plan, condition: remap(plan.condition, m) }, map: m };
    case 'distinct':
      // Equal rows stay equal without the columns nothing reads.
      return { plan: { ...plan, input: input.plan }, map: m };
    case 'sort':
      return {
        plan: { ...plan, input: input.plan, keys: plan.keys.map((k) => sortKey(k, m)) },
        map: m,
      };
    case 'time-window':
      return {
        plan: {
          ...plan,
          input: input.plan,
          window: { ...plan.window, time: remap(plan.window.time, m) },
        },
        map: extend(1),
      };
    case 'window':
      return {
        plan: { ...plan, input: input.plan, spec: windowSpec(plan.spec, m) },
        map: extend(plan.spec.fns.length),
      };
  }
}

function join(plan: Extract<Plan, { kind: 'join' }>): { plan: Plan; map: SlotMap } {
  const left = pruned(plan.left);
  const right = pruned(plan.right);
  if (!left.map && !right.map)
    return { plan: { ...plan, left: left.plan, right: right.plan }, map: null };
  const oldLeft = widthOf(plan.left);
  const newLeft = widthOf(left.plan);
  const leftMap = left.map ?? [...Array(oldLeft).keys()];
  const rightMap = right.map ?? [...Array(widthOf(plan.right)).keys()];
  const map = [...leftMap, ...rightMap.map((slot) => (slot === -1 ? -1 : newLeft + slot))];
  return {
    plan: {
      ...plan,
      left: left.plan,
      right: right.plan,
      leftKeys: plan.leftKeys.map((k) => remap(k, left.map)),
      rightKeys: plan.rightKeys.map((k) => remap(k, right.map)),
      residual: plan.residual && remap(plan.residual, map),
    },
    map,
  };
}

const sortKey = (k: SortKey, m: SlotMap): SortKey => ({ ...k, expr: remap(k.expr, m) });

function aggregate(a: AggregateSpec, m: SlotMap): AggregateSpec {
  return { ...a, args: a.args.map((x) => remap(x, m)), filter: a.filter && remap(a.filter, m) };
}

function windowSpec(spec: WindowGroupSpec, m: SlotMap): WindowGroupSpec {
  return {
    partitionBy: spec.partitionBy.map((e) => remap(e, m)),
    orderBy: spec.orderBy.map((k) => sortKey(k, m)),
    fns: spec.fns.map((f) => ({
      ...f,
      args: f.args.map((x) => remap(x, m)),
      aggregate: f.aggregate && aggregate(f.aggregate, m),
    })),
  };
}

/**
 * The expression with its slots renumbered. Literals are kept as they are, not copied: a
 * subquery's answer fills its literal (and an IN list) in place, after analysis.
 */
export function remap(e: Bound, m: SlotMap): Bound {
  if (!m) return e;
  switch (e[0]) {
    case 'col': {
      const slot = m[e[1]];
      if (slot === undefined || slot === -1)
        throw new Error(`tabstream: sql: slot ${e[1]} was pruned`);
      return ['col', slot];
    }
    case 'lit':
      return e;
    case 'field':
      return ['field', remap(e[1], m), e[2]];
    case 'call':
      return ['call', e[1], ...(e.slice(2) as Bound[]).map((x) => remap(x, m))];
    case 'case':
      return ['case', e[1].map(([w, t]) => [remap(w, m), remap(t, m)] as const), remap(e[2], m)];
    case 'like':
      return ['like', remap(e[1], m), remap(e[2], m), e[3], e[4]];
    case 'in':
      return [
        'in',
        remap(e[1], m),
        e[2].every((x) => x[0] === 'lit') ? e[2] : e[2].map((x) => remap(x, m)),
      ];
    case 'cast':
      return ['cast', remap(e[1], m), ...(e.slice(2) as [string, string?])] as Bound;
  }
}
