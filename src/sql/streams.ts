import { BadVersionError, NodeExistsError, NodeStore, type NodeStat } from '../coord';
import type { EngineContext } from '../engine';
import { reportOnce } from '../shared';
import {
  checkpointPath,
  loadCheckpoint,
  resultOf,
  StreamingContext,
  type Checkpoint,
} from '../streaming';
import type { SqlResult } from './sql';
import { declareStream, streamQuery, streamResult, type StreamQuery } from './stream-query';

/** A continuous query as registered: its name and text, and when it was registered. */
export interface SqlStream {
  readonly name: string;
  readonly text: string;
  readonly created: number;
}

/** The registered streams, in one node every tab reads and the leader watches (ZooKeeper's way). */
const STREAMS = '/sql/streams';
type Registry = Readonly<Record<string, SqlStream>>;

/** A stream's checkpoint id: its text is part of the plan the checkpoint keeps. */
export const streamCheckpoint = (name: string): string => `sql:${name}`;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/**
 * Registers continuous query `name` (replacing one of that name), for the leader to run.
 * - must reject with a SqlError, registering nothing, a query a stream cannot run;
 * - must reject a name that is not 1–64 letters, digits, `_` or `-`.
 */
export async function registerStream(
  context: EngineContext,
  name: string,
  text: string,
): Promise<SqlStream> {
  if (!NAME.test(name))
    throw new TypeError(
      `tabstream: a stream's name is 1–64 letters, digits, _ or -, not "${name}"`,
    );
  await streamQuery(context, text);
  const stream: SqlStream = { name, text, created: Date.now() };
  await update(context.log, (registry) => ({ ...registry, [name]: stream }));
  return stream;
}

/** Ends stream `name` and deletes its results; resolves false if there was none. */
export async function dropStream(context: EngineContext, name: string): Promise<boolean> {
  let found = false;
  await update(context.log, (registry) => {
    found = name in registry;
    return Object.fromEntries(Object.entries(registry).filter(([n]) => n !== name));
  });
  if (found) await StreamingContext.deleteCheckpoint(context, streamCheckpoint(name));
  return found;
}

/** The registered streams, oldest first. */
export async function listStreams(log: string): Promise<SqlStream[]> {
  return withNodes(log, async (nodes) =>
    Object.values((await nodes.get<Registry>(STREAMS))?.data ?? {}),
  ).then((streams) => streams.sort((a, b) => a.created - b.created));
}

/**
 * The latest answer of stream `name`, as its last committed batch left it.
 * - must reject for a name no stream has.
 */
export async function streamResults(context: EngineContext, name: string): Promise<SqlResult> {
  const stream = (await listStreams(context.log)).find((s) => s.name === name);
  if (!stream) throw new Error(`tabstream: no continuous query named "${name}"`);
  const query = await streamQuery(context, stream.text);
  const checkpoint = await withNodes(context.log, (nodes) =>
    loadCheckpoint(nodes, streamCheckpoint(name)),
  );
  return streamResult(query, resultOf(checkpoint?.data, name));
}

/** Calls `listener` with stream `name`'s answer after each batch that committed; returns the unsubscribe. */
export function subscribeStream(
  context: EngineContext,
  name: string,
  listener: (result: SqlResult) => void,
): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  void NodeStore.open(context.log).then((nodes) => {
    if (stopped) return nodes.close();
    const unwatch = nodes.watch<Checkpoint>(checkpointPath(streamCheckpoint(name)), () => {
      streamResults(context, name).then(listener, (error: unknown) =>
        reportOnce(`the results of stream "${name}" could not be read`, error),
      );
    });
    stop = () => (unwatch(), nodes.close());
  });
  return () => {
    stopped = true;
    stop?.();
  };
}

/**
 * Runs the registered streams in this tab (the leader's), each a streaming job with its own
 * checkpoint: exactly once, resumed after reloads and leader changes. Streams registered or
 * dropped meanwhile start and stop. Resolves with the function that stops them all.
 */
export async function runStreams(
  context: EngineContext,
  batchIntervalMs: number,
): Promise<() => Promise<void>> {
  const nodes = await NodeStore.open(context.log);
  const running = new Map<string, { text: string; ssc: Promise<StreamingContext | null> }>();
  const start = async (stream: SqlStream): Promise<StreamingContext | null> => {
    try {
      const query: StreamQuery = await streamQuery(context, stream.text);
      const ssc = new StreamingContext(context, {
        batchIntervalMs,
        checkpointId: streamCheckpoint(stream.name),
        onPlanChange: 'rebuild',
      });
      declareStream(ssc, query, stream.name);
      await ssc.start();
      return ssc;
    } catch (error) {
      reportOnce(`continuous query "${stream.name}" could not start`, error);
      return null;
    }
  };
  const stopOne = async (name: string): Promise<void> => {
    const ssc = running.get(name)?.ssc;
    running.delete(name);
    await (await ssc)?.stop();
  };
  const sync = (registry: Registry) => {
    const stopping = new Map<string, Promise<unknown>>();
    for (const name of [...running.keys()]) {
      if (registry[name]?.text === running.get(name)!.text) continue;
      const stopped = stopOne(name);
      stopping.set(name, stopped);
      // Dropped: its results go once its job has stopped (it may have committed after `drop`).
      if (!registry[name])
        void stopped.then(() => StreamingContext.deleteCheckpoint(context, streamCheckpoint(name)));
    }
    for (const stream of Object.values(registry)) {
      if (running.has(stream.name)) continue;
      // A changed query starts once its old job has stopped: one job per checkpoint.
      const after = stopping.get(stream.name) ?? Promise.resolve();
      const ssc = after.catch(() => {}).then(() => start(stream));
      running.set(stream.name, { text: stream.text, ssc });
    }
  };
  sync((await nodes.get<Registry>(STREAMS))?.data ?? {});
  const unwatch = nodes.watch<Registry>(STREAMS, (node) => sync(node?.data ?? {}));
  return async () => {
    unwatch();
    await Promise.all([...running.keys()].map(stopOne));
    nodes.close();
  };
}

async function withNodes<T>(log: string, use: (nodes: NodeStore) => Promise<T>): Promise<T> {
  const nodes = await NodeStore.open(log);
  try {
    return await use(nodes);
  } finally {
    nodes.close();
  }
}

/** Changes the registry, again on a conflict with another tab's change. */
async function update(log: string, change: (registry: Registry) => Registry): Promise<void> {
  await withNodes(log, async (nodes) => {
    for (;;) {
      const node: NodeStat<Registry> | undefined = await nodes.get<Registry>(STREAMS);
      try {
        if (node) await nodes.set(STREAMS, change(node.data), node.version);
        else await nodes.create(STREAMS, change({}));
        return;
      } catch (error) {
        if (!(error instanceof BadVersionError || error instanceof NodeExistsError)) throw error;
      }
    }
  });
}
