import type { Bound } from './bound';
import type { Plan } from './logical';

/** A logical plan as Spark's `EXPLAIN` prints one: a tree, one node per line, slots as `#n`. */
export function planText(plan: Plan, depth = 0): string {
  const line = `${depth ? `${'   '.repeat(depth - 1)}+- ` : ''}${nodeText(plan)}`;
  return [line, ...inputsOf(plan).map((input) => planText(input, depth + 1))].join('\n');
}

function inputsOf(plan: Plan): Plan[] {
  switch (plan.kind) {
    case 'scan':
    case 'view':
    case 'values':
      return [];
    case 'join':
      return [plan.left, plan.right];
    case 'union':
      return [...plan.inputs];
    default:
      return [plan.input];
  }
}

const list = (bounds: readonly Bound[]): string => bounds.map(exprText).join(', ');

function nodeText(plan: Plan): string {
  switch (plan.kind) {
    case 'scan': {
      const read = plan.names.filter((_, slot) => plan.used.has(slot));
      const since =
        plan.minTimestamp === null
          ? ''
          : `, batches since ${new Date(plan.minTimestamp).toISOString()}`;
      return `Scan ${plan.topic} [${read.join(', ')}]${since}`;
    }
    case 'view':
      return `View ${plan.name} [${plan.names.join(', ')}]`;
    case 'values':
      return plan.call ? `TableFunction ${plan.call}` : `Values ${plan.rows.length} row(s)`;
    case 'filter':
      return `Filter ${exprText(plan.condition)}`;
    case 'project':
      return `Project [${list(plan.exprs)}]`;
    case 'aggregate': {
      const aggs = plan.aggregates.map(
        (a) =>
          `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.args.length ? list(a.args) : '*'})${a.filter ? ` FILTER ${exprText(a.filter)}` : ''}`,
      );
      return `Aggregate [${list(plan.keys)}], [${aggs.join(', ')}]`;
    }
    case 'window': {
      const order = plan.spec.orderBy.map(
        (k) => `${exprText(k.expr)} ${k.descending ? 'DESC' : 'ASC'}`,
      );
      const fns = plan.spec.fns.map((f) => `${f.fn}(${list(f.args)})`);
      return `Window [${fns.join(', ')}], PARTITION BY [${list(plan.spec.partitionBy)}], ORDER BY [${order.join(', ')}]`;
    }
    case 'join': {
      const keys = plan.leftKeys.map(
        (k, i) => `${exprText(k)} = right ${exprText(plan.rightKeys[i]!)}`,
      );
      const residual = plan.residual ? `, ${exprText(plan.residual)}` : '';
      return `Join ${plan.type}${keys.length ? ` on ${keys.join(' AND ')}` : ''}${residual}`;
    }
    case 'union':
      return 'Union';
    case 'time-window': {
      const { time, sizeMs, slideMs } = plan.window;
      return `TimeWindow ${exprText(time)}, ${sizeMs} ms${slideMs !== sizeMs ? ` sliding ${slideMs} ms` : ''}`;
    }
    case 'distinct':
      return 'Distinct';
    case 'sort': {
      const keys = plan.keys.map(
        (k) =>
          `${exprText(k.expr)} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`,
      );
      const limit = plan.limit === null ? '' : ` LIMIT ${plan.limit}`;
      return `Sort [${keys.join(', ')}]${limit}${plan.offset ? ` OFFSET ${plan.offset}` : ''}`;
    }
  }
}

/** An expression as text: slots `#n`, calls by name. */
export function exprText(b: Bound): string {
  switch (b[0]) {
    case 'col':
      return `#${b[1]}`;
    case 'lit':
      return typeof b[1] === 'string' ? `'${b[1]}'` : (JSON.stringify(b[1]) ?? 'null');
    case 'field':
      return `${exprText(b[1])}.${b[2]}`;
    case 'call':
      return `${b[1]}(${(b.slice(2) as Bound[]).map(exprText).join(', ')})`;
    case 'case':
      return `CASE ${b[1].map(([w, t]) => `WHEN ${exprText(w)} THEN ${exprText(t)}`).join(' ')} ELSE ${exprText(b[2])} END`;
    case 'like':
      return `${exprText(b[1])} ${b[4] ? 'ILIKE' : 'LIKE'} ${exprText(b[2])}`;
    case 'in':
      return `${exprText(b[1])} IN (${b[2].map(exprText).join(', ')})`;
    case 'cast':
      return `CAST(${exprText(b[1])} AS ${b[2]})`;
  }
}
