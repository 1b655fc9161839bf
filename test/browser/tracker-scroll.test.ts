import { expect } from 'chai';
import type { ScrollEvent } from '../../src/tracker';
import {
  clearFixtures,
  fixture,
  ignoreOptOutsOfOtherPages,
  nextTask,
  pageOf,
  pageOwnLocalStorage,
  startTracker,
  stopTrackers,
  type Recorded,
} from './tracker-helpers';

ignoreOptOutsOfOtherPages();

const home = location.href;
const origin = location.origin;

/** Scrolls the document to `y`, then waits for its scroll event (what the tracker listens to). */
async function scrollToY(y: number): Promise<void> {
  const scrolled = new Promise((resolve) => addEventListener('scroll', resolve, { once: true }));
  scrollTo(0, y);
  await scrolled;
  expect(scrollY).to.equal(y);
}

/** What a scroll record of a page view seen down to `y` says, as worked out here from the DOM. */
function seenTo(y: number): Pick<ScrollEvent, 'bottom' | 'height' | 'depth' | 'vw' | 'vh'> {
  const bottom = y + innerHeight;
  const height = document.documentElement.scrollHeight;
  return {
    bottom,
    height,
    depth: Math.min(1, Math.round((bottom / height) * 1000) / 1000),
    vw: innerWidth,
    vh: innerHeight,
  };
}

/** The page view ids of `recorded`, in order. */
const viewIds = (recorded: Recorded) => recorded.views.map((view) => view.pageviewId);

/** The page is hidden or left: what tabstream's listeners have the tracker do. */
const hide = (recorded: Recorded) => recorded.tracker.drain(false, true);

describe('tracker: scroll depth (topic scrolls)', () => {
  beforeEach(() => {
    fixture('<div style="height: 6000px">A long page</div>');
  });
  afterEach(async () => {
    stopTrackers();
    clearFixtures();
    scrollTo(0, 0);
    if (location.href !== home) history.replaceState(null, '', home);
    await nextTask();
  });

  it('records a page view as it ends: its deepest viewport bottom, not where it was left', async () => {
    const recorded = startTracker();
    await nextTask();
    await scrollToY(1000);
    const first = seenTo(1000);
    await scrollToY(300); // back up: the deepest bottom stays
    history.pushState(null, '', '/tabstream-test/scroll-a');
    await nextTask();
    const [load, push] = recorded.views;
    expect(recorded.scrolls).to.have.length(1);
    expect(recorded.scrolls[0]).to.deep.include({
      ...first,
      type: 'scroll',
      v: 1,
      pageviewId: load!.pageviewId,
      page: pageOf(home),
      tabId: load!.tabId,
      sessionId: load!.sessionId,
    });
    expect(first.depth).to.be.above(0).and.below(1);
    // The record of the page view that ended comes before the new one's page view.
    expect(recorded.events.indexOf(recorded.scrolls[0]!)).to.be.below(
      recorded.events.indexOf(push!),
    );
  });

  it('records again when hidden only if seen further down since; one never scrolled has one too', async () => {
    const recorded = startTracker();
    await nextTask();
    history.pushState(null, '', '/tabstream-test/scroll-a'); // the load never scrolled
    await scrollToY(1500);
    hide(recorded);
    hide(recorded); // not seen further: none
    await scrollToY(800);
    hide(recorded); // up: none
    await scrollToY(2500);
    hide(recorded);
    history.pushState(null, '', '/tabstream-test/scroll-b'); // ends a: not seen further, none
    await nextTask();
    hide(recorded); // b never scrolled, seen from where a left it
    const [load, a, b] = viewIds(recorded);
    expect(recorded.scrolls.map((s) => [s.pageviewId, s.bottom, s.depth])).to.deep.equal([
      [load, innerHeight, seenTo(0).depth],
      [a, 1500 + innerHeight, seenTo(1500).depth],
      [a, 2500 + innerHeight, seenTo(2500).depth],
      [b, 2500 + innerHeight, seenTo(2500).depth],
    ]);
    expect(recorded.scrolls.map((s) => s.page)).to.deep.equal([
      pageOf(home),
      `${origin}/tabstream-test/scroll-a`,
      `${origin}/tabstream-test/scroll-a`,
      `${origin}/tabstream-test/scroll-b`,
    ]);
    // The depth of a page view is the max over its records: what was scrolled.
    const deepest = new Map<string, number>();
    for (const s of recorded.scrolls)
      deepest.set(s.pageviewId, Math.max(deepest.get(s.pageviewId) ?? 0, s.bottom));
    expect([...deepest.values()]).to.deep.equal([0, 2500, 2500].map((y) => y + innerHeight));
  });

  it('clamps the depth to 1 at the bottom of the document', async () => {
    const recorded = startTracker();
    await nextTask();
    const end = document.documentElement.scrollHeight - innerHeight;
    await scrollToY(end);
    hide(recorded);
    expect(recorded.scrolls.map((s) => [s.bottom, s.height, s.depth])).to.deep.equal([
      [end + innerHeight, end + innerHeight, 1],
    ]);
  });

  it('records nothing on a flush (the page view goes on), when not captured, or once stopped', async () => {
    const flushed = startTracker();
    const notCaptured = startTracker({ capture: ['clicks', 'pageviews', 'custom'] });
    await nextTask();
    await scrollToY(1000);
    flushed.tracker.drain();
    history.pushState(null, '', '/tabstream-test/scroll-a');
    hide(notCaptured);
    expect(flushed.scrolls).to.have.length(1); // the push ended the load
    expect(notCaptured.views).to.have.length(2);
    expect(notCaptured.scrolls).to.deep.equal([]);
    flushed.tracker.stop();
    await scrollToY(2000);
    hide(flushed);
    expect(flushed.scrolls).to.have.length(1);
  });

  it('forgets how far down the page view was seen when the visitor opts out', async () => {
    const restoreStorage = pageOwnLocalStorage();
    try {
      const recorded = startTracker();
      await nextTask();
      await scrollToY(3000);
      recorded.tracker.optOut();
      hide(recorded);
      await scrollToY(0);
      recorded.tracker.optIn();
      hide(recorded);
      expect(recorded.scrolls.map((s) => s.bottom)).to.deep.equal([innerHeight]);
    } finally {
      restoreStorage();
    }
  });
});
