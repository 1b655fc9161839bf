import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import { notifyAll, reportOnce } from '../diagnostics';
import { Bus } from './bus';

/** A node and its metadata, as ZooKeeper's znode and Stat. */
export interface NodeStat<T> {
  readonly path: string;
  readonly data: T;
  /** 0 when created, +1 on every set. */
  readonly version: number;
  /** When the node was created, in ms since the epoch. */
  readonly ctime: number;
  /** When the node was last created or set, in ms since the epoch. */
  readonly mtime: number;
}

/** Thrown when a node that must exist does not. */
export class NoNodeError extends Error {
  override name = 'NoNodeError';
  constructor(readonly path: string) {
    super(`tabstream: node ${path} does not exist`);
  }
}

/** Thrown when creating a node that exists. */
export class NodeExistsError extends Error {
  override name = 'NodeExistsError';
  constructor(readonly path: string) {
    super(`tabstream: node ${path} already exists`);
  }
}

/** Thrown when a conditional set or delete finds another version than it expected. */
export class BadVersionError extends Error {
  override name = 'BadVersionError';
  constructor(
    readonly path: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`tabstream: node ${path} is at version ${actualVersion}, not ${expectedVersion}`);
  }
}

interface CoordSchema extends DBSchema {
  nodes: { key: string; value: NodeStat<unknown> };
}

type NodesStore = IDBPObjectStore<CoordSchema, ['nodes'], 'nodes', 'readwrite'>;
type Watcher = (node: NodeStat<unknown> | undefined) => void;

const VERSION = 1;
/** '/', then segments separated by '/': no empty segment, no trailing '/'. */
const PATH = /^(?:\/[^/]+)+$/;

/**
 * ZooKeeper's versioned nodes with watches, in the IndexedDB database `<scope>:coord`, shared by
 * every tab and worker of the origin. Paths are '/'-separated ('/consumers/g1/offsets'); data
 * must be structured-cloneable. Unlike ZooKeeper, a node needs no parent: the tree is implied by
 * the paths (as S3 keys imply folders), and a watch stays until it is unsubscribed.
 */
export class NodeStore {
  private readonly watchers = new Map<string, Set<Watcher>>();
  /** Watched reads, in order, so a watcher never sees an older node after a newer one. */
  private reads: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly db: IDBPDatabase<CoordSchema>,
    /** Carries the path of every change to the other stores of the scope. */
    private readonly bus: Bus<string>,
  ) {
    bus.subscribe((path) => this.notify(path));
  }

  /**
   * Opens (creating if needed) the nodes of `scope`.
   * - must work alike on the main thread and in a worker of the same origin;
   * - must close itself when a newer version of the schema asks to upgrade, rather than block it.
   */
  static async open(scope: string): Promise<NodeStore> {
    const db = await openDB<CoordSchema>(`${scope}:coord`, VERSION, {
      upgrade(db) {
        db.createObjectStore('nodes', { keyPath: 'path' });
      },
      blocking(_current, _next, event) {
        (event.target as IDBDatabase).close();
      },
    });
    return new NodeStore(db, new Bus(`coord:${scope}`));
  }

  /**
   * Creates node `path` holding `data`, at version 0.
   * - must throw NodeExistsError, and change nothing, if the node exists;
   * - must be atomic: of several tabs creating one path at once, exactly one succeeds.
   */
  create<T>(path: string, data: T): Promise<NodeStat<T>> {
    checkPath(path);
    return this.write(path, async (store) => {
      if ((await store.getKey(path)) !== undefined) throw new NodeExistsError(path);
      const now = Date.now();
      const node: NodeStat<T> = { path, data, version: 0, ctime: now, mtime: now };
      await store.add(node);
      return node;
    });
  }

  /** The node at `path`, or undefined if there is none. */
  async get<T>(path: string): Promise<NodeStat<T> | undefined> {
    checkPath(path);
    return (await this.db.get('nodes', path)) as NodeStat<T> | undefined;
  }

  /**
   * Replaces the data of node `path`, and adds 1 to its version.
   * - must throw NoNodeError if the node does not exist;
   * - must throw BadVersionError, and change nothing, if `expectedVersion` is given and the
   *   node's version differs: read, compare and write happen in one transaction, so of several
   *   sets expecting the same version exactly one succeeds.
   */
  set<T>(path: string, data: T, expectedVersion?: number): Promise<NodeStat<T>> {
    checkPath(path);
    return this.write(path, async (store) => {
      const node = await existing(store, path, expectedVersion);
      const next: NodeStat<T> = { ...node, data, version: node.version + 1, mtime: Date.now() };
      await store.put(next);
      return next;
    });
  }

  /**
   * Deletes node `path` (not the nodes below it).
   * - must throw NoNodeError if the node does not exist;
   * - must throw BadVersionError, and change nothing, if `expectedVersion` is given and the
   *   node's version differs.
   */
  delete(path: string, expectedVersion?: number): Promise<void> {
    checkPath(path);
    return this.write(path, async (store) => {
      await existing(store, path, expectedVersion);
      await store.delete(path);
    });
  }

  /**
   * The names one level below `path` ('/' for the root) of the nodes below it, sorted: the
   * children of '/consumers' holding '/consumers/g1/offsets' are ['g1'].
   */
  async children(path: string): Promise<string[]> {
    if (path !== '/') checkPath(path);
    const prefix = path === '/' ? '/' : `${path}/`;
    // Every key that starts with `prefix`: '0' is the character after '/'.
    const range = IDBKeyRange.bound(prefix, `${prefix.slice(0, -1)}0`, false, true);
    const names = new Set<string>();
    for (const key of await this.db.getAllKeys('nodes', range)) {
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : rest.slice(0, slash));
    }
    return [...names].sort();
  }

  /**
   * Calls `fn(node)` after every change of node `path` (created, set or deleted), by this store
   * or by any tab or worker of the origin, with the node as it then is (undefined once deleted);
   * returns the unsubscribe.
   * - must call `fn` once per change it hears of, in order; several quick changes may all show
   *   the latest node;
   * - must not let a throwing `fn` keep the other watchers from being called.
   */
  watch<T>(path: string, fn: (node: NodeStat<T> | undefined) => void): () => void {
    checkPath(path);
    const watcher = fn as Watcher;
    let watchers = this.watchers.get(path);
    if (!watchers) this.watchers.set(path, (watchers = new Set()));
    watchers.add(watcher);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.watchers.get(path) === watchers) this.watchers.delete(path);
    };
  }

  /** Closes the database and drops the watches; the store can no longer be used. */
  close(): void {
    this.closed = true;
    this.watchers.clear();
    this.bus.close();
    this.db.close();
  }

  /** Runs `change` in one strict readwrite transaction; once committed, tells the watchers. */
  private async write<R>(path: string, change: (store: NodesStore) => Promise<R>): Promise<R> {
    const tx = this.db.transaction('nodes', 'readwrite', { durability: 'strict' });
    const [result] = await Promise.all([change(tx.store), tx.done]);
    this.bus.post(path);
    this.notify(path);
    return result;
  }

  /** Reads node `path` afresh for its watchers: the message says what changed, not how. */
  private notify(path: string): void {
    if (this.closed || !this.watchers.has(path)) return;
    this.reads = this.reads
      .then(async () => {
        if (this.closed) return;
        const node = await this.db.get('nodes', path);
        notifyAll(this.watchers.get(path) ?? [], (fn) => fn(node), 'a node watcher failed');
      })
      .catch((error: unknown) => reportOnce('reading a watched node failed', error));
  }
}

/** Node `path`, at `expectedVersion` if given. */
async function existing(store: NodesStore, path: string, expectedVersion?: number) {
  const node = await store.get(path);
  if (!node) throw new NoNodeError(path);
  if (expectedVersion !== undefined && node.version !== expectedVersion) {
    throw new BadVersionError(path, expectedVersion, node.version);
  }
  return node;
}

function checkPath(path: string): void {
  if (!PATH.test(path)) {
    throw new TypeError(`tabstream: node path "${path}" must be '/'-separated names, like /a/b`);
  }
}
