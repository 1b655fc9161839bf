import { warnOnce } from '../diagnostics';
import { Executor } from './executor';
import type { Task, TaskResult } from './task';
import { WorkerExecutor, type WorkerFactory } from './worker-executor';

export interface ExecutorPoolOptions {
  /** How many executors; default `navigator.hardwareConcurrency`, at least 1. */
  readonly size?: number;
  /** How to start an executor worker; null runs every task on the main thread (local mode). */
  readonly createWorker: WorkerFactory | null;
  /** How long a worker may take to answer its first call before workers count as blocked. */
  readonly startTimeoutMs?: number;
  /** How long a task may run in a worker before the worker counts as lost. Default 60000. */
  readonly taskTimeoutMs?: number;
}

/** What the pool schedules on: a worker, or the main thread's own executor. */
interface Slot {
  readonly running: number;
  readonly usable: boolean;
  run(task: Task, timeoutMs: number): Promise<TaskResult>;
  close(): Promise<void>;
}

/** Record batches per read on the main thread: small, so the page gets the thread back often. */
const LOCAL_PAGE_SIZE = 4;

/** The main thread's executor: no timeout applies, as nothing can be lost. */
class LocalSlot implements Slot {
  running = 0;
  readonly usable = true;
  private readonly executor = new Executor('driver', LOCAL_PAGE_SIZE);

  async run(task: Task): Promise<TaskResult> {
    this.running++;
    try {
      return await this.executor.run(task);
    } finally {
      this.running--;
    }
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

/**
 * Spark's executors: a pool of Web Workers, each running tasks against the log. A task goes to
 * the executor with the fewest running. A worker that is lost (it crashed, or a task outran
 * `taskTimeoutMs`) fails its tasks with ExecutorLostError and is replaced before its slot runs
 * another. When workers cannot start at all (a Content-Security-Policy that blocks blob:
 * workers, say), the pool runs the same tasks on the main thread in small slices.
 */
export class ExecutorPool {
  private readonly replacements = new Map<number, Promise<Slot>>();

  private constructor(
    private readonly slots: Slot[],
    /** Where tasks run: 'workers', or 'local' (the main thread). */
    readonly mode: 'workers' | 'local',
    private readonly options: ExecutorPoolOptions,
  ) {}

  /**
   * Starts the pool.
   * - must resolve, never hang, even when the page forbids workers: it then runs locally and
   *   says why in one console warning;
   * - must start every worker before resolving, so that no task waits on a dead one.
   */
  static async start(options: ExecutorPoolOptions): Promise<ExecutorPool> {
    const size = Math.max(1, options.size ?? globalThis.navigator?.hardwareConcurrency ?? 1);
    const { createWorker } = options;
    if (createWorker) {
      try {
        const names = Array.from({ length: size }, (_, i) => `executor-${i + 1}`);
        const slots = await startAll(
          names.map((name) => () => startWorker(createWorker, name, options)),
        );
        return new ExecutorPool(slots, 'workers', options);
      } catch (error) {
        warnOnce(
          `tabstream: executor workers could not start (${describe(error)}); running tasks on ` +
            "the main thread in small slices. If the page's Content-Security-Policy sets " +
            'worker-src (or script-src), allow blob: there to run them in workers.',
        );
      }
    }
    return new ExecutorPool([new LocalSlot()], 'local', options);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs tasks on the pool; resolves with their results in task order, rejects on the first failure. */
  run(tasks: readonly Task[]): Promise<TaskResult[]> {
    return Promise.all(tasks.map((task) => this.runOne(task)));
  }

  /** Stops every worker, after closing its connections if it answers soon. */
  async terminate(): Promise<void> {
    await Promise.allSettled([...this.replacements.values()]);
    await Promise.allSettled(this.slots.map((slot) => slot.close()));
  }

  private async runOne(task: Task): Promise<TaskResult> {
    let index = 0;
    this.slots.forEach((slot, i) => {
      if (slot.running < this.slots[index]!.running) index = i;
    });
    const slot = await this.usableSlot(index);
    return slot.run(task, this.options.taskTimeoutMs ?? 60000);
  }

  /** The slot at `index`, replacing its worker first if it was lost. */
  private usableSlot(index: number): Promise<Slot> {
    const slot = this.slots[index]!;
    if (slot.usable || !this.options.createWorker) return Promise.resolve(slot);
    let replacement = this.replacements.get(index);
    if (!replacement) {
      replacement = startWorker(this.options.createWorker, `executor-${index + 1}`, this.options)
        .then((fresh) => (this.slots[index] = fresh))
        .finally(() => this.replacements.delete(index));
      this.replacements.set(index, replacement);
    }
    return replacement;
  }
}

function startWorker(
  createWorker: WorkerFactory,
  name: string,
  options: ExecutorPoolOptions,
): Promise<WorkerExecutor> {
  return WorkerExecutor.start(createWorker, name, options.startTimeoutMs ?? 10000);
}

/** Starts all, or none: if one fails, the started ones are closed and the failure rethrown. */
async function startAll(starts: (() => Promise<Slot>)[]): Promise<Slot[]> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  const failure = results.find((result) => result.status === 'rejected');
  if (!failure) return results.map((result) => (result as PromiseFulfilledResult<Slot>).value);
  for (const result of results) if (result.status === 'fulfilled') await result.value.close();
  throw failure.reason;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
