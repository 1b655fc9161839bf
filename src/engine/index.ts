export { Executor } from './executor';
export { ExecutorPool } from './executor-pool';
export type { ExecutorPoolOptions, WorkerFactory } from './executor-pool';
export { mergeCounts } from './task';
export type { Counts, CountByFieldTask, Task, TaskMetrics, TaskResult } from './task';
