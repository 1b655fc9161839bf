export { appendBatches, OutOfOrderSequenceError } from './append';
export type { AppendResult, Durability, ProducerBatch } from './append';
export {
  ChunkChecksumError,
  decodeChunk,
  decodePackedChunk,
  encodeChunk,
  encodePackedChunk,
  setChunkBaseOffset,
} from './column-chunk';
export type { ColumnChunk, PackedChunk } from './column-chunk';
export { addCompactions, compact, compactTopic, NO_COMPACTION } from './compaction';
export type { CompactionResult, CompactOptions } from './compaction';
export { crc32 } from './crc32';
export {
  checkedColumn,
  CorruptRecordError,
  fetchBatches,
  fetchColumn,
  recordWindow,
} from './fetch';
export type { FetchOptions, OffsetRange, ReadOptions } from './fetch';
export { isConnectionClosed, openLog, UnknownTopicOrPartitionError } from './log-db';
export type { CommittedOffset, LogDB, PartitionState } from './log-db';
export { onAppended } from './log-events';
export { murmur2 } from './murmur2';
export { partitionForKey, Partitioner } from './partitioner';
export {
  DEFAULT_BATCH_SIZE,
  LogFullError,
  Producer,
  randomId,
  RecordSpilledError,
} from './producer';
export type { ProducerConfig, RecordMetadata } from './producer';
export {
  columnName,
  columnValue,
  encodeColumn,
  encodeRecords,
  eventAt,
  KEY_COLUMN,
  PACKED_MAX_RECORDS,
  recordColumnsOf,
  TIMESTAMP_COLUMN,
} from './record-batch';
export type {
  Column,
  EncodedRecords,
  FieldValue,
  LogEvent,
  ProducerRecord,
  RecordBatch,
  RecordBatchHeader,
} from './record-batch';
export {
  DEFAULT_MAX_RECORD_BYTES,
  InvalidTopicError,
  RecordTooLargeError,
  SerializationError,
} from './record-check';
export { enforceRetention } from './retention';
export {
  committedOffsetProblem,
  headerProblem,
  partitionStateProblem,
  spillProblem,
  topicConfigProblem,
} from './schema';
export type { RecordBatchV1 } from './upgrade-v1';
export { recoverSpills, SpillRecoveryError, writeSpill } from './spill';
export type { Spill } from './spill';
export {
  DEFAULT_RETENTION,
  DEFAULT_RETENTION_QUOTA_SHARE,
  defaultRetentionBytes,
  InvalidTopicConfigError,
  topicConfig,
} from './topic-config';
export type { NewTopic, TopicConfig } from './topic-config';
export {
  alterTopic,
  createPartitions,
  createTopic,
  deleteRecords,
  deleteTopic,
  describeTopic,
  ensureTopic,
  listTopics,
  partitionsOf,
  TopicExistsError,
  topicOf,
} from './topics';
export type { PartitionDescription, TopicDescription } from './topics';
export { Consumer, OffsetOutOfRangeError } from './consumer';
export { rangeAssign } from './range-assignor';
export { consumerRecordAt } from './partition-cursor';
export type { ConsumerRecord } from './partition-cursor';
export type {
  ConsumerConfig,
  ConsumerMetrics,
  OffsetResetPolicy,
  RebalanceListener,
} from './consumer';
export { commitOffsets, committedOffsets, lagOf, offsetsForTimes, partitionId } from './offsets';
export type { TopicPartition, TopicPartitionOffset } from './offsets';
export { Admin } from './admin';
export type { GroupPartitionOffset } from './admin';
export { ConsoleConsumer } from './console-consumer';
export type { ConsoleConsumerOptions } from './console-consumer';
export { ConsoleProducer } from './console-producer';
export type { ConsoleProducerOptions } from './console-producer';
