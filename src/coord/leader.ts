import { reportOnce, warnOnce } from '../diagnostics';
import { Bus } from './bus';

/** Undoes what a leader set up; awaited before leadership passes to another tab. */
export type Teardown = () => Promise<void>;

/** This tab's part in an election. */
export interface Election {
  /** True while this tab leads. */
  readonly isLeader: boolean;
  /**
   * Stops leading (tearing down first) or stops waiting to lead. `hastily`: gives the lead up
   * at once and tears down after (for a page going into the back/forward cache, which other
   * tabs must not wait on); what the leader did must then be safe to overlap with the next.
   */
  resign(hastily?: boolean): Promise<void>;
}

const RETRY_AFTER_FAILURE_MS = 1000;
/** How long a visible tab waits, at most, before it takes over from a hidden leader. */
const TAKE_OVER_JITTER_MS = 200;

/**
 * ZooKeeper's leader election, on Web Locks: of all the tabs of an origin that run for `name`,
 * exactly one runs `lead` at a time; when its tab closes or crashes, the browser releases the
 * lock and the next tab in line leads. When the leader's page is hidden (and may be throttled,
 * or frozen on a phone), a visible tab takes the lock from it (`steal`), and the hidden one
 * tears down and queues again. If `lead` fails, this tab steps down, reports it, and runs
 * again a second later.
 * Without Web Locks (pages not served from a secure context) every tab leads; a leader's work
 * must then be safe to run in several tabs at once (checkpoints make the streaming job so).
 */
export function electLeader(name: string, lead: () => Promise<Teardown>): Election {
  const locks = globalThis.navigator?.locks;
  return locks ? new LockElection(locks, `tabstream:leader:${name}`, lead) : leadAlone(lead);
}

/** What a leader tells the candidates: whether its page is hidden. */
interface LeaderVisibility {
  readonly hidden: boolean;
}

class LockElection implements Election {
  isLeader = false;
  private resigned = false;
  private hastily = false;
  private holding = false;
  /** Aborts the request waiting in the lock's queue (to resign, or to take over instead). */
  private waiting = new AbortController();
  private release = (): void => {};
  private held: Promise<unknown> = Promise.resolve();
  /** True while the leader says its page is hidden. */
  private leaderHidden = false;
  /** Carries the leader's visibility to the candidates; null off the main thread. */
  private readonly bus: Bus<LeaderVisibility> | null;

  constructor(
    private readonly locks: LockManager,
    private readonly lockName: string,
    private readonly lead: () => Promise<Teardown>,
  ) {
    this.bus = globalThis.document ? new Bus(`${lockName}:visibility`) : null;
    this.bus?.subscribe(({ hidden }) => {
      this.leaderHidden = hidden;
      this.takeOverIfHidden();
    });
    globalThis.addEventListener?.('visibilitychange', this.onVisibilityChange);
    this.run(false);
    // A leader hidden before this tab opened told no one here: its last word is kept.
    this.leaderHidden = this.bus !== null && readHidden(this.hiddenKey);
    this.takeOverIfHidden();
  }

  /** Where the leader's visibility is kept, for candidates that start after it spoke. */
  private get hiddenKey(): string {
    return `${this.lockName}:hidden`;
  }

  async resign(hastily = false): Promise<void> {
    this.resigned = true;
    this.hastily = hastily;
    globalThis.removeEventListener?.('visibilitychange', this.onVisibilityChange);
    this.bus?.close();
    this.waiting.abort();
    this.release();
    await this.held.catch(() => {});
  }

  /**
   * Queues for the lock, or with `steal` takes it from a leader whose page is hidden (and may be
   * throttled or frozen): Web Locks release a stolen lock even in a frozen page.
   */
  private run(steal: boolean): void {
    this.waiting = new AbortController();
    const options: LockOptions = steal ? { steal: true } : { signal: this.waiting.signal };
    const held = this.locks.request(this.lockName, options, () => this.hold());
    this.held = held;
    held.catch((error: unknown) => {
      if (this.resigned || held !== this.held) return; // resigned, or given up to take over
      if ((error as Error)?.name === 'AbortError') {
        this.release(); // stolen by a visible tab: stop leading, and queue again
        this.run(false);
        return;
      }
      reportOnce('leading failed; trying again', error);
      setTimeout(() => this.resigned || this.run(false), RETRY_AFTER_FAILURE_MS);
    });
  }

  private async hold(): Promise<void> {
    if (this.resigned) return;
    const released = new Promise<void>((resolve) => (this.release = resolve));
    // Holding the lock: no hidden leader to take over from while `lead` starts.
    this.holding = true;
    this.leaderHidden = false;
    let teardown: Teardown;
    try {
      teardown = await this.lead();
    } finally {
      this.holding = false;
    }
    this.isLeader = true;
    this.leaderHidden = false;
    this.announceVisibility();
    try {
      await released;
    } finally {
      this.isLeader = false;
      this.forgetVisibility();
      const torn = teardown();
      if (this.hastily) torn.catch((error) => reportOnce('stepping down failed', error));
      else await torn;
    }
  }

  private readonly onVisibilityChange = (): void => {
    if (this.isLeader) this.announceVisibility();
    else this.takeOverIfHidden();
  };

  private announceVisibility(): void {
    if (!globalThis.document) return;
    const hidden = document.visibilityState === 'hidden';
    this.bus?.post({ hidden });
    try {
      localStorage.setItem(this.hiddenKey, hidden ? '1' : '0');
    } catch {
      // No localStorage: candidates opened later wait for the leader's next word.
    }
  }

  /** A leader stepping down leaves no word that would make the next one look hidden. */
  private forgetVisibility(): void {
    try {
      globalThis.localStorage?.removeItem(this.hiddenKey);
    } catch {
      // No localStorage: nothing was kept.
    }
  }

  /**
   * A visible candidate takes over from a hidden leader, after a random pause so that of
   * several visible tabs one usually goes first (the leader it makes says so, and the others
   * stand down); if two steal anyway, the first queues again.
   */
  private takeOverIfHidden(): void {
    const wanted = () =>
      this.leaderHidden &&
      !this.isLeader &&
      !this.holding &&
      !this.resigned &&
      document.visibilityState === 'visible';
    if (!wanted()) return;
    setTimeout(() => {
      if (!wanted()) return;
      this.leaderHidden = false;
      const waiting = this.waiting;
      this.run(true);
      waiting.abort(); // the old request, no longer this.held, is ignored
    }, Math.random() * TAKE_OVER_JITTER_MS);
  }
}

function readHidden(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function leadAlone(lead: () => Promise<Teardown>): Election {
  warnOnce(
    'tabstream: Web Locks are unavailable (the page is not in a secure context), so every tab ' +
      'runs the streaming job; checkpoints still count each event once.',
  );
  const teardown = lead();
  const election = {
    isLeader: true,
    async resign() {
      election.isLeader = false;
      await (
        await teardown
      )();
    },
  };
  return election;
}
