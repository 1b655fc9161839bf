// The sink: ships the log to a real Kafka through an HTTP produce API (REST Proxy v2/v3).
export { KafkaRestSink } from './kafka-rest-sink';
export type { SinkPartitionStatus, SinkState, SinkStatus } from './kafka-rest-sink';
export { DEFAULT_SINK_TOPICS, resolveSinkOptions } from './options';
export type { KafkaRestSinkOptions, RestApi } from './options';
export { SINK_GROUP } from './group-offsets';
