import { describe, expect, it } from 'vitest';
import { ready, setUp } from './browser';

describe('explore', () => {
  it('measures', async () => {
    const setup = await setUp({ scriptAttributes: { 'data-batch-interval': '500' } });
    try {
      const context = await setup.browser.newContext();
      const page = await context.newPage();
      page.on('console', (m) => console.log('page:', m.type(), m.text()));
      await page.goto(`${setup.site.origin}/p/0`);
      await ready(page);
      for (const [n, k] of [
        [300000, 10],
        [300000, 10],
        [300000, 1000],
      ] as const) {
        const r = await page.evaluate(
          async ([n, k]) => {
            const ts = window.tabstream!;
            const events: number[] = [];
            const t0 = performance.now();
            const un = ts.context.status.subscribe((e) => {
              if (e.type === 'job-start') events.push(performance.now() - t0); if (e.type==='job-start'||e.type==='job-end') console.log(e.type, e.job.jobId, e.job.description, e.job.status, e.job.failureReason, performance.now() - t0);
            });
            const producer = ts.log.producer({ spillOnHide: false });
            for (let i = 0; i < n; i++)
              void producer.send(
                'clicks',
                {
                  ts: Date.now(),
                  page: `p${i % k}`,
                  target: null,
                  selector: '#s',
                  x: i % 100,
                  y: 1,
                  sessionId: `s${i % 16}`,
                },
                `s${i % 16}`,
              );
            await producer.flush();
            const appended = performance.now() - t0;
            const b = await new Promise<unknown>((res) => {
              const u = ts.onBatch((b) => {
                if (b.inputEvents > 0) {
                  u();
                  res(b);
                }
              });
            });
            un();
            return {
              appended,
              batchDone: performance.now() - t0,
              b: (b as { processingMs: number }).processingMs,
              jobs: events.length,
              firstJob: events[0],
            };
          },
          [n, k] as const,
        );
        console.log(n, JSON.stringify(r));
      }
      await context.close();
    } finally {
      await setup.close();
    }
  });
});
