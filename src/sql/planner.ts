import { fn, type Dataset, type EngineContext } from '../engine';
import { compileAggregates } from './aggregates';
import type { Bound } from './bound';
import { widthOf, type Plan } from './logical';
import { compileOrdering } from './ordering';
import { prune } from './prune';
import type { Row } from './scalar';
import { TASK, type JoinParams, type KeyedParams, type TopNParams } from './tasks';

/**
 * Plans a logical plan onto the engine's datasets: narrow steps pipeline in one stage; an
 * aggregate combines map-side, then shuffles by key; joins cogroup by key; windows group by
 * their PARTITION BY; a sort keeps a top-n per partition.
 */
export class Planner {
  constructor(private readonly context: EngineContext) {}

  /** The rows of a plan: its sort and limit done on the driver, from each partition's top-n. */
  async rows(analyzed: Plan): Promise<Row[]> {
    const plan = prune(analyzed);
    if (plan.kind !== 'sort') return await this.dataset(plan).collect();
    const { keys, limit, offset } = plan;
    const top: TopNParams = { keys, limit: limit === null ? null : limit + offset };
    const parts = (await this.dataset(plan.input)
      .mapPartitions(fn(TASK.topN, top))
      .collect()) as Row[];
    const sorted = keys.length ? parts.sort(compileOrdering(keys)) : parts;
    return sorted.slice(offset, limit === null ? undefined : offset + limit);
  }

  /** A plan as a dataset of rows, run lazily as any other. */
  dataset(plan: Plan): Dataset<Row> {
    switch (plan.kind) {
      case 'scan': {
        const names = plan.names.map((name, slot) => (plan.used.has(slot) ? name : null));
        return this.context
          .logRows(plan.topic, { names, minTimestamp: plan.minTimestamp })
          .setName(`scan ${plan.topic}`);
      }
      case 'view':
        return plan.dataset
          .map(fn(TASK.fromRecord, { names: plan.objects ? plan.names : null }))
          .setName(`view ${plan.name}`) as Dataset<Row>;
      case 'values':
        return this.context.parallelize(plan.rows as Row[], 1).setName('values');
      case 'filter':
        return this.dataset(plan.input).filter(fn(TASK.filter, { condition: plan.condition }));
      case 'project':
        return this.dataset(plan.input).map<Row>(fn(TASK.project, { exprs: plan.exprs }));
      case 'aggregate':
        return this.aggregate(plan);
      case 'window': {
        const params: KeyedParams = {
          keys: plan.spec.partitionBy,
          nullsApart: false,
          single: true,
        };
        return this.dataset(plan.input)
          .map<[unknown, Row]>(fn(TASK.keyed, params))
          .groupByKey()
          .flatMap<Row>(fn(TASK.window, { spec: plan.spec }))
          .setName('window');
      }
      case 'join':
        return this.join(plan);
      case 'time-window':
        return this.dataset(plan.input).flatMap<Row>(fn(TASK.timeWindows, plan.window));
      case 'union':
        return this.dataset(plan.inputs[0]!).union(
          ...plan.inputs.slice(1).map((p) => this.dataset(p)),
        );
      case 'distinct':
        return this.dataset(plan.input).distinct();
      case 'sort': {
        const { keys, limit, offset } = plan;
        const n = limit === null ? null : limit + offset;
        return this.dataset(plan.input)
          .mapPartitions<Row>(fn(TASK.topN, { keys, limit: n }))
          .repartition(1)
          .mapPartitions<Row>(fn(TASK.topN, { keys, limit: n, offset }))
          .setName('sort');
      }
    }
  }

  private aggregate(plan: Extract<Plan, { kind: 'aggregate' }>): Dataset<Row> {
    const single = plan.keys.length === 1;
    const params = { aggregates: plan.aggregates, single };
    const zero = compileAggregates(plan.aggregates).init();
    const keyed: KeyedParams = { keys: plan.keys, nullsApart: false, single };
    const states = this.dataset(plan.input)
      .map<[unknown, Row]>(fn(TASK.keyed, keyed))
      .aggregateByKey<unknown, Row, unknown[]>(
        zero,
        fn(TASK.aggregateUpdate, params),
        fn(TASK.aggregateMerge, params),
      );
    if (plan.keys.length > 0)
      return states.map<Row>(fn(TASK.aggregateFinish, params)).setName('aggregate');
    // No GROUP BY: one row, even of no input, as SQL's `SELECT count(*) FROM empty` is 0.
    return states
      .union(this.context.parallelize<[unknown, unknown[]]>([[[], zero]], 1))
      .reduceByKey(fn(TASK.aggregateMerge, params), undefined, 1)
      .map<Row>(fn(TASK.aggregateFinish, params))
      .setName('aggregate');
  }

  private join(plan: Extract<Plan, { kind: 'join' }>): Dataset<Row> {
    // A row with a null key gets a key of its own: it matches nothing, and outer joins keep it.
    const side = (input: Plan, keys: readonly Bound[]) =>
      this.dataset(input).map<[unknown, Row]>(
        fn(TASK.keyed, { keys, nullsApart: true, single: keys.length === 1 } satisfies KeyedParams),
      );
    const params: JoinParams = {
      type: plan.type,
      leftWidth: widthOf(plan.left),
      rightWidth: widthOf(plan.right),
      residual: plan.residual,
    };
    return side(plan.left, plan.leftKeys)
      .cogroup(side(plan.right, plan.rightKeys))
      .flatMap<Row>(fn(TASK.join, params))
      .setName(`${plan.type} join`);
  }
}
