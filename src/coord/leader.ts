import { reportOnce, warnOnce } from '../diagnostics';

/** Undoes what a leader set up; awaited before leadership passes to another tab. */
export type Teardown = () => Promise<void>;

/** This tab's part in an election. */
export interface Election {
  /** True while this tab leads. */
  readonly isLeader: boolean;
  /** Stops leading (tearing down first) or stops waiting to lead. */
  resign(): Promise<void>;
}

const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * ZooKeeper's leader election, on Web Locks: of all the tabs of an origin that run for `name`,
 * exactly one runs `lead` at a time; when its tab closes or crashes, the browser releases the
 * lock and the next tab in line leads. If `lead` fails, this tab steps down, reports it, and
 * runs again a second later.
 * Without Web Locks (pages not served from a secure context) every tab leads; a leader's work
 * must then be safe to run in several tabs at once (checkpoints make the streaming job so).
 */
export function electLeader(name: string, lead: () => Promise<Teardown>): Election {
  const locks = globalThis.navigator?.locks;
  return locks ? new LockElection(locks, `tabstream:leader:${name}`, lead) : leadAlone(lead);
}

class LockElection implements Election {
  isLeader = false;
  private resigned = false;
  private readonly abort = new AbortController();
  private release = (): void => {};
  private held: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly locks: LockManager,
    private readonly lockName: string,
    private readonly lead: () => Promise<Teardown>,
  ) {
    this.run();
  }

  async resign(): Promise<void> {
    this.resigned = true;
    this.abort.abort();
    this.release();
    await this.held.catch(() => {});
  }

  private run(): void {
    this.held = this.locks.request(this.lockName, { signal: this.abort.signal }, () => this.hold());
    this.held.catch((error: unknown) => {
      if (this.resigned) return;
      reportOnce('leading failed; trying again', error);
      setTimeout(() => this.resigned || this.run(), RETRY_AFTER_FAILURE_MS);
    });
  }

  private async hold(): Promise<void> {
    if (this.resigned) return;
    const released = new Promise<void>((resolve) => (this.release = resolve));
    const teardown = await this.lead();
    this.isLeader = true;
    try {
      await released;
    } finally {
      this.isLeader = false;
      await teardown();
    }
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
