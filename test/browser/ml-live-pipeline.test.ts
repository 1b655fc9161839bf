// A live heatmap on a tab's Pipeline: the page views it sends are what a shown heatmap follows,
// and close() stops every live heatmap before its executors go, dropping their checkpoints.
import { expect } from 'chai';
import { NodeStore } from '../../src/coord';
import { Pipeline } from '../../src/pipeline/pipeline';
import { TOPICS } from '../../src/tracker';
import { createWorker, uniqueLog, until } from './helpers';

const click = { page: '/a', x: 100, y: 100, vw: 1440, selector: '#b', ex: 0.5, ey: 0.5 };

describe('live heatmaps on a Pipeline', () => {
  it('tells its page views, and close() stops its live heatmaps', async () => {
    const log = uniqueLog('ml-live-pipeline');
    const pipeline = new Pipeline({
      log,
      partitions: 1,
      batchIntervalMs: 100,
      workers: 1,
      createWorker,
      flushTimeoutMs: 5000,
    });
    await pipeline.ready;
    const pages: string[] = [];
    const unsubscribe = pipeline.onPageView((page) => pages.push(page));
    pipeline.send(TOPICS.pageview, { page: '/a', kind: 'load' }, 'tab');
    pipeline.send(TOPICS.click, { ...click, ts: Date.now() }, 'tab');
    unsubscribe();
    pipeline.send(TOPICS.pageview, { page: '/b', kind: 'push' }, 'tab');
    expect(pages).to.deep.equal(['/a']);

    await pipeline.flush();
    const seen: number[] = [];
    const live = await pipeline.liveHeatmap({ page: '/a', band: 'desktop' }, (heatmap) =>
      seen.push(heatmap.clicks),
    );
    expect(live.latest.clicks).to.equal(1);
    pipeline.send(TOPICS.click, { ...click, ts: Date.now() }, 'tab');
    await until(() => seen.at(-1) === 2);
    const nodes = await NodeStore.open(log);
    try {
      const liveIds = async () =>
        (await nodes.children('/streaming')).filter((id) => id.startsWith('heatmap-live-'));
      // Its batch commits its checkpoint just after telling the heatmap.
      while ((await liveIds()).length === 0)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await liveIds()).to.have.length(1);
      await pipeline.close();
      expect(await liveIds()).to.deep.equal([]);
    } finally {
      nodes.close();
    }
  });
});
