// A tab's pipeline: the tracker's events into the log, the leader's streaming job over it on the
// engine, counts and status out to every tab, and the log's compaction between batches.
export { COMPACTION_GROUP, Compactor } from './compactor';
export type { CompactionStatus } from './compactor';
export { Pipeline } from './pipeline';
export type { PipelineConfig } from './pipeline';
