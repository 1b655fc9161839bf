// <tabstream-monitor>: Spark's web UI for tabstream: jobs, stages, executors, the log, streaming.
export { TabstreamMonitor } from './monitor';
export type { MonitorTab } from './monitor';
