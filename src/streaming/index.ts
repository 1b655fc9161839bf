export {
  CheckpointConflictError,
  commitCheckpoint,
  loadCheckpoint,
  openCheckpoints,
} from './checkpoint';
export type { Checkpoint, CheckpointDB } from './checkpoint';
export { StreamingContext } from './streaming-context';
export type { BatchInfo, Counts, StreamingOptions } from './streaming-context';
