// The part of tabstream that starts in idle time, after the tracker: the log, coordination,
// the engine, streaming and the elements. The script tag loads it as tabstream-core.js.
export { readScriptConfig } from './config';
export { agg, defineFn, fn, op } from './engine';
export { createExecutorWorker } from './executor-worker';
export { Pipeline } from './pipeline';
export { StreamingContext } from './streaming';
export { countsTable, startPipeline } from './tab-core';
export { defineElements, showMonitor, showPanel } from './ui';
export { VERSION } from './version';
