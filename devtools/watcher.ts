import { probe } from './inspected-page';
import type { Probe } from './page-side';

/** How often the inspected page is looked at while the panel is shown. */
const INTERVAL_MS = 1000;

/**
 * Looks at the inspected page every second while the panel is shown: tells `onProbe` what it
 * sees, and the batch listeners when a new batch was committed (`tabstream.batches`' last).
 */
export class Watcher {
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private shown = false;
  private polling = false;
  private again = false;
  /** Bumped by `reset`: a probe begun before it may describe the page before. */
  private generation = 0;
  private batch: number | null = null;

  constructor(
    private readonly onProbe: (probe: Probe) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Calls `listener` after each new batch; returns the unsubscribe. */
  onBatch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  show(): void {
    if (this.shown) return;
    this.shown = true;
    void this.poll();
  }

  hide(): void {
    this.shown = false;
    clearTimeout(this.timer);
  }

  /** The page navigated: forget what it was, and look again at once. */
  reset(): void {
    this.generation++;
    this.batch = null;
    if (this.shown) void this.poll();
  }

  private async poll(): Promise<void> {
    clearTimeout(this.timer);
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = true;
    const generation = this.generation;
    try {
      const seen = await probe();
      if (generation === this.generation) this.see(seen);
      else this.again = true;
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling = false;
    }
    if (!this.shown) return;
    const delay = this.again ? 0 : INTERVAL_MS;
    this.again = false;
    this.timer = setTimeout(() => void this.poll(), delay);
  }

  private see(seen: Probe): void {
    this.onProbe(seen);
    const batch = seen.tabstream?.batch ?? null;
    if (batch === this.batch) return;
    this.batch = batch;
    if (batch !== null) for (const listener of this.listeners) listener();
  }
}
