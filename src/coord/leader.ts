import { reportDamage, reportOnce, warnOnce } from '../shared';
import { Bus } from './bus';

/** Undoes what a leader set up; awaited before leadership passes to another tab. */
export type Teardown = () => Promise<void>;

/**
 * Sets a leader up; resolves with its teardown. `stepDown(error)`, called while leading, says
 * the leader's work failed for good: the tab tears down, gives the lead up, reports `error`,
 * and runs again a second later (a leader that holds the lock must never sit idle).
 */
export type Lead = (stepDown: (error: unknown) => void) => Promise<Teardown>;

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
 * tears down and queues again. If `lead` fails, or the leader calls `stepDown`, this tab
 * steps down, reports it, and runs again a second later.
 * - must run `lead` once at a time in a tab: a request superseded by a take-over (whose lock a
 *   busy machine granted after the take-over's pause) never leads, and a new lead waits for
 *   the last teardown.
 * Without Web Locks (pages not served from a secure context) every tab leads; a leader's work
 * must then be safe to run in several tabs at once (checkpoints make the streaming job so).
 */
export function electLeader(name: string, lead: Lead): Election {
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
  /** The last teardown: the next lead starts after it. */
  private tornDown: Promise<void> = Promise.resolve();
  /** True while the leader says its page is hidden. */
  private leaderHidden = false;
  /** Carries the leader's visibility to the candidates; null off the main thread. */
  private readonly bus: Bus<LeaderVisibility> | null;

  constructor(
    private readonly locks: LockManager,
    private readonly lockName: string,
    private readonly lead: Lead,
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
    // `held` is assigned before the lock can be granted: a grant for a superseded request
    // (a take-over, or a retry, asked again meanwhile) finds it stale and does nothing.
    const held: Promise<unknown> = this.locks.request(this.lockName, options, () =>
      held === this.held ? this.hold() : undefined,
    );
    this.held = held;
    held.then(
      (failure) => {
        if (failure === undefined || this.resigned || held !== this.held) return;
        this.retry(held, 'the leader stepped down; trying again', failure);
      },
      (error: unknown) => {
        if (this.resigned || held !== this.held) return; // resigned, or given up to take over
        if ((error as Error)?.name === 'AbortError') {
          this.release(); // stolen by a visible tab: stop leading, and queue again
          this.run(false);
          return;
        }
        this.retry(held, 'leading failed; trying again', error);
      },
    );
  }

  /** Reports `error`, and queues again a second later unless `held` was superseded meanwhile. */
  private retry(held: Promise<unknown>, what: string, error: unknown): void {
    reportOnce(what, error);
    setTimeout(
      () => this.resigned || held !== this.held || this.run(false),
      RETRY_AFTER_FAILURE_MS,
    );
  }

  /** Leads until released; resolves with the error the leader stepped down for, if it did. */
  private async hold(): Promise<unknown> {
    if (this.resigned) return undefined;
    let failure: unknown;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (this.release = release = resolve));
    const stepDown = (error: unknown): void => {
      failure ??= error ?? new Error('tabstream: the leader stepped down');
      release();
    };
    // Holding the lock: no hidden leader to take over from while `lead` starts.
    this.holding = true;
    this.leaderHidden = false;
    let teardown: Teardown;
    try {
      await this.tornDown;
      teardown = await this.lead(stepDown);
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
      this.tornDown = torn.catch(() => {});
      if (this.hastily) torn.catch((error) => reportOnce('stepping down failed', error));
      else await torn;
    }
    return failure;
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
  let value: string | null;
  try {
    value = localStorage.getItem(key);
  } catch {
    return false;
  }
  if (value !== null && value !== '0' && value !== '1') {
    const problem = `${JSON.stringify(value.slice(0, 20))} is not "0" or "1": read as visible`;
    reportDamage({ database: 'localStorage', store: key, at: key, problem });
  }
  return value === '1';
}

function leadAlone(lead: Lead): Election {
  warnOnce(
    'tabstream: Web Locks are unavailable (the page is not in a secure context), so every tab ' +
      'runs the streaming job; checkpoints still count each event once.',
  );
  let resigned = false;
  let current: Promise<Teardown> | null = null;
  const start = (): void => {
    const teardown: Promise<Teardown> = lead((error) => {
      if (resigned || current !== teardown) return;
      reportOnce('the leader stepped down; trying again', error);
      current = null;
      election.isLeader = false;
      void teardown
        .then((down) => down())
        .catch((e: unknown) => reportOnce('stepping down failed', e))
        .finally(() => setTimeout(() => resigned || start(), RETRY_AFTER_FAILURE_MS));
    });
    current = teardown;
    election.isLeader = true;
  };
  const election = {
    isLeader: false,
    async resign() {
      resigned = true;
      election.isLeader = false;
      const teardown = current;
      current = null;
      if (teardown) await (await teardown)();
    },
  };
  start();
  return election;
}
