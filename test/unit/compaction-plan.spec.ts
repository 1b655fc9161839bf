import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRuns, type BatchSpan } from '../../src/log/compaction-plan';

/** Adjacent spans of the given counts from offset 0; a count of 0 is a damaged header. */
function spansOf(counts: readonly number[]): BatchSpan[] {
  let offset = 0;
  return counts.map((count) => {
    const span = count === 0 ? { baseOffset: -1, count: 0 } : { baseOffset: offset, count };
    offset += Math.max(count, 1);
    return span;
  });
}

const total = (run: readonly BatchSpan[]) => run.reduce((n, span) => n + span.count, 0);

describe('planRuns', () => {
  it('plans runs of two or more adjacent small batches, within batchSize and maxBatches, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }),
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 2, max: 50 }),
        (counts, batchSize, fanIn, maxBatches) => {
          const runs = planRuns(spansOf(counts), batchSize, fanIn, maxBatches);
          let last = -1;
          for (const run of runs) {
            expect(run.length).toBeGreaterThanOrEqual(2);
            expect(run.length).toBeLessThanOrEqual(maxBatches);
            expect(total(run)).toBeLessThanOrEqual(batchSize);
            const largest = Math.max(...run.map((span) => span.count));
            // Every merge at least doubles the batch a record is in (fanIn 1 merges any run).
            if (fanIn > 1) expect(total(run)).toBeGreaterThanOrEqual(2 * largest);
            run.forEach((span, i) => {
              expect(span.count).toBeGreaterThan(0);
              expect(span.count).toBeLessThan(batchSize);
              expect(span.baseOffset).toBeGreaterThan(last);
              if (i > 0) expect(span.baseOffset).toBe(run[i - 1]!.baseOffset + run[i - 1]!.count);
              last = span.baseOffset;
            });
          }
        },
      ),
    );
  });

  it('with fanIn 1 leaves no two adjacent small batches apart that would fit in one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }),
        fc.integer({ min: 2, max: 64 }),
        (counts, batchSize) => {
          const spans = spansOf(counts);
          const merged = new Set(planRuns(spans, batchSize, 1).flat());
          spans.forEach((span, i) => {
            const next = spans[i + 1];
            if (!next || merged.has(span) || merged.has(next)) return;
            const small = (s: BatchSpan) => s.count > 0 && s.count < batchSize;
            const fits = small(span) && small(next) && span.count + next.count <= batchSize;
            expect(fits, `${span.baseOffset} and ${next.baseOffset} left apart`).toBe(false);
          });
        },
      ),
    );
  });

  it('merges small batches after a big one among themselves first, as they trickle in', () => {
    expect(planRuns(spansOf([64, 2, 3, 2]), 512, 8)).toEqual([]);
    expect(planRuns(spansOf([64, ...Array<number>(8).fill(2)]), 512, 8)).toEqual([
      spansOf([64, ...Array<number>(8).fill(2)]).slice(1),
    ]);
  });
});
