// The ES module entry, for bundlers: the same API as window.tabstream, started by `init`.
export { init } from './api';
export type { Counts, CountsView, Tabstream, TabstreamConfig } from './api';
export {
  Accumulator,
  agg,
  Broadcast,
  Dataset,
  defineFn,
  EmptyCollectionError,
  EngineContext,
  ExecutorLostError,
  fn,
  JobFailedError,
  op,
  TaskNotSerializableError,
  UnknownFunctionError,
} from './engine';
export type {
  EngineEvent,
  JobInfo,
  StageInfo,
  StorageLevel,
  TaskInfo,
  TaskMetrics,
} from './engine';
export {
  Admin,
  Consumer,
  CorruptRecordError,
  LogFullError,
  OffsetOutOfRangeError,
  Producer,
  TopicExistsError,
  UnknownTopicOrPartitionError,
} from './log';
export type {
  ConsumerConfig,
  ConsumerRecord,
  ProducerConfig,
  RecordMetadata,
  TopicConfig,
  TopicDescription,
} from './log';
export { CheckpointConflictError, DStream, PlanMismatchError, StreamingContext } from './streaming';
export type {
  BatchInfo,
  LogInputOptions,
  State,
  StateSpec,
  StreamingContextOptions,
} from './streaming';
export { defineElements, TabstreamCounts } from './ui';
export type { CountsSource } from './ui';
export { VERSION } from './version';
