/**
 * Spark's PIDRateEstimator: after each batch, the input rate (events/s) the job can take,
 * from how fast the batch was processed and how far behind schedule it started. A proportional
 * term follows the processing rate; an integral term, the backlog the scheduling delay shows,
 * drains what piled up. Null until two batches with input have been seen.
 */
export class PidRateEstimator {
  private latestTime = -1;
  private latestRate = -1;
  private latestError = -1;
  private firstRun = true;

  constructor(
    private readonly batchIntervalMs: number,
    private readonly proportional = 1,
    private readonly integral = 0.2,
    private readonly derivative = 0,
    private readonly minRate = 100,
  ) {}

  /**
   * The new rate after a batch at `time` (ms) of `elements` events, processed in
   * `processingMs`, that started `schedulingDelayMs` late; null if there is no estimate yet.
   */
  compute(
    time: number,
    elements: number,
    processingMs: number,
    schedulingDelayMs: number,
  ): number | null {
    if (!(time > this.latestTime && elements > 0 && processingMs > 0)) return null;
    const delaySinceUpdate = (time - this.latestTime) / 1000;
    const processingRate = (elements / processingMs) * 1000;
    const error = this.latestRate - processingRate;
    // The events that piled up while the batch waited, as a rate over one batch interval.
    const historicalError = (schedulingDelayMs * processingRate) / this.batchIntervalMs;
    const dError = (error - this.latestError) / delaySinceUpdate;
    const rate = Math.max(
      this.latestRate -
        this.proportional * error -
        this.integral * historicalError -
        this.derivative * dError,
      this.minRate,
    );
    this.latestTime = time;
    if (this.firstRun) {
      this.latestRate = processingRate;
      this.latestError = 0;
      this.firstRun = false;
      return null;
    }
    this.latestRate = rate;
    this.latestError = error;
    return rate;
  }
}
