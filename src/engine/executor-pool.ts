import * as Comlink from 'comlink';
import { warnOnce } from '../diagnostics';
import { Executor } from './executor';
import type { Task, TaskResult } from './task';

/** Starts one executor worker; `name` becomes the worker's name and its executor id. */
export type WorkerFactory = (name: string) => Worker;

export interface ExecutorPoolOptions {
  /** How many executors; default `navigator.hardwareConcurrency`, at least 1. */
  readonly size?: number;
  /** How to start an executor worker; null runs every task on the main thread (local mode). */
  readonly createWorker: WorkerFactory | null;
  /** How long a worker may take to answer its first call before workers count as blocked. */
  readonly startTimeoutMs?: number;
}

interface Slot {
  readonly executor: Pick<Executor, 'run' | 'close'> | Comlink.Remote<Executor>;
  readonly worker: Worker | null;
  running: number;
}

/** Record batches per read on the main thread: small, so the page gets the thread back often. */
const LOCAL_PAGE_SIZE = 4;

/**
 * Spark's executors: a pool of Web Workers, each running tasks against the log. Tasks go to the
 * executor with the fewest running. When workers cannot start (a Content-Security-Policy that
 * blocks blob: workers, say), the pool runs the same tasks on the main thread in small slices.
 */
export class ExecutorPool {
  private constructor(
    private readonly slots: readonly Slot[],
    /** Where tasks run: 'workers', or 'local' (the main thread). */
    readonly mode: 'workers' | 'local',
  ) {}

  /**
   * Starts the pool.
   * - must resolve, never hang, even when the page forbids workers: it then runs locally and
   *   says why in one console warning;
   * - must start every worker before resolving, so that a task never waits on a dead one.
   */
  static async start(options: ExecutorPoolOptions): Promise<ExecutorPool> {
    const size = Math.max(1, options.size ?? globalThis.navigator?.hardwareConcurrency ?? 1);
    if (options.createWorker) {
      try {
        return new ExecutorPool(await startWorkers(options.createWorker, size, options), 'workers');
      } catch (error) {
        warnOnce(
          `tabstream: executor workers could not start (${describe(error)}); running tasks on ` +
            "the main thread in small slices. If the page's Content-Security-Policy sets " +
            'worker-src (or script-src), allow blob: there to run them in workers.',
        );
      }
    }
    const local = new Executor('driver', LOCAL_PAGE_SIZE);
    return new ExecutorPool([{ executor: local, worker: null, running: 0 }], 'local');
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs tasks on the pool; resolves with their results in task order, rejects on the first failure. */
  run(tasks: readonly Task[]): Promise<TaskResult[]> {
    return Promise.all(tasks.map((task) => this.runOne(task)));
  }

  /** Stops every worker and closes the executors' connections. */
  async terminate(): Promise<void> {
    await Promise.allSettled(this.slots.map((slot) => slot.executor.close()));
    for (const slot of this.slots) slot.worker?.terminate();
  }

  private async runOne(task: Task): Promise<TaskResult> {
    const slot = this.slots.reduce((best, slot) => (slot.running < best.running ? slot : best));
    slot.running++;
    try {
      return await slot.executor.run(task);
    } finally {
      slot.running--;
    }
  }
}

async function startWorkers(
  createWorker: WorkerFactory,
  size: number,
  options: ExecutorPoolOptions,
): Promise<Slot[]> {
  const workers: Worker[] = [];
  try {
    return await Promise.all(
      Array.from({ length: size }, async (_, i) => {
        const worker = createWorker(`executor-${i + 1}`);
        workers.push(worker);
        const executor = Comlink.wrap<Executor>(worker);
        await handshake(worker, executor, options.startTimeoutMs ?? 10000);
        return { executor, worker, running: 0 };
      }),
    );
  } catch (error) {
    for (const worker of workers) worker.terminate();
    throw error;
  }
}

/**
 * A blocked blob: worker does not throw: it fires `error` later, and calls to it never settle.
 * So the first call races the worker's `error` event and a timeout.
 */
function handshake(
  worker: Worker,
  executor: Comlink.Remote<Executor>,
  timeoutMs: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onError = (_: Event): void => {};
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    onError = (event) => reject(new Error((event as ErrorEvent).message || 'it failed to load'));
    worker.addEventListener('error', onError);
  });
  return Promise.race([executor.ping(), failed])
    .then(() => undefined)
    .finally(() => {
      clearTimeout(timer);
      worker.removeEventListener('error', onError);
    });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
