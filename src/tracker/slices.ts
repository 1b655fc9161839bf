/**
 * Runs work in slices of a few milliseconds, one slice per task, so that no burst of clicks
 * becomes a long task of the host page. `work(budgetMs)` returns true while work is left.
 */
export class Slices {
  static readonly BUDGET_MS = 4;
  private scheduled = false;

  constructor(private readonly work: () => boolean) {}

  get pending(): boolean {
    return this.scheduled;
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(this.run, 0);
  }

  private readonly run = (): void => {
    this.scheduled = false;
    if (this.work()) this.schedule();
  };
}
