import { warnOnce } from '../shared';
import { transferPort } from './executor';
import { LocalSlot, type ExecutorApi, type Slot } from './local-slot';
import type { TaskDescription, TaskOutcome } from './plan';
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

/** Where a task should run: on the executor holding its cached input, or on the main thread. */
export interface Placement {
  readonly preferred?: string | null;
  readonly local?: boolean;
  /** Tasks of a higher priority take free slots first (default 0). */
  readonly priority?: number;
  /** Told the executor the task was given to, as it starts there. */
  readonly onLaunch?: (executorId: string) => void;
}

/** Thrown for a task given to a pool that was terminated. */
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
}

/** Tasks an executor runs at once: two, so one's IndexedDB reads overlap the other's work. */
const TASKS_PER_EXECUTOR = 2;
/** How long a task waits for the executor holding its cached input (Spark's `spark.locality.wait`). */
const LOCALITY_WAIT_MS = 3000;
/** How long an executor may take to answer a call that is not a task. */
const CALL_TIMEOUT_MS = 10000;

/**
 * Spark's executors: a pool of Web Workers that run tasks, connected pairwise (and to the main
 * thread's executor) by MessageChannels for shuffle blocks. A task goes to its preferred
 * executor (locality), else the least busy, at most two at a time each. A worker that is lost
 * (it crashed, or a task outran `taskTimeoutMs`) fails its tasks with ExecutorLostError, is
 * reported to `onExecutorLost` listeners and replaced, under a new id, before its slot runs
 * another. When workers cannot start at all (a Content-Security-Policy that blocks blob:
 * workers, say), the pool runs the same tasks on the main thread in small slices.
 */
export class ExecutorPool {
  private readonly replacements = new Map<number, Promise<Slot>>();
  private readonly lostListeners = new Set<(executorId: string) => void>();
  private readonly waiters: (() => void)[] = [];
  private readonly modules: string[] = [];
  private readonly broadcasts = new Map<number, unknown>();
  /** Tasks given to each slot and not finished: counted before any await. */
  /** The priorities of the tasks waiting for a slot. */
  private readonly waiting: number[] = [];
  private readonly reserved: number[];
  private local: LocalSlot | null = null;
  private localStart: Promise<LocalSlot> | null = null;
  private started: number;
  private closed = false;

  private constructor(
    private readonly slots: Slot[],
    /** Where tasks run: 'workers', or 'local' (the main thread). */
    readonly mode: 'workers' | 'local',
    private readonly options: ExecutorPoolOptions,
  ) {
    this.started = slots.length;
    this.reserved = slots.map(() => 0);
    if (mode === 'local') this.local = slots[0] as LocalSlot;
    if (this.local) this.localStart = Promise.resolve(this.local);
  }

  /**
   * Starts the pool.
   * - must resolve, never hang, even when the page forbids workers: it then runs locally and
   *   says why in one console warning;
   * - must start and connect every worker before resolving, so that no task waits on a dead
   *   one, and close them all if any fails.
   */
  static async start(options: ExecutorPoolOptions): Promise<ExecutorPool> {
    const size = Math.max(1, options.size ?? globalThis.navigator?.hardwareConcurrency ?? 1);
    const { createWorker } = options;
    if (createWorker) {
      let pool: ExecutorPool | null = null;
      const onLost = (id: string) => pool?.lose(id);
      let slots: Slot[] = [];
      try {
        const ids = Array.from({ length: size }, (_, i) => `executor-${i + 1}`);
        slots = await startAll(
          ids.map((id) => () => startWorker(createWorker, id, options, onLost)),
        );
        pool = new ExecutorPool(slots, 'workers', options);
        for (const [i, slot] of slots.entries()) await pool.connect(slot, slots.slice(0, i));
        return pool;
      } catch (error) {
        await Promise.allSettled(slots.map((slot) => slot.close()));
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

  /** True if every worker may compile source text (the page's CSP allows eval). */
  get evalAllowed(): boolean {
    return this.slots.every((slot) => slot.evalAllowed);
  }

  /** The ids of the executors now running: the workers, and `driver` once a task ran on the main thread. */
  get executorIds(): string[] {
    return this.allSlots()
      .filter((slot) => slot.usable)
      .map((slot) => slot.id);
  }

  /** Calls `listener` with the id of every executor lost from now on; returns the unsubscribe. */
  onExecutorLost(listener: (executorId: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Runs a task on an executor, waiting for room on one.
   * - must reject with ExecutorLostError if its executor is lost, with the task's error if it
   *   fails, and with PoolClosedError once the pool is terminated.
   */
  async run(task: TaskDescription, placement: Placement = {}): Promise<TaskOutcome> {
    if (placement.local) {
      const slot = await (this.localStart ??= this.startLocal());
      placement.onLaunch?.(slot.id);
      return slot.call((executor) => executor.run(task));
    }
    const index = await this.acquire(placement.preferred ?? null, placement.priority ?? 0);
    try {
      const slot = await this.usableSlot(index);
      placement.onLaunch?.(slot.id);
      return await slot.call((executor) => executor.run(task), this.options.taskTimeoutMs ?? 60000);
    } finally {
      this.release(index);
    }
  }

  /**
   * Makes every executor, present and future, import an application module.
   * - must reject, remembering nothing, if an executor cannot import it.
   */
  async addModule(url: string): Promise<void> {
    await this.onEverySlot((executor) => executor.addModule(url));
    this.modules.push(url);
  }

  /** Sends a broadcast value to every executor, present and future. */
  async putBroadcast(id: number, value: unknown): Promise<void> {
    this.broadcasts.set(id, value);
    await this.onEverySlot((executor) => executor.putBroadcast(id, value));
  }

  async removeBroadcast(id: number): Promise<void> {
    this.broadcasts.delete(id);
    await this.onEverySlot((executor) => executor.removeBroadcast(id));
  }

  /** Drops a shuffle's blocks, or a dataset's cached partitions, from every executor. */
  async remove(what: { shuffleId: number } | { rddId: number }): Promise<void> {
    await this.onEverySlot((executor) =>
      'shuffleId' in what ? executor.removeShuffle(what.shuffleId) : executor.removeRdd(what.rddId),
    );
  }

  /** Stops every worker, after closing its connections if it answers soon; later tasks reject. */
  async terminate(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    await Promise.allSettled([...this.replacements.values()]);
    await Promise.allSettled(this.allSlots().map((slot) => slot.close()));
  }

  /**
   * The index of a slot with room for a task, reserved at once, so tasks queued together spread
   * out. A task with a preferred executor waits up to LOCALITY_WAIT_MS for it to have room
   * (Spark's delay scheduling), then takes any. While tasks of a higher priority wait, a task
   * leaves them as many free slots as there are of them.
   */
  private async acquire(preferred: string | null, priority: number): Promise<number> {
    const home = this.slots.findIndex((slot) => slot.id === preferred && slot.usable);
    const deadline = performance.now() + (home === -1 ? 0 : LOCALITY_WAIT_MS);
    this.waiting.push(priority);
    try {
      for (;;) {
        if (this.closed) throw new PoolClosedError('tabstream: the executor pool was terminated');
        const free = this.slots
          .map((_, i) => i)
          .filter((i) => this.reserved[i]! < TASKS_PER_EXECUTOR);
        const outranked = free.length <= this.waiting.filter((p) => p > priority).length;
        const index = outranked
          ? -1
          : free.includes(home)
            ? home
            : performance.now() >= deadline && free.length
              ? free.reduce((a, b) => (this.reserved[b]! < this.reserved[a]! ? b : a))
              : -1;
        if (index !== -1) {
          this.reserved[index]!++;
          return index;
        }
        await this.released(deadline - performance.now());
      }
    } finally {
      this.waiting.splice(this.waiting.indexOf(priority), 1);
    }
  }

  /** Resolves when a slot is released, or after `timeoutMs` if positive. */
  private released(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      if (timeoutMs > 0) setTimeout(resolve, timeoutMs);
    });
  }

  /** Frees a reservation and wakes every waiting task to look again (one may prefer this slot). */
  private release(index: number): void {
    this.reserved[index]!--;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The slot at `index`, replacing its worker first if it was lost. */
  private usableSlot(index: number): Promise<Slot> {
    const pending = this.replacements.get(index);
    if (pending) return pending;
    const slot = this.slots[index]!;
    if (slot.usable || !this.options.createWorker) return Promise.resolve(slot);
    if (this.closed)
      return Promise.reject(new PoolClosedError('tabstream: the executor pool was terminated'));
    const replacement = this.replace(index, this.options.createWorker).finally(() =>
      this.replacements.delete(index),
    );
    this.replacements.set(index, replacement);
    return replacement;
  }

  /**
   * Starts a worker in place of a lost one, under a new id, and gives it what the others have:
   * channels to every executor, the application modules, the broadcast values. It is installed
   * before it connects, so a replacement starting meanwhile connects to it too.
   */
  private async replace(index: number, createWorker: WorkerFactory): Promise<Slot> {
    const id = `executor-${++this.started}`;
    const fresh = await startWorker(createWorker, id, this.options, (lost) => this.lose(lost));
    this.slots[index] = fresh;
    try {
      await this.connectToAll(fresh);
      await this.provision(fresh);
      return fresh;
    } catch (error) {
      await fresh.close();
      throw error;
    }
  }

  /** The main thread's executor, for jobs the workers cannot run, with what they were sent. */
  private async startLocal(): Promise<LocalSlot> {
    const slot = new LocalSlot();
    await this.connectToAll(slot);
    await this.provision(slot);
    return (this.local = slot);
  }

  /** Gives a new executor what the others were sent: the application modules, the broadcasts. */
  private async provision(slot: Slot): Promise<void> {
    for (const url of this.modules) await slot.call((e) => e.addModule(url), CALL_TIMEOUT_MS);
    for (const [id, value] of this.broadcasts)
      await slot.call((e) => e.putBroadcast(id, value), CALL_TIMEOUT_MS);
  }

  /** Connects a new executor to every other one running. */
  private connectToAll(slot: Slot): Promise<void> {
    return this.connect(
      slot,
      this.allSlots().filter((other) => other !== slot && other.usable),
    );
  }

  /** Opens a MessageChannel between `slot` and each of `peers`, for shuffle blocks. */
  private async connect(slot: Slot, peers: readonly Slot[]): Promise<void> {
    for (const peer of peers) {
      const { port1, port2 } = new MessageChannel();
      await Promise.all([
        slot.call((e) => e.connect(peer.id, transferPort(port1)), CALL_TIMEOUT_MS),
        peer.call((e) => e.connect(slot.id, transferPort(port2)), CALL_TIMEOUT_MS),
      ]);
    }
  }

  private lose(executorId: string): void {
    for (const slot of this.allSlots()) {
      if (slot.usable && slot.id !== executorId)
        slot.call((e) => e.peerLost(executorId), CALL_TIMEOUT_MS).catch(() => {});
    }
    for (const listener of this.lostListeners) listener(executorId);
  }

  /** The worker slots, and the main thread's executor if it was started. */
  private allSlots(): Slot[] {
    return this.local && this.mode === 'workers' ? [...this.slots, this.local] : this.slots;
  }

  private async onEverySlot(operation: (executor: ExecutorApi) => Promise<unknown>): Promise<void> {
    const slots = this.allSlots().filter((slot) => slot.usable);
    await Promise.all(slots.map((slot) => slot.call(operation, CALL_TIMEOUT_MS)));
  }
}

function startWorker(
  createWorker: WorkerFactory,
  id: string,
  options: ExecutorPoolOptions,
  onLost: (id: string) => void,
): Promise<WorkerExecutor> {
  return WorkerExecutor.start(createWorker, id, options.startTimeoutMs ?? 10000, onLost);
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
