/**
 * Runs work in slices of a few milliseconds, one slice per task, so that no burst of clicks
 * becomes a long task of the host page. `work(budgetMs)` returns true while work is left.
 */
export class Slices {
  static readonly BUDGET_MS = 4;
  #scheduled = false;

  readonly #work: () => boolean;

  constructor(work: () => boolean) {
    this.#work = work;
  }

  get pending(): boolean {
    return this.#scheduled;
  }

  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(this.#run, 0);
  }

  readonly #run = (): void => {
    this.#scheduled = false;
    if (this.#work()) this.schedule();
  };
}
