// <tabstream-counts>'s sparklines: each URL's clicks in the last batches, from the all-time
// counts after each batch (a batch's clicks are the difference from the one before).
import { html, type TemplateResult } from 'lit';

/** How many batches a sparkline spans. */
const SPARK_BATCHES = 20;

const STEP = 3; // user units between batches
const WIDTH = (SPARK_BATCHES - 1) * STEP;
const HEIGHT = 12;

/**
 * The clicks of each URL in each of the last `SPARK_BATCHES` batches, oldest first.
 * - counts that are not after a batch (a first read) only set the baseline;
 * - every URL's series spans the batches seen since (a URL new in one had none before).
 * A batch keeps only the URLs clicked in it: most are not, and a series is read only for the
 * rows in view.
 */
export class BatchHistory {
  private last: Readonly<Record<string, number>> | null = null;
  private batches: ReadonlyMap<string, number>[] = [];

  /** Takes the all-time counts, `afterBatch` if a batch produced them. */
  add(counts: Readonly<Record<string, number>>, afterBatch: boolean): void {
    const last = this.last;
    if (last && !afterBatch) return; // a late first read: older than what we have
    this.last = counts;
    if (!last) return;
    const batch = new Map<string, number>();
    for (const url of Object.keys(counts)) {
      const before = last[url];
      const added = counts[url]! - (typeof before === 'number' ? before : 0); // not inherited
      if (added > 0) batch.set(url, added);
    }
    this.batches.push(batch);
    if (this.batches.length > SPARK_BATCHES) this.batches.shift();
  }

  /** The clicks of `url` in each recent batch, oldest first. */
  of(url: string): number[] {
    return this.batches.map((batch) => batch.get(url) ?? 0);
  }

  /** Forgets everything: the counts are now of other URLs. */
  clear(): void {
    this.last = null;
    this.batches = [];
  }
}

/** The points of `series`' polyline, the newest batch at the right edge. */
function sparkPoints(series: readonly number[]): string {
  const max = Math.max(1, ...series);
  const offset = SPARK_BATCHES - series.length;
  return series
    .map((clicks, i) => `${(offset + i) * STEP},${+(HEIGHT - (clicks / max) * HEIGHT).toFixed(2)}`)
    .join(' ');
}

/** `series` drawn as a line, for sighted readers only: the row says it in words too. */
export function sparkline(series: readonly number[]): TemplateResult {
  return html`<svg
    part="sparkline"
    viewBox="-1 -1 ${WIDTH + 2} ${HEIGHT + 2}"
    aria-hidden="true"
    focusable="false"
    preserveAspectRatio="none"
  >
    <polyline points=${sparkPoints(series)}></polyline>
  </svg>`;
}

/** `series` in words: `7 clicks in the last 4 batches`. */
export function sparkText(series: readonly number[]): string {
  const clicks = series.reduce((sum, n) => sum + n, 0);
  const batches = series.length === 1 ? 'the last batch' : `the last ${series.length} batches`;
  return series.length === 0
    ? 'no batch yet'
    : `${clicks} ${clicks === 1 ? 'click' : 'clicks'} in ${batches}`;
}
