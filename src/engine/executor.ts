import * as Comlink from 'comlink';
import { reportOnce } from '../shared';
import { isConnectionClosed, openLog, type CorruptRecordError, type LogDB } from '../log';
import { decodeBlock, encodeBlock, FetchFailedError } from './shuffle';
import { exposeDefineFn } from './fn';
import { resolveParams } from './params';
import type { TaskDescription, TaskOutcome } from './plan';
import { runTask, type ExecutorServices } from './task-runner';

/** What an executor says when it starts: who it is, and whether its realm allows eval. */
export interface ExecutorHello {
  readonly executorId: string;
  readonly evalAllowed: boolean;
}

type BlockRequest = {
  type: 'fetch';
  id: number;
  shuffleId: number;
  partition: number;
  mapIds: number[];
};
type BlockReply = { type: 'blocks'; id: number; blocks: (Uint8Array | null)[] };

/** How long a peer may take to send shuffle blocks before the fetch fails. */
const FETCH_TIMEOUT_MS = 30000;

/**
 * Spark's executor, in a worker (or on the main thread, in local mode): runs tasks, keeps the
 * shuffle blocks its map tasks wrote and the partitions it cached, serves blocks to its peers
 * over MessagePorts (the bytes are transferred, never through the main thread), and holds the
 * broadcast values and application modules the driver sent.
 */
export class Executor {
  private readonly logs = new Map<string, Promise<LogDB>>();
  private readonly shuffles = new Map<number, Map<number, Uint8Array[]>>();
  private readonly cache = new Map<string, unknown[] | Uint8Array>();
  private readonly broadcasts = new Map<number, unknown>();
  private readonly peers = new Map<string, MessagePort>();
  private readonly waiting = new Map<
    number,
    { resolve(blocks: (Uint8Array | null)[]): void; reject(error: Error): void; peer: string }
  >();
  private nextRequest = 0;

  /**
   * @param pageSize record batches per IndexedDB read: small on the main thread, to yield often.
   * @param sliceMs how long a task may hold the thread between yields; 0 in a worker.
   */
  constructor(
    readonly executorId: string,
    private readonly pageSize: number,
    private readonly sliceMs = 0,
  ) {
    exposeDefineFn();
  }

  ping(): ExecutorHello {
    return { executorId: this.executorId, evalAllowed: evalAllowed() };
  }

  /**
   * Runs a task.
   * - must reject with the task's error, leaving the executor usable: a task that failed on a
   *   closed connection (its log deleted under it) leaves none, so its retry opens the log again;
   * - must keep the task's shuffle output and cached partitions until the driver removes them.
   */
  async run(task: TaskDescription): Promise<TaskOutcome> {
    try {
      return await runTask(task, this.services);
    } catch (error) {
      if (isConnectionClosed(error)) this.logs.clear();
      throw error;
    }
  }

  /** Imports an application module (its `defineFn` calls register functions here). */
  async addModule(url: string): Promise<void> {
    await import(/* @vite-ignore */ url);
  }

  putBroadcast(id: number, value: unknown): void {
    this.broadcasts.set(id, value);
  }

  removeBroadcast(id: number): void {
    this.broadcasts.delete(id);
  }

  removeShuffle(shuffleId: number): void {
    this.shuffles.delete(shuffleId);
  }

  removeRdd(rddId: number): void {
    for (const key of [...this.cache.keys()])
      if (key.startsWith(`${rddId}:`)) this.cache.delete(key);
  }

  /** Opens a channel to a peer executor, to fetch shuffle blocks from it and serve it ours. */
  connect(peer: string, port: MessagePort): void {
    this.peers.get(peer)?.close();
    this.peers.set(peer, port);
    port.onmessage = (event: MessageEvent<BlockRequest | BlockReply>) =>
      this.onPeerMessage(port, event.data);
  }

  /** Forgets a peer the driver lost: fetches from it fail at once. */
  peerLost(peer: string): void {
    this.peers.get(peer)?.close();
    this.peers.delete(peer);
    for (const [id, request] of this.waiting) {
      if (request.peer !== peer) continue;
      this.waiting.delete(id);
      request.reject(new FetchFailedError(peer, 'it was lost'));
    }
  }

  /** Closes the executor's connections to logs and peers. */
  async close(): Promise<void> {
    for (const port of this.peers.values()) port.close();
    this.peers.clear();
    const logs = [...this.logs.values()];
    this.logs.clear();
    for (const db of await Promise.allSettled(logs))
      if (db.status === 'fulfilled') db.value.close();
  }

  private readonly services: ExecutorServices = {
    executorId: this.executorId,
    pageSize: this.pageSize,
    sliceMs: this.sliceMs,
    log: (name) => this.log(name),
    fetchShuffle: (shuffleId, partition, locations) =>
      this.fetchShuffle(shuffleId, partition, locations),
    putShuffle: (shuffleId, mapId, blocks) => {
      let outputs = this.shuffles.get(shuffleId);
      if (!outputs) this.shuffles.set(shuffleId, (outputs = new Map<number, Uint8Array[]>()));
      outputs.set(mapId, blocks);
    },
    getCached: (rddId, partition) => {
      const block = this.cache.get(`${rddId}:${partition}`);
      return block instanceof Uint8Array ? decodeBlock(block) : block;
    },
    putCached: (rddId, partition, records, serialized) => {
      this.cache.set(`${rddId}:${partition}`, serialized ? encodeBlock(records) : records);
    },
    resolveParams: (params, accumulators) => this.resolveParams(params, accumulators),
    onCorrupt: (error: CorruptRecordError) =>
      reportOnce('a record batch is corrupt or missing; it was skipped', error),
  };

  /**
   * A reduce partition's blocks, one per map partition: this executor's own, and its peers'
   * over their channels.
   * - must reject with FetchFailedError naming the executor that could not give a block.
   */
  private async fetchShuffle(shuffleId: number, partition: number, locations: readonly string[]) {
    const byExecutor = new Map<string, number[]>();
    locations.forEach((executor, mapId) =>
      byExecutor.set(executor, [...(byExecutor.get(executor) ?? []), mapId]),
    );
    const blocks: Uint8Array[] = [];
    await Promise.all(
      [...byExecutor].map(async ([executor, mapIds]) => {
        const got =
          executor === this.executorId
            ? mapIds.map((mapId) => this.block(shuffleId, mapId, partition))
            : await this.fetchRemote(executor, { shuffleId, partition, mapIds });
        got.forEach((block, i) => {
          if (!block)
            throw new FetchFailedError(
              executor,
              `shuffle ${shuffleId} map ${mapIds[i]} has no block`,
            );
          blocks[mapIds[i]!] = block;
        });
      }),
    );
    return blocks;
  }

  /** Map task `mapId`'s block for reduce partition `partition`, if this executor has it. */
  private block(shuffleId: number, mapId: number, partition: number): Uint8Array | null {
    return this.shuffles.get(shuffleId)?.get(mapId)?.[partition] ?? null;
  }

  private fetchRemote(peer: string, request: Omit<BlockRequest, 'type' | 'id'>) {
    const port = this.peers.get(peer);
    if (!port) return Promise.reject(new FetchFailedError(peer, 'no channel to it'));
    const id = this.nextRequest++;
    return new Promise<(Uint8Array | null)[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new FetchFailedError(peer, `no answer in ${FETCH_TIMEOUT_MS} ms`));
      }, FETCH_TIMEOUT_MS);
      const done =
        <T>(settle: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          settle(value);
        };
      this.waiting.set(id, { resolve: done(resolve), reject: done(reject), peer });
      port.postMessage({ type: 'fetch', id, ...request } satisfies BlockRequest);
    });
  }

  private onPeerMessage(port: MessagePort, message: BlockRequest | BlockReply): void {
    if (message.type === 'blocks') {
      this.waiting.get(message.id)?.resolve(message.blocks);
      this.waiting.delete(message.id);
      return;
    }
    // Copies: the map output stays here for other reducers and for retries.
    const { shuffleId, partition } = message;
    const blocks = message.mapIds.map(
      (mapId) => this.block(shuffleId, mapId, partition)?.slice() ?? null,
    );
    const transfer = blocks.flatMap((block) => (block ? [block.buffer] : []));
    port.postMessage({ type: 'blocks', id: message.id, blocks } satisfies BlockReply, transfer);
  }

  /** Params with this executor's broadcast values, and accumulators that add to the task's updates. */
  private resolveParams(params: unknown, accumulators: Record<number, number>): unknown {
    return resolveParams(params, (reference) => {
      if ('$accumulator' in reference) {
        const id = reference.$accumulator;
        return { id, add: (n: number) => void (accumulators[id] = (accumulators[id] ?? 0) + n) };
      }
      const id = reference.$broadcast;
      if (!this.broadcasts.has(id))
        throw new Error(
          `tabstream: broadcast ${id} is not on executor ${this.executorId} (destroyed, or it failed to arrive)`,
        );
      return { id, value: this.broadcasts.get(id) };
    });
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

function evalAllowed(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('return true') as () => boolean)();
  } catch {
    return false;
  }
}

/** Transfers a port with a Comlink call. */
export const transferPort = (port: MessagePort): MessagePort => Comlink.transfer(port, [port]);
