import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { checkedSnapshot, type StatusSnapshot, type StatusSource } from '../../status';

/** Where a `StatusController` finds its source and how often it asks it. */
export interface StatusOptions {
  /** The source to follow now; undefined while there is none yet (it is looked for again). */
  readonly source: () => StatusSource | undefined;
  /** The ms between two refreshes, and between two looks for a missing source. */
  readonly interval: () => number;
}

/**
 * Keeps its host's status snapshot fresh: asks the source every interval while the host is
 * connected and the document visible, and right after every batch; never asks again while an
 * answer is pending (a batch during that wait asks once more when it comes). A failure becomes
 * `error`, logged once until the source answers again.
 */
export class StatusController implements ReactiveController {
  /** The source's last answer; null before its first. */
  snapshot: StatusSnapshot | null = null;
  /** Why the last refresh failed; null after one that did not. */
  error: string | null = null;
  /** The source followed; undefined while there is none. */
  source: StatusSource | undefined = undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private interval = 0;
  private unsubscribe: (() => void) | null = null;
  /** The source asked and not answered yet, if any. */
  private pending: StatusSource | null = null;
  private askAgain = false;
  private logged = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: StatusOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.refreshIfShown);
    this.startTimer(this.options.interval());
    this.follow(this.options.source());
    void this.refresh(true);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.refreshIfShown);
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Takes a new source or interval into account, while connected. */
  sync(): void {
    if (this.timer === undefined) return;
    const interval = this.options.interval();
    if (interval !== this.interval) this.startTimer(interval);
    const source = this.options.source();
    if (source === this.source) return;
    this.follow(source);
    void this.refresh(true);
  }

  private startTimer(interval: number): void {
    clearInterval(this.timer);
    this.interval = interval;
    this.timer = setInterval(() => {
      this.follow(this.options.source());
      if (!document.hidden) void this.refresh(false);
    }, interval);
  }

  // After a batch, or on being shown. A hidden page asks nothing until shown again, but what it
  // was given to show, it shows.
  private readonly refreshIfShown = (): void => void (document.hidden || this.refresh(true));

  /** Follows `source`: what was shown of another source goes, and its batches are heard. */
  private follow(source: StatusSource | undefined): void {
    if (source !== this.source) {
      this.unsubscribe?.();
      this.unsubscribe = null;
      this.source = source;
      this.snapshot = null;
      this.error = null;
      this.logged = false;
      this.host.requestUpdate();
    }
    if (source && !this.unsubscribe)
      this.unsubscribe = source.onBatch?.(this.refreshIfShown) ?? noop;
  }

  /**
   * Asks the source for a snapshot, unless an answer is pending: then, if `again`, asks once
   * more when it is in (a batch may have ended since the pending question).
   */
  private async refresh(again: boolean): Promise<void> {
    const source = this.source;
    if (!source || this.timer === undefined) return;
    if (this.pending === source) {
      this.askAgain ||= again;
      return;
    }
    this.pending = source;
    try {
      await source.ready;
      const snapshot = checkedSnapshot(await source.status());
      if (source === this.source) this.succeeded(snapshot);
    } catch (error) {
      if (source === this.source) this.failed(error);
    }
    if (this.pending !== source) return;
    this.pending = null;
    if (this.askAgain) {
      this.askAgain = false;
      void this.refresh(false);
    }
  }

  private succeeded(snapshot: StatusSnapshot): void {
    this.snapshot = snapshot;
    this.error = null;
    this.logged = false;
    this.host.requestUpdate();
  }

  private failed(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
    if (!this.logged) console.error('tabstream-monitor: could not read the status', error);
    this.logged = true;
    this.host.requestUpdate();
  }
}

const noop = (): void => {};
