import { expect } from 'chai';
import { init } from '../../src/entries/index';
import type { ScrollEvent } from '../../src/tracker';
import { createWorker, uniqueLog } from './helpers';
import { logRecords } from './sink/sink-helpers';
import { clearFixtures, fixture, ignoreOptOutsOfOtherPages } from './tracker-helpers';

ignoreOptOutsOfOtherPages();

/** The scroll records in `log`'s topic `scrolls`. */
const scrollsIn = async (log: string) =>
  (await logRecords(log, ['scrolls'])).map((record) => record.value as unknown as ScrollEvent);

describe('tabstream: scroll records in the log', () => {
  afterEach(() => {
    clearFixtures();
    scrollTo(0, 0);
  });

  it('appends none on flush() (the page view goes on), and the page view’s on close()', async () => {
    fixture('<div style="height: 6000px">A long page</div>');
    const log = uniqueLog('scrolls');
    const tabstream = init({ log, createWorker, batchIntervalMs: 200 });
    await tabstream.ready;
    const scrolled = new Promise((resolve) => addEventListener('scroll', resolve, { once: true }));
    scrollTo(0, 1800);
    await scrolled;
    await tabstream.flush();
    expect(await scrollsIn(log)).to.deep.equal([]);
    await tabstream.close();
    const records = await scrollsIn(log);
    expect(records.map((s) => [s.type, s.bottom, s.page])).to.deep.equal([
      ['scroll', 1800 + innerHeight, location.origin + location.pathname],
    ]);
  });
});
