import * as Comlink from 'comlink';
import type { Executor, ExecutorHello } from './executor';

/** Starts one executor worker; `name` becomes the worker's name and its executor id. */
export type WorkerFactory = (name: string) => Worker;

/** Thrown for a task whose worker failed, died or stopped answering; the task may run again. */
export class ExecutorLostError extends Error {
  override name = 'ExecutorLostError';
}

/**
 * One executor in a Web Worker, driven through Comlink. A worker that fails to load, fires
 * `error`, or leaves a call unanswered past its timeout is lost: every call on it rejects with
 * ExecutorLostError from then on, the worker is terminated, and `onLost` is called once. (A
 * Comlink call to a dead worker would otherwise never settle.)
 */
export class WorkerExecutor {
  evalAllowed = false;
  readonly remote: Comlink.Remote<Executor>;
  private readonly lost: Promise<never>;
  private lose: (error: ExecutorLostError) => void = () => {};
  private isLost = false;

  private constructor(
    readonly id: string,
    private readonly worker: Worker,
    private readonly onLost: (id: string) => void,
  ) {
    this.remote = Comlink.wrap<Executor>(worker);
    this.lost = new Promise<never>((_, reject) => (this.lose = reject));
    this.lost.catch(() => {});
    worker.addEventListener('error', (event) => {
      this.fail(event.message || 'it failed to load or crashed');
    });
    worker.addEventListener('messageerror', () => {
      this.fail('a message could not be read');
    });
  }

  /**
   * Starts a worker and waits for its first answer.
   * - must reject, never hang, when the worker cannot start: a blob: worker blocked by the
   *   page's CSP does not throw, it fires `error` later.
   */
  static async start(
    createWorker: WorkerFactory,
    id: string,
    timeoutMs: number,
    onLost: (id: string) => void = () => {},
  ): Promise<WorkerExecutor> {
    const executor = new WorkerExecutor(id, createWorker(id), onLost);
    try {
      const hello: ExecutorHello = await executor.call(() => executor.remote.ping(), timeoutMs);
      executor.evalAllowed = hello.evalAllowed;
      return executor;
    } catch (error) {
      executor.terminate();
      throw error;
    }
  }

  get usable(): boolean {
    return !this.isLost;
  }

  /** Calls the executor; rejects with ExecutorLostError if the worker is lost first or times out. */
  async call<T>(
    operation: (executor: Comlink.Remote<Executor>) => Promise<T>,
    timeoutMs: number,
  ): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.fail(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([operation(this.remote), this.lost, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the worker's connections if it answers soon, then terminates it. */
  async close(timeoutMs = 1000): Promise<void> {
    if (!this.isLost) await this.call(() => this.remote.close(), timeoutMs).catch(() => {});
    this.terminate();
  }

  private fail(reason: string): ExecutorLostError {
    const error = new ExecutorLostError(`tabstream: executor ${this.id} lost: ${reason}`);
    if (!this.isLost) {
      this.isLost = true;
      this.lose(error);
      this.worker.terminate();
      this.onLost(this.id);
    }
    return error;
  }

  /** Stops the worker on purpose: calls in flight reject at once, and no one is told it was lost. */
  private terminate(): void {
    if (!this.isLost) this.lose(new ExecutorLostError(`tabstream: executor ${this.id} was closed`));
    this.isLost = true;
    this.worker.terminate();
  }
}
