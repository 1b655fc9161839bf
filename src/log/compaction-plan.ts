/** Where a stored record batch is: `count` 0 marks a damaged header, which no run crosses. */
export interface BatchSpan {
  readonly baseOffset: number;
  readonly count: number;
}

/**
 * The runs of consecutive small batches (fewer than `batchSize` records each) worth merging,
 * each of at most `batchSize` records and `maxBatches` batches, two or more, in offset order: greedily, as
 * bin-packing in offset order, keeping only runs that hold `fanIn` times the records of their
 * largest batch, or ¾ of `batchSize` and twice its largest batch (a run that does not is
 * shortened from its start, so that small batches after a big one merge among themselves
 * first): each merge at least doubles the batch a record is in, so no record is rewritten
 * more than log2(batchSize) times, and about log_fanIn(batchSize) times as batches trickle in.
 * - must never put in one run two batches that are not adjacent (a lost header between them),
 *   a damaged one, or one of `batchSize` records or more.
 */
export function planRuns(
  spans: readonly BatchSpan[],
  batchSize: number,
  fanIn: number,
  maxBatches = Infinity,
): BatchSpan[][] {
  const runs: BatchSpan[][] = [];
  const run = new Run();
  const qualifies = (): boolean =>
    run.length >= 2 &&
    (run.records >= fanIn * run.max() ||
      (run.records >= 0.75 * batchSize && run.records >= 2 * run.max()));
  const flush = (): void => {
    while (run.length >= 2 && !qualifies()) run.shift();
    if (qualifies()) runs.push(run.spans());
    run.clear();
  };
  for (const span of spans) {
    const small = span.count > 0 && span.count < batchSize;
    const last = run.last();
    if (!small || (last && last.baseOffset + last.count !== span.baseOffset)) flush();
    if (!small) continue;
    while (run.length > 0 && (run.records + span.count > batchSize || run.length >= maxBatches)) {
      if (!qualifies()) run.shift();
      else {
        runs.push(run.spans());
        run.clear();
      }
    }
    run.push(span);
  }
  flush();
  return runs;
}

/**
 * A run being planned: its spans (from `first` on), their records, and their largest count
 * (a monotonic queue, from `top` on): each span is pushed and shifted once.
 */
class Run {
  records = 0;
  private all: BatchSpan[] = [];
  private first = 0;
  private maxima: number[] = [];
  private top = 0;

  get length(): number {
    return this.all.length - this.first;
  }

  spans(): BatchSpan[] {
    return this.all.slice(this.first);
  }

  last(): BatchSpan | undefined {
    return this.length > 0 ? this.all.at(-1) : undefined;
  }

  push(span: BatchSpan): void {
    this.all.push(span);
    this.records += span.count;
    while (this.maxima.length > this.top && this.maxima.at(-1)! < span.count) this.maxima.pop();
    this.maxima.push(span.count);
  }

  shift(): void {
    const span = this.all[this.first++]!;
    this.records -= span.count;
    if (this.maxima[this.top] === span.count) this.top++;
  }

  max(): number {
    return this.maxima[this.top] ?? 0;
  }

  clear(): void {
    this.all = [];
    this.first = 0;
    this.records = 0;
    this.maxima = [];
    this.top = 0;
  }
}
