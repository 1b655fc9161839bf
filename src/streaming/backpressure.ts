import { PidRateEstimator } from './rate-estimator';

/** Events per second of interval the first batch may read. */
const FIRST_PACE = 1_000_000;
/** The least events per second of interval any batch may read. */
const MIN_PACE = 100_000;

/**
 * How many records each batch may read (Spark's backpressure): a hard cap per partition, and,
 * when enabled, Spark's PID rate and the pace of the last batch. No record is ever skipped:
 * what a batch may not read waits for the next.
 */
export class Backpressure {
  private readonly pid: PidRateEstimator;
  private pidRate: number | null = null;
  /** Events a batch may read, by the pace of the last (see `update`). */
  private fits: number;

  constructor(
    private readonly batchIntervalMs: number,
    private readonly maxPerPartition: number,
    private readonly enabled: boolean,
  ) {
    this.pid = new PidRateEstimator(batchIntervalMs);
    this.fits = (FIRST_PACE * batchIntervalMs) / 1000;
  }

  /** The rate the next batch may read at, events/s (Infinity: not learnt yet); null if disabled. */
  get rate(): number | null {
    return this.enabled ? (this.allowed() * 1000) / this.batchIntervalMs : null;
  }

  /** Per partition, how many of its `lags` records the next batch may read: shared by lag. */
  limits(lags: readonly number[]): number[] {
    const allowed = this.allowed();
    const total = lags.reduce((a, b) => a + b, 0);
    return lags.map((lag) => {
      if (allowed === Infinity || total === 0) return this.maxPerPartition;
      return Math.min(this.maxPerPartition, Math.max(1, Math.floor(allowed * (lag / total))));
    });
  }

  /**
   * Learns from a committed batch. The next may read what this one's pace processes in one
   * interval, but at most twice as many events, so that a backlog is taken in batches that
   * grow as they prove fast, never in one that blocks the job for seconds.
   */
  update(time: number, events: number, processingMs: number, schedulingDelayMs: number): void {
    const rate = this.pid.compute(time, events, processingMs, schedulingDelayMs);
    if (rate !== null) this.pidRate = rate;
    if (events === 0) return;
    const floor = (MIN_PACE * this.batchIntervalMs) / 1000;
    const fit = (events * this.batchIntervalMs) / Math.max(1, processingMs);
    this.fits = Math.max(floor, Math.min(fit, 2 * events));
  }

  /** Events the next batch may read in all: the PID rate's, and what fits. */
  private allowed(): number {
    if (!this.enabled) return Infinity;
    const byRate = this.pidRate === null ? Infinity : (this.pidRate * this.batchIntervalMs) / 1000;
    return Math.min(byRate, this.fits);
  }
}
