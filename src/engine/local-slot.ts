import type * as Comlink from 'comlink';
import { Executor } from './executor';

export type ExecutorApi = Comlink.Remote<Executor>;

/** What the pool schedules on: an executor in a worker, or the main thread's own. */
/** The executor id of tasks run on the main thread, by the driver itself. */
export const DRIVER = 'driver';

export interface Slot {
  readonly id: string;
  readonly usable: boolean;
  /** Whether source text may be compiled there (the page's CSP allows eval). */
  readonly evalAllowed: boolean;
  call<T>(operation: (executor: ExecutorApi) => Promise<T>, timeoutMs: number): Promise<T>;
  close(): Promise<void>;
}

/** Record batches per read on the main thread: one (up to 16,384 records) per slice. */
const LOCAL_PAGE_SIZE = 1;
/** How long a task on the main thread may hold it before yielding. */
const LOCAL_SLICE_MS = 8;

/** The main thread's executor (id `driver`): no timeout applies, as nothing can be lost. */
export class LocalSlot implements Slot {
  readonly id = DRIVER;
  readonly usable = true;
  readonly evalAllowed = true;
  private readonly executor = new Executor(this.id, LOCAL_PAGE_SIZE, LOCAL_SLICE_MS);

  call<T>(operation: (executor: ExecutorApi) => Promise<T>): Promise<T> {
    return operation(this.executor as unknown as ExecutorApi);
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}
