// The executor worker, inlined into the bundle and started from a Blob URL, so that it starts
// even when tabstream.js is served from another origin than the page (a CDN).
import ExecutorWorker from './executor?worker&inline';
import type { WorkerFactory } from '../src/engine';

export const createExecutorWorker: WorkerFactory = (name) => new ExecutorWorker({ name });
