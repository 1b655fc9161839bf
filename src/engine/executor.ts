import { reportOnce } from '../diagnostics';
import { fetchColumn, openLog, type CorruptRecordError, type LogDB } from '../log';
import { countChunk } from './count';
import type { Task, TaskResult } from './task';

/**
 * Runs tasks where it lives: in a worker (the usual case) or on the main thread (local mode).
 * It opens the log itself and reads its task's offset range from IndexedDB: the driver sends
 * the task, never the records.
 */
export class Executor {
  private readonly logs = new Map<string, Promise<LogDB>>();

  /** @param pageSize record batches per IndexedDB read: small on the main thread, to yield often. */
  constructor(
    readonly executorId: string,
    private readonly pageSize: number,
  ) {}

  ping(): string {
    return this.executorId;
  }

  /**
   * Runs a task, reading the one column it counts.
   * - must read only the task's range, and count each of its records once;
   * - must skip a corrupt record batch, reporting it and counting it in the metrics;
   * - must reject with the task's error, leaving the executor usable.
   */
  async run(task: Task): Promise<TaskResult> {
    const started = performance.now();
    const db = await this.log(task.log);
    const counts = new Map<string, number>();
    let recordsRead = 0;
    let batchesRead = 0;
    let corruptBatches = 0;
    const onCorrupt = (error: CorruptRecordError): void => {
      corruptBatches++;
      reportOnce('a record batch is corrupt; it was skipped', error);
    };
    const options = { pageSize: this.pageSize, onCorrupt };
    for await (const page of fetchColumn(db, task.range, task.field, options)) {
      for (const chunk of page) recordsRead += countChunk(chunk, task.range, counts);
      batchesRead += page.length;
    }
    return {
      counts: Object.fromEntries(counts),
      metrics: {
        executorId: this.executorId,
        recordsRead,
        batchesRead,
        corruptBatches,
        durationMs: performance.now() - started,
      },
    };
  }

  /** Closes the executor's connections to the logs it read. */
  async close(): Promise<void> {
    const logs = [...this.logs.values()];
    this.logs.clear();
    for (const db of await Promise.allSettled(logs))
      if (db.status === 'fulfilled') db.value.close();
  }

  private log(name: string): Promise<LogDB> {
    let db = this.logs.get(name);
    if (!db) {
      db = openLog(name);
      this.logs.set(name, db);
      db.catch(() => this.logs.delete(name));
    }
    return db;
  }
}
