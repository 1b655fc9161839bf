export { countChunk } from './count';
export { Executor } from './executor';
export { ExecutorPool } from './executor-pool';
export type { ExecutorPoolOptions } from './executor-pool';
export { mergeCounts } from './task';
export type { Counts, CountByFieldTask, Task, TaskMetrics, TaskResult } from './task';
export { ExecutorLostError } from './worker-executor';
export type { WorkerFactory } from './worker-executor';
