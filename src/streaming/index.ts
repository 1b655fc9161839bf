export {
  checkedCheckpoint,
  checkpointPath,
  CheckpointConflictError,
  commitCheckpoint,
  loadCheckpoint,
  PlanMismatchError,
  resultOf,
  resultsOf,
  StateLostError,
} from './checkpoint';
export type { BatchRanges, Checkpoint, Result, StoredCheckpoint } from './checkpoint';
export { DStream } from './dstream';
export type { StateDStream } from './dstream';
export type { EventTimeSpec, Paned } from './event-time';
export type { LogInputOptions } from './log-input';
export { PidRateEstimator } from './rate-estimator';
export type { State, StateSpec } from './state';
export { StreamingContext } from './streaming-context';
export type { BatchInfo, StreamingContextOptions } from './streaming-context';
export {
  clickCountsCheckpoint,
  clickCountsProblem,
  clickCounts,
  countedOffsets,
  countsOf,
  resultName,
} from './click-counts';
export type { Counts, CountsBy, CountsSource, CountsView, CountsWindow } from './click-counts';
