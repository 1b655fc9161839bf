// The ES module entry, for bundlers: the same API as window.tabstream, started by `init`.
import { createTabstream, type InitOptions, type Tabstream } from '../api';
import * as core from './core';

/**
 * Starts tabstream in this page with `config`, as the script tag does with its data-*
 * attributes: the tracker at once, the pipeline in idle time.
 */
export function init(config: InitOptions = {}): Tabstream {
  return createTabstream(config, () => Promise.resolve(core));
}

export type { CountsRow, InitOptions, Tabstream, TabstreamConfig } from '../api';
export type { Counts, CountsView } from '../streaming';
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
} from '../engine';
export type {
  EngineEvent,
  JobInfo,
  StageInfo,
  StorageLevel,
  TaskInfo,
  TaskMetrics,
} from '../engine';
export {
  Admin,
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
export { defineElements, TabstreamCounts, TabstreamMonitor } from '../ui';
export type { CountsSource } from '../ui';
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
