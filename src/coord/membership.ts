import { notifyAll, reportOnce, warnOnce } from '../shared';
import { Bus } from './bus';

/** A live member's view of its group. */
export interface Membership {
  readonly memberId: string;
  /**
   * Live members (this one included), sorted by member id.
   * - must include every member that was live when this one joined, and each later joiner once
   *   its join is announced;
   * - must be empty once this member has left.
   */
  members(): readonly string[];
  /**
   * Calls `fn(members)` after every change (join, leave, close or crash of a tab/worker);
   * returns the unsubscribe.
   * - must not call `fn` after this member has left;
   * - must not let a throwing `fn` keep the other listeners from being called.
   */
  onChange(fn: (members: readonly string[]) => void): () => void;
  /**
   * Leaves the group: the others see it gone.
   * - must resolve once the others can see it gone (its lock is released);
   * - must be safe to call twice.
   */
  leave(): Promise<void>;
}

/**
 * Joins group `group` of scope `scope` (e.g. the log's name): ZooKeeper's ephemeral nodes, on
 * Web Locks. Resolves once this member is live and its first view of the members is known.
 * - must reject if a live member of the group already has `memberId`;
 * - must work alike in a window and in a worker of the same origin;
 * - must see a member gone when its tab or worker closes or crashes, without timeouts.
 *
 * How: each member holds the exclusive lock `tabstream:member:<scope>:<group>:<memberId>` for
 * its life, which the browser releases when the tab or worker dies, even on a crash. A joiner
 * lists the members with `locks.query()` and announces itself over a BroadcastChannel so the
 * others list them again. Each member watches each other one with a *shared* request on its
 * lock: granted only once that member is gone (then released at once). Shared, so that all
 * watchers are granted together and a watcher never looks like a member to `query()`.
 *
 * Without Web Locks (pages not served from a secure context) each member sees itself alone and
 * one console warning says so: heartbeats could only guess at crashes with a timeout, and
 * "alone" keeps every member doing all the work, which the checkpoints make safe (as when
 * every tab leads).
 */
export function joinGroup(scope: string, group: string, memberId?: string): Promise<Membership> {
  const id = memberId ?? newMemberId();
  const locks = globalThis.navigator?.locks;
  if (!locks) return Promise.resolve(joinAlone(id));
  // encodeURIComponent encodes ':', so group "a" never lists the members of group "a:b".
  const name = `member:${encodeURIComponent(scope)}:${encodeURIComponent(group)}:`;
  return LockMembership.join(locks, name, id);
}

class LockMembership implements Membership {
  private readonly view = new Set<string>();
  private readonly listeners = new Set<(members: readonly string[]) => void>();
  /** Aborts the pending watches when this member leaves. */
  private readonly watches = new AbortController();
  /** Carries the ids of joiners; a message only prompts a fresh `query()`. */
  private readonly bus: Bus<string>;
  private release = (): void => {};
  private held: Promise<unknown> = Promise.resolve();
  private left = false;
  /** The lock names of the group's members: this prefix, then the URI-encoded member id. */
  private readonly prefix: string;

  /** `name`: the group's lock names and channel, after `tabstream:`. */
  private constructor(
    private readonly locks: LockManager,
    name: string,
    readonly memberId: string,
  ) {
    this.prefix = `tabstream:${name}`;
    this.view.add(memberId);
    // Listening before querying: a member that joins meanwhile is either listed or heard.
    this.bus = new Bus(name);
    this.bus.subscribe(() => {
      this.refresh().catch((error: unknown) => reportOnce('listing the members failed', error));
    });
  }

  static async join(locks: LockManager, name: string, memberId: string) {
    const membership = new LockMembership(locks, name, memberId);
    try {
      await membership.hold();
      await membership.refresh();
    } catch (error) {
      await membership.leave();
      throw error;
    }
    membership.bus.post(memberId);
    return membership;
  }

  members(): readonly string[] {
    return [...this.view].sort();
  }

  onChange(fn: (members: readonly string[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    this.listeners.clear();
    this.view.clear();
    this.watches.abort();
    this.bus.close();
    this.release();
    await this.held.catch(() => {});
  }

  /** Takes this member's lock, and keeps it until `release()`. */
  private hold(): Promise<void> {
    return new Promise((resolve, reject) => {
      const name = this.prefix + encodeURIComponent(this.memberId);
      this.held = this.locks.request(name, { ifAvailable: true }, (lock) => {
        if (!lock) return reject(new Error(`tabstream: member "${this.memberId}" is already live`));
        resolve();
        return new Promise<void>((released) => (this.release = released));
      });
      this.held.catch(reject);
    });
  }

  /** Lists the members from the held locks, and watches the ones not yet known. */
  private async refresh(): Promise<void> {
    const { held = [] } = await this.locks.query();
    for (const { name, mode } of held) {
      if (mode !== 'exclusive' || !name?.startsWith(this.prefix)) continue;
      this.watch(decodeURIComponent(name.slice(this.prefix.length)));
    }
  }

  private watch(id: string): void {
    if (this.left || this.view.has(id)) return;
    this.view.add(id);
    const name = this.prefix + encodeURIComponent(id);
    // Granted once the member's exclusive lock is released: it left, closed or crashed.
    this.locks
      .request(name, { mode: 'shared', signal: this.watches.signal }, () => {
        if (!this.left && this.view.delete(id)) this.changed();
      })
      .catch(() => {}); // aborted by leave()
    this.changed();
  }

  private changed(): void {
    const members = this.members();
    notifyAll(this.listeners, (fn) => fn(members), 'a membership listener failed');
  }
}

function joinAlone(memberId: string): Membership {
  warnOnce(
    'tabstream: Web Locks are unavailable (the page is not in a secure context), so each ' +
      'member of a group sees itself alone.',
  );
  let members: readonly string[] = [memberId];
  return {
    memberId,
    members: () => members,
    onChange: () => () => {},
    leave() {
      members = [];
      return Promise.resolve();
    },
  };
}

function newMemberId(): string {
  return globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
}
