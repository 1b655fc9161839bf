import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import { notifyAll, reportDamage, reportOnce } from '../shared';
import { Bus } from './bus';

/** A node and its metadata, as ZooKeeper's znode and Stat. */
export interface NodeStat<T> {
  readonly path: string;
  readonly data: T;
  /** 0 when created, +1 on every set. */
  readonly version: number;
  /** When the node was created, in ms since the epoch. */
  readonly ctime: number;
  /** When the node was last created, set or appended to, in ms since the epoch. */
  readonly mtime: number;
  /** The entries appended since the node was created or last set, oldest first (if any). */
  readonly appended?: readonly unknown[];
}

/** An entry appended to a node, as stored: its own record, keyed after the node's path. */
interface Appended {
  readonly path: string;
  readonly data: unknown;
  /** The node's version once the entry was appended. */
  readonly version: number;
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
  nodes: { key: string; value: NodeStat<unknown> | Appended };
}

type NodesStore = IDBPObjectStore<CoordSchema, ['nodes'], 'nodes', 'readwrite'>;
type Watcher = (node: NodeStat<unknown> | undefined) => void;

const VERSION = 1;
/** '/', then segments separated by '/': no empty segment, no trailing '/' (and no U+0000). */
const PATH = /^(?:\/[^/]+)+$/;
/** Between a node's path and the version of an entry appended to it, in the entry's key. */
const APPENDED = '\u0000';

/**
 * ZooKeeper's versioned nodes with watches, in the IndexedDB database `<scope>:coord`, shared by
 * every tab and worker of the origin. Paths are '/'-separated ('/consumers/g1/offsets'); data
 * must be structured-cloneable. Unlike ZooKeeper, a node needs no parent: the tree is implied by
 * the paths (as S3 keys imply folders), and a watch stays until it is unsubscribed.
 * Trust nothing read: a stored node whose path, version or times are not what this store
 * writes is reported as damage and read as no node (the next create replaces it). A database
 * deleted while open (devtools, "clear site data") is recreated empty at the next use, said
 * once; its watchers are told their nodes are gone. The data of a node is the caller's to check.
 * Beyond ZooKeeper, a node can take appended entries (`append`): a large node changed a little
 * at a time (a snapshot and its changes, as Kafka Streams' changelog) writes only the change.
 */
export class NodeStore {
  private readonly watchers = new Map<string, Set<Watcher>>();
  /** Watched reads, in order, so a watcher never sees an older node after a newer one. */
  private reads: Promise<void> = Promise.resolve();
  private closed = false;
  /** The open connection; null once it was closed under this store (deleted, or forced). */
  private db: IDBPDatabase<CoordSchema> | null = null;
  private opening: Promise<IDBPDatabase<CoordSchema>> | null = null;

  private constructor(
    readonly database: string,
    /** Carries the path of every change to the other stores of the scope. */
    private readonly bus: Bus<string>,
  ) {
    bus.subscribe((path) => this.notify(path));
  }

  /**
   * Opens (creating if needed) the nodes of `scope`.
   * - must work alike on the main thread and in a worker of the same origin;
   * - must close itself when a newer version of the schema asks to upgrade, or the database is
   *   deleted, rather than block it.
   */
  static async open(scope: string): Promise<NodeStore> {
    const store = new NodeStore(`${scope}:coord`, new Bus(`coord:${scope}`));
    store.db = await store.connect();
    return store;
  }

  /**
   * Creates node `path` holding `data`, at version 0.
   * - must throw NodeExistsError, and change nothing, if the node exists (a damaged one does
   *   not: it is replaced);
   * - must be atomic: of several tabs creating one path at once, exactly one succeeds.
   */
  create<T>(path: string, data: T): Promise<NodeStat<T>> {
    checkPath(path);
    return this.write(path, async (store) => {
      if (this.checked(path, await store.get(path))) throw new NodeExistsError(path);
      const now = Date.now();
      const node: NodeStat<T> = { path, data, version: 0, ctime: now, mtime: now };
      await store.delete(appendedRange(path)); // a damaged node's, replaced with it
      await store.put(node);
      return node;
    });
  }

  /**
   * The node at `path` with its appended entries (read in one transaction), or undefined if
   * there is none (or it is damaged: reported).
   */
  async get<T>(path: string): Promise<NodeStat<T> | undefined> {
    checkPath(path);
    return (await this.withDB((db) => this.read(db, path))) as NodeStat<T> | undefined;
  }

  /** Whether node `path` exists (damaged or not): ZooKeeper's `exists`, reading no data. */
  async exists(path: string): Promise<boolean> {
    checkPath(path);
    return (await this.withDB((db) => db.getKey('nodes', path))) !== undefined;
  }

  /**
   * Replaces the data of node `path`, and adds 1 to its version.
   * - must throw NoNodeError if the node does not exist (or is damaged);
   * - must throw BadVersionError, and change nothing, if `expectedVersion` is given and the
   *   node's version differs: read, compare and write happen in one transaction, so of several
   *   sets expecting the same version exactly one succeeds.
   */
  set<T>(path: string, data: T, expectedVersion?: number): Promise<NodeStat<T>> {
    checkPath(path);
    return this.write(path, async (store) => {
      const node = await this.existing(store, path, expectedVersion);
      const next: NodeStat<T> = { ...node, data, version: node.version + 1, mtime: Date.now() };
      await store.delete(appendedRange(path));
      await store.put(next);
      return next;
    });
  }

  /**
   * Appends `entry` to node `path` and adds 1 to its version; resolves with the new version.
   * Readers get the node's data as last created or set, and `appended`: the entries since, in
   * order (those of a version not above the node's own are left: a writer that knew of no
   * entries set it). A `set` replaces both.
   * - must write the entry alone, not the node's data;
   * - must throw NoNodeError if the node does not exist;
   * - must throw BadVersionError, and change nothing, if `expectedVersion` is given and the
   *   node's version differs: of several appends expecting one version exactly one succeeds.
   */
  append(path: string, entry: unknown, expectedVersion?: number): Promise<number> {
    checkPath(path);
    return this.write(path, async (store) => {
      const { version } = await this.existing(store, path, expectedVersion);
      const appended: Appended = {
        path: appendedKey(path, version + 1),
        data: entry,
        version: version + 1,
        mtime: Date.now(),
      };
      await store.put(appended);
      return version + 1;
    });
  }

  /**
   * Deletes node `path` (not the nodes below it).
   * - must throw NoNodeError if the node does not exist (a damaged one is deleted);
   * - must throw BadVersionError, and change nothing, if `expectedVersion` is given and the
   *   node's version differs.
   */
  delete(path: string, expectedVersion?: number): Promise<void> {
    checkPath(path);
    return this.write(path, async (store) => {
      if ((await store.getKey(path)) === undefined) throw new NoNodeError(path);
      if (expectedVersion !== undefined) await this.existing(store, path, expectedVersion);
      await store.delete(appendedRange(path));
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
    for (const key of await this.withDB((db) => db.getAllKeys('nodes', range))) {
      const rest = key.slice(prefix.length);
      names.add(rest.split('/', 1)[0]!.split(APPENDED, 1)[0]!); // an entry's key names its node
    }
    return [...names].sort();
  }

  /**
   * Calls `fn(node)` after every change of node `path` (created, set or deleted), by this store
   * or by any tab or worker of the origin, with the node as it then is (undefined once deleted);
   * returns the unsubscribe.
   * - must call `fn` once per change it hears of, in order; several quick changes may all show
   *   the latest node;
   * - must call `fn(undefined)` when the database is deleted under it;
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
    this.db?.close();
    this.db = null;
  }

  /**
   * Opens the database; when it is to be deleted or upgraded, closes it so as not to block
   * that, and forgets it: the next use opens it again (after a deletion, empty).
   */
  private async connect(): Promise<IDBPDatabase<CoordSchema>> {
    const db = await openDB<CoordSchema>(this.database, VERSION, {
      upgrade(db) {
        db.createObjectStore('nodes', { keyPath: 'path' });
      },
      blocking: (_current, next, event) => {
        (event.target as IDBDatabase).close();
        const deleted =
          'deleted while open: recreated empty; what was kept there is rebuilt by its owners';
        this.lost(db, next === null ? deleted : null);
      },
      terminated: () =>
        this.lost(db, 'closed by the browser (its storage cleared?): opened again at the next use'),
    });
    return db;
  }

  /**
   * The connection `db` is gone (`why`; null for an upgrade, which its newer code tells of): a
   * deleted database is recreated now if anyone watches.
   */
  private lost(db: IDBPDatabase<CoordSchema>, why: string | null): void {
    if (this.db !== db) return;
    this.db = null;
    if (this.closed || why === null) return;
    reportDamage({
      database: this.database,
      store: 'nodes',
      at: 'the whole database',
      problem: why,
    });
    for (const path of this.watchers.keys()) this.notify(path);
  }

  /** Runs `use` on the open connection, opening it again if it was lost (once more if lost meanwhile). */
  private async withDB<R>(use: (db: IDBPDatabase<CoordSchema>) => Promise<R>): Promise<R> {
    const db = await this.connection();
    try {
      return await use(db);
    } catch (error) {
      if ((error as Error)?.name !== 'InvalidStateError' || this.db === db) throw error;
      return use(await this.connection());
    }
  }

  private async connection(): Promise<IDBPDatabase<CoordSchema>> {
    if (this.closed) throw new Error(`tabstream: the node store ${this.database} is closed`);
    if (this.db) return this.db;
    this.opening ??= this.connect().finally(() => (this.opening = null));
    const db = await this.opening;
    if (this.closed) db.close();
    else this.db ??= db;
    return db;
  }

  /** Runs `change` in one strict readwrite transaction; once committed, tells the watchers. */
  private async write<R>(path: string, change: (store: NodesStore) => Promise<R>): Promise<R> {
    const result = await this.withDB(async (db) => {
      const tx = db.transaction('nodes', 'readwrite', { durability: 'strict' });
      const [result] = await Promise.all([change(tx.store), tx.done]);
      return result;
    });
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
        const node = await this.withDB((db) => this.read(db, path));
        notifyAll(this.watchers.get(path) ?? [], (fn) => fn(node), 'a node watcher failed');
      })
      .catch((error: unknown) => reportOnce('reading a watched node failed', error));
  }

  /** Node `path`, at `expectedVersion` if given (its data as last set; its version, appends too). */
  private async existing(store: NodesStore, path: string, expectedVersion?: number) {
    const node = this.checked(path, await store.get(path));
    if (!node) throw new NoNodeError(path);
    const last = await store.openKeyCursor(appendedRange(path), 'prev');
    const version = versionOf(node, last ? [last.key] : []);
    if (expectedVersion !== undefined && version !== expectedVersion) {
      throw new BadVersionError(path, expectedVersion, version);
    }
    return { ...node, version };
  }

  /** Node `path` with its appended entries, read in one transaction (damage reported). */
  private async read(db: IDBPDatabase<CoordSchema>, path: string) {
    const tx = db.transaction('nodes', 'readonly');
    const [value, keys, entries] = await Promise.all([
      tx.store.get(path),
      tx.store.getAllKeys(appendedRange(path)),
      tx.store.getAll(appendedRange(path)),
      tx.done,
    ]);
    const node = this.checked(path, value);
    if (!node || keys.length === 0) return node;
    const version = versionOf(node, keys);
    const appended = entries.filter(
      (entry) => this.checkedEntry(path, entry) && entry.version > node.version,
    );
    const mtime = Math.max(node.mtime, ...appended.map((entry) => entry.mtime));
    if (appended.length === 0) return { ...node, version, mtime };
    return { ...node, version, mtime, appended: appended.map((entry) => entry.data) };
  }

  /** Whether `value`, read as an entry appended to `path`, is one; if not, reported. */
  private checkedEntry(path: string, value: unknown): value is Appended {
    const entry = value as Partial<Appended> | null;
    const problem =
      typeof entry !== 'object' || entry === null
        ? `not an appended entry but ${typeof entry}`
        : !('data' in entry)
          ? 'it has no data'
          : !Number.isSafeInteger(entry.version) || entry.path !== appendedKey(path, entry.version!)
            ? `its version is ${describe(entry.version)}, not the one of its key`
            : !Number.isFinite(entry.mtime)
              ? `its mtime is ${describe(entry.mtime)}, not a time`
              : null;
    if (problem === null) return true;
    reportDamage({
      database: this.database,
      store: 'nodes',
      at: `${path} (an entry appended to it)`,
      problem: `${problem}: left out; its node's owner checks what is missing`,
    });
    return false;
  }

  /** `value` as read from `path` if it is a node as this store writes them; else reported, and undefined. */
  private checked(path: string, value: unknown): NodeStat<unknown> | undefined {
    if (value === undefined) return undefined;
    const problem = nodeProblem(path, value);
    if (problem === null) return value as NodeStat<unknown>;
    reportDamage({
      database: this.database,
      store: 'nodes',
      at: path,
      problem: `${problem}: read as no node; the next create replaces it`,
    });
    return undefined;
  }
}

/** What is wrong with `value` as the node at `path`, or null if nothing is. */
function nodeProblem(path: string, value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `not a node but ${typeof value}`;
  const node = value as Partial<Record<keyof NodeStat<unknown>, unknown>>;
  if (node.path !== path) return `its path is ${JSON.stringify(node.path)}`;
  if (!('data' in node)) return 'it has no data';
  if (!Number.isSafeInteger(node.version) || (node.version as number) < 0)
    return `its version is ${describe(node.version)}, not a whole number ≥ 0`;
  for (const time of ['ctime', 'mtime'] as const) {
    if (!Number.isFinite(node[time])) return `its ${time} is ${describe(node[time])}, not a time`;
  }
  return null;
}

/** `value`, shortly, for a message; never throws (whatever storage held). */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}

/** The key of the entry appended to node `path` at `version`: sorts by version (16 digits). */
function appendedKey(path: string, version: number): string {
  return `${path}${APPENDED}${String(version).padStart(16, '0')}`;
}

/**
 * The version of `node` (as last set) with entries appended under `keys`: the last key's, if
 * above its own. Keys, not entries: a damaged entry still took its version.
 */
function versionOf(node: NodeStat<unknown>, keys: readonly string[]): number {
  const last = Number(keys.at(-1)?.slice(node.path.length + APPENDED.length));
  return Number.isSafeInteger(last) ? Math.max(last, node.version) : node.version;
}

/** The keys of every entry appended to node `path`. */
function appendedRange(path: string): IDBKeyRange {
  return IDBKeyRange.bound(`${path}${APPENDED}`, `${path}\u0001`, false, true);
}

function checkPath(path: string): void {
  if (!PATH.test(path) || path.includes(APPENDED)) {
    throw new TypeError(`tabstream: node path "${path}" must be '/'-separated names, like /a/b`);
  }
}
