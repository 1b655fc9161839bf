// The part of tabstream that starts in idle time, after the tracker: the log, coordination,
// the engine, streaming and the elements. The script tag loads it as tabstream-core.js; it is
// the `Core` of src/api.
export { readScriptConfig } from '../api';
export { agg, defineFn, fn, op } from '../engine';
export { Pipeline } from '../pipeline';
export { VERSION } from '../shared';
export { StreamingContext } from '../streaming';
export { defineElements, showMonitor, showPanel } from '../ui';
export { createExecutorWorker } from '../../workers';
export { countsTable, startPipeline } from './tab-core';
export { runExample } from '../examples';
