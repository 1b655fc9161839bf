// The ES module entry, for bundlers: the same API as window.tabstream, started by `init`.
export { init } from './api';
export type { Counts, Tabstream, TabstreamConfig } from './api';
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
export { defineElements, TabstreamCounts } from './ui';
export type { CountsSource } from './ui';
export { VERSION } from './version';
