/// <reference lib="webworker" />
// An executor: one Web Worker of the pool, driven by the leader tab's driver through Comlink.
import * as Comlink from 'comlink';
import { Executor, keepErrorFields } from '../src/engine';
// SQL's functions (by name), for the tasks of queries.
import '../src/sql';
// MLlib's, GraphX's and the funnels' functions (by name), for their iterative jobs.
import '../src/ml';
import '../src/graph';
import '../src/funnels';

/** Record batches per IndexedDB read: a worker may hold the thread, so pages are large. */
const PAGE_SIZE = 64;

keepErrorFields();
Comlink.expose(new Executor(self.name || 'executor', PAGE_SIZE));
