// The npm package's main entry, `tabstream` (dist/tabstream.mjs): the same API as
// window.tabstream, started by `init`, and the log, engine and streaming on their own.
// - must evaluate no DOM class when imported: it is imported in Node (SSR) and in workers. The
//   elements are `tabstream/elements` (./elements.ts); `init` loads the core, elements
//   included, as a chunk of its own.
import { createTabstream, type InitOptions, type Tabstream } from '../api';

/**
 * Starts tabstream in this page with `config`, as the script tag does with its data-*
 * attributes: the tracker at once, the pipeline (and the elements it shows) in idle time.
 */
export function init(config: InitOptions = {}): Tabstream {
  return createTabstream(config, () => import('./core'));
}

export type {
  CountsRow,
  HeatLayer,
  HeatmapApi,
  HeatmapShowOptions,
  InitOptions,
  PageRankOptions,
  SinkConfig,
  Tabstream,
  TabstreamAnalytics,
  TabstreamConfig,
} from '../api';
export type { Counts, CountsSource, CountsView } from '../streaming';
export {
  Accumulator,
  agg,
  Broadcast,
  Dataset,
  defineFn,
  EmptyCollectionError,
  EngineContext,
  ExecutorLostError,
  ExecutorPool,
  fn,
  JobFailedError,
  op,
  TaskNotSerializableError,
  UnknownFunctionError,
} from '../engine';
export type {
  EngineContextOptions,
  EngineEvent,
  ExecutorPoolOptions,
  JobInfo,
  StageInfo,
  StorageLevel,
  TaskInfo,
  TaskMetrics,
} from '../engine';
export {
  Admin,
  ConsoleConsumer,
  ConsoleProducer,
  Consumer,
  CorruptRecordError,
  InvalidTopicError,
  LogFullError,
  OffsetOutOfRangeError,
  Producer,
  RecordTooLargeError,
  SerializationError,
  TopicExistsError,
  UnknownTopicOrPartitionError,
} from '../log';
export type {
  ConsoleConsumerOptions,
  ConsoleProducerOptions,
  ConsumerConfig,
  ConsumerRecord,
  ProducerConfig,
  RecordMetadata,
  TopicConfig,
  TopicDescription,
} from '../log';
export {
  CheckpointConflictError,
  DStream,
  PlanMismatchError,
  StreamingContext,
} from '../streaming';
export type {
  BatchInfo,
  LogInputOptions,
  State,
  StateSpec,
  StreamingContextOptions,
} from '../streaming';
export type {
  BatchStatus,
  Damage,
  DamageSeen,
  EngineStatus,
  ExecutorSummary,
  GroupPosition,
  JobSummary,
  PartitionStatus,
  Quantiles,
  StageSummary,
  StatusSnapshot,
  StatusSource,
  StreamingStatus,
  TopicStatus,
} from '../status';
export { TrustedTypesBlockedError } from '../shared';
export { VERSION } from '../shared';
/** Spark SQL over a context's log: `await sql(context, 'SELECT page, count(*) FROM clicks GROUP BY 1')`. */
export { explain, sql, SqlError, SqlRuntimeError } from '../sql';
export type { SqlApi, SqlParams, SqlResult, SqlStream } from '../sql';
/**
 * MLlib's and GraphX's analytics over a context's log: `heatmap(context, { page, band })`,
 * MLlib's `KMeans` and `StreamingKMeans` on any dataset of vectors, GraphX's `Graph` (and the
 * page-transition graph), `paths(context, { start })`, `pageRanks(context, {})`,
 * `funnel(context, { steps })`.
 */
export {
  bandOf,
  DEFAULT_DECAY_FACTOR,
  heatmap,
  KMeans,
  KMeansModel,
  liveHeatmap,
  REFERENCE_WIDTHS,
  scrollDepth,
  StreamingKMeans,
  StreamingKMeansModel,
} from '../ml';
export type {
  Band,
  HeatCluster,
  Heatmap,
  HeatmapOptions,
  HeatSpot,
  KMeansOptions,
  LiveHeatmap,
  LiveHeatmapOptions,
  ScrollDepth,
  ScrollDepthOptions,
  StreamingKMeansOptions,
  TimeUnit,
  Vector,
} from '../ml';
export { Graph, pageRanks, paths, transitionGraph, transitions } from '../graph';
export type {
  Edge,
  GraphOptions,
  PageRankRow,
  PathLink,
  PathNode,
  PathRule,
  Paths,
  PathsOptions,
  TransitionOptions,
  VertexId,
} from '../graph';
export { funnel, FunnelOptionsError } from '../funnels';
export type { Funnel, FunnelOptions, FunnelStep, FunnelStepResult, StepMatch } from '../funnels';
