import { expect } from 'chai';
import {
  $,
  clearFixtures,
  click,
  fixture,
  ignoreOptOutsOfOtherPages,
  nextTask,
  pageOf,
  startTracker,
  stopTrackers,
  wait,
  Recorded,
} from './tracker-helpers';

ignoreOptOutsOfOtherPages();

const home = location.href;
const homePage = pageOf(home);
const origin = location.origin;
const title = document.title;
// eslint-disable-next-line @typescript-eslint/unbound-method -- compared and restored, never called
const { pushState, replaceState } = history;
/** The history methods as they are now: compared, never called. */
// eslint-disable-next-line @typescript-eslint/unbound-method
const historyMethods = () => [history.pushState, history.replaceState];

/** Resolves after the next `type` event of the window (popstate, hashchange). */
const next = (type: string): Promise<Event> =>
  new Promise((resolve) => addEventListener(type, resolve, { once: true }));

/** Lets the page views of the last navigation be handed on (a task later), and a bit more. */
const settle = () => wait(20);

describe('tracker: page views', () => {
  afterEach(async () => {
    stopTrackers();
    history.pushState = pushState;
    history.replaceState = replaceState;
    clearFixtures();
    document.title = title;
    if (location.href !== home) {
      history.replaceState(null, '', home);
    }
    await nextTask();
  });

  it('emits one load page view on start, with the page, title, referrer and viewport', async () => {
    const recorded = startTracker();
    expect(recorded.views).to.deep.equal([]);
    await settle();
    expect(recorded.views).to.have.length(1);
    const [view] = recorded.views;
    expect(view).to.include({
      v: 1,
      type: 'pageview',
      kind: 'load',
      page: homePage,
      referrer: document.referrer === '' ? null : pageOf(document.referrer),
      title: document.title.trim(),
      vw: innerWidth,
      vh: innerHeight,
      tabId: sessionStorage.getItem('tabstream:tab'),
    });
    expect(view!.pageviewId).to.be.a('string').and.not.equal('');
    await wait(100);
    expect(recorded.views).to.have.length(1);
  });

  it('emits one push page view for a pushState to a new path, its referrer the previous page', async () => {
    const recorded = startTracker();
    await settle();
    history.pushState({ step: 1 }, '', '/tabstream-test/a?token=secret#top');
    await settle();
    expect(location.pathname).to.equal('/tabstream-test/a');
    expect(history.state).to.deep.equal({ step: 1 });
    const views = recorded.views;
    expect(views.map((view) => view.kind)).to.deep.equal(['load', 'push']);
    expect(views[1]).to.include({ page: `${origin}/tabstream-test/a`, referrer: homePage });
    expect(views[1]!.pageviewId).not.to.equal(views[0]!.pageviewId);
  });

  it('emits none for a pushState to the same URL, or to one that normalises to it', async () => {
    const recorded = startTracker();
    await settle();
    history.pushState(null, '', location.href);
    history.pushState(null, '', `${location.pathname}?other=1`);
    history.pushState(null, '', `${location.pathname}#section`);
    await settle();
    expect(recorded.views.map((view) => view.kind)).to.deep.equal(['load']);
  });

  it("emits none for a replaceState keeping the path, by default ('path')", async () => {
    const recorded = startTracker({ keepQuery: 'all' });
    await settle();
    history.replaceState(null, '', '?q=2');
    await settle();
    expect(location.search).to.equal('?q=2');
    expect(recorded.views.map((view) => view.kind)).to.deep.equal(['load']);
  });

  it("emits one replace page view for a replaceState changing the query with replaceState 'url'", async () => {
    const recorded = startTracker({ keepQuery: 'all', replaceState: 'url' });
    await settle();
    history.replaceState(null, '', '?q=2');
    await settle();
    const views = recorded.views;
    expect(views.map((view) => view.kind)).to.deep.equal(['load', 'replace']);
    expect(views[1]!.page).to.equal(`${homePage}?q=2`);
    expect(views[1]!.referrer).to.equal(views[0]!.page);
  });

  it("emits none for a replaceState changing only a query that is not kept, even with 'url'", async () => {
    const recorded = startTracker({ replaceState: 'url' });
    await settle();
    history.replaceState(null, '', '?q=2');
    await settle();
    expect(recorded.views.map((view) => view.kind)).to.deep.equal(['load']);
  });

  it('emits one replace page view for a replaceState to a new path', async () => {
    const recorded = startTracker();
    await settle();
    history.replaceState(null, '', '/tabstream-test/replaced');
    await settle();
    const views = recorded.views;
    expect(views.map((view) => view.kind)).to.deep.equal(['load', 'replace']);
    expect(views[1]).to.include({
      page: `${origin}/tabstream-test/replaced`,
      referrer: homePage,
    });
  });

  it("emits none for any replaceState with replaceState 'never'", async () => {
    const recorded = startTracker({ replaceState: 'never' });
    await settle();
    history.replaceState(null, '', '/tabstream-test/replaced');
    await settle();
    expect(location.pathname).to.equal('/tabstream-test/replaced');
    expect(recorded.views.map((view) => view.kind)).to.deep.equal(['load']);
  });

  it('emits a pop page view for history.back()', async () => {
    const recorded = startTracker();
    await settle();
    history.pushState(null, '', '/tabstream-test/b');
    history.back();
    await next('popstate');
    await settle();
    const views = recorded.views;
    expect(views.map((view) => view.kind)).to.deep.equal(['load', 'push', 'pop']);
    expect(views[2]).to.include({ page: homePage, referrer: `${origin}/tabstream-test/b` });
  });

  it('emits exactly one hash page view for location.hash with keepHash (popstate and hashchange)', async () => {
    const recorded = startTracker({ keepHash: true });
    await settle();
    const events: string[] = [];
    const note = (event: Event) => events.push(event.type);
    addEventListener('popstate', note);
    addEventListener('hashchange', note);
    location.hash = '#x';
    await next('hashchange');
    await settle();
    removeEventListener('popstate', note);
    removeEventListener('hashchange', note);
    expect(events).to.deep.equal(['popstate', 'hashchange']);
    const views = recorded.views;
    expect(views.map((view) => view.kind)).to.deep.equal(['load', 'hash']);
    expect(views[1]).to.include({ page: `${homePage}#x`, referrer: homePage });
  });

  it('emits exactly one hash page view for history.back() over a #fragment, with keepHash', async () => {
    const recorded = startTracker({ keepHash: true });
    await settle();
    location.hash = '#one';
    await next('hashchange');
    history.back();
    await next('hashchange');
    await settle();
    const views = recorded.views;
    expect(views.map((view) => view.kind)).to.deep.equal(['load', 'hash', 'hash']);
    expect(views[2]).to.include({ page: homePage, referrer: `${homePage}#one` });
  });

  it('emits none for location.hash without keepHash', async () => {
    const recorded = startTracker();
    await settle();
    location.hash = '#x';
    await next('hashchange');
    await settle();
    expect(recorded.views.map((view) => view.kind)).to.deep.equal(['load']);
  });

  it('emits a bfcache page view when the page is restored from the back/forward cache', async () => {
    const recorded = startTracker();
    await settle();
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    await settle();
    expect(recorded.views.map((view) => view.kind)).to.deep.equal(['load', 'bfcache']);
  });

  it('gives a click after a navigation the new page view and page', async () => {
    const page = fixture('<button>After</button>');
    const recorded = startTracker();
    await settle();
    history.pushState(null, '', '/tabstream-test/after?x=1');
    click($(page, 'button'));
    recorded.tracker.drain();
    const push = recorded.views.find((view) => view.kind === 'push')!;
    expect(recorded.click).to.include({
      pageviewId: push.pageviewId,
      page: `${origin}/tabstream-test/after`,
    });
  });

  it('gives a click before a navigation the page view it was made on', async () => {
    const page = fixture('<button>Before</button>');
    const recorded = startTracker();
    await settle();
    click($(page, 'button'));
    history.pushState(null, '', '/tabstream-test/later');
    recorded.tracker.drain();
    const load = recorded.views.find((view) => view.kind === 'load')!;
    expect(recorded.click).to.include({ pageviewId: load.pageviewId, page: homePage });
  });

  it('reads the title after the navigation (set right after pushState)', async () => {
    const recorded = startTracker();
    await settle();
    history.pushState(null, '', '/tabstream-test/titled');
    document.title = '  New title  ';
    await settle();
    expect(recorded.views.at(-1)).to.include({ kind: 'push', title: 'New title' });
  });

  it('hands pending page views on at drain()', () => {
    const recorded = startTracker();
    history.pushState(null, '', '/tabstream-test/drained');
    recorded.tracker.drain();
    expect(recorded.views.map((view) => view.kind)).to.deep.equal(['load', 'push']);
  });

  it('records no page view without pageviews in capture, and still records clicks', async () => {
    const page = fixture('<button>Click</button>');
    const recorded = startTracker({ capture: ['clicks'] });
    history.pushState(null, '', '/tabstream-test/none');
    click($(page, 'button'));
    recorded.tracker.drain();
    await settle();
    expect(recorded.events.map((event) => event.type)).to.deep.equal(['click']);
  });

  it('records no click with only pageviews in capture', async () => {
    const page = fixture('<button data-tabstream-event="x">Click</button>');
    const recorded = startTracker({ capture: ['pageviews'] });
    click($(page, 'button'));
    recorded.tracker.drain();
    await settle();
    expect(recorded.events.map((event) => event.type)).to.deep.equal(['pageview']);
    expect(recorded.tracker.track('signup')).to.equal(false);
  });

  it('records nothing with an empty capture list', async () => {
    const page = fixture('<button data-tabstream-event="x">Click</button>');
    const recorded = startTracker({ capture: [] });
    history.pushState(null, '', '/tabstream-test/nothing');
    click($(page, 'button'));
    recorded.tracker.track('signup');
    recorded.tracker.drain();
    await settle();
    expect(recorded.events).to.deep.equal([]);
  });

  it('restores history.pushState and replaceState on stop(), and records nothing after', async () => {
    const recorded = startTracker();
    expect(historyMethods()[0]).not.to.equal(pushState);
    expect(historyMethods()[1]).not.to.equal(replaceState);
    stopTrackers();
    expect(historyMethods()).to.deep.equal([pushState, replaceState]);
    recorded.tracker.drain();
    const before = recorded.events.length;
    history.pushState(null, '', '/tabstream-test/stopped');
    location.hash = '#stopped';
    await next('hashchange');
    await settle();
    expect(recorded.events).to.have.length(before);
  });

  it('keeps history methods working while a tracker runs: the page sees its state and URL', async () => {
    startTracker();
    const result = history.pushState({ a: 1 }, '', '/tabstream-test/works');
    expect(result).to.equal(undefined);
    expect(history.state).to.deep.equal({ a: 1 });
    history.replaceState({ b: 2 }, '', '/tabstream-test/works2');
    expect(location.pathname).to.equal('/tabstream-test/works2');
    expect(history.state).to.deep.equal({ b: 2 });
    expect(() => history.pushState(null, '', 'https://elsewhere.example/')).to.throw(DOMException);
    await settle();
  });

  it('records nothing from a stopped tracker, whatever order trackers stop in', async () => {
    const first = new Recorded();
    const second = new Recorded();
    first.tracker.start();
    second.tracker.start();
    await settle();
    first.tracker.stop();
    second.tracker.stop();
    first.tracker.drain();
    second.tracker.drain();
    const before = [first.events.length, second.events.length];
    history.pushState(null, '', '/tabstream-test/after-both-stopped');
    history.replaceState(null, '', '/tabstream-test/replaced-after-both-stopped');
    await settle();
    expect(location.pathname).to.equal('/tabstream-test/replaced-after-both-stopped');
    expect([first.events.length, second.events.length]).to.deep.equal(before);
  });

  it('keeps a history patch the page made after start() when the tracker stops', async () => {
    const recorded = startTracker();
    await settle();
    const seen: string[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called on history below
    const tracked = history.pushState;
    // A router or another analytics script wraps pushState after tabstream.
    history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
      seen.push(String(args[2]));
      return tracked.apply(this, args);
    };
    recorded.tracker.stop();
    history.pushState(null, '', '/tabstream-test/router');
    expect(seen).to.deep.equal(['/tabstream-test/router']);
  });
});

/**
 * The page as prerendered, then shown: Chromium's `document.prerendering` and its
 * `prerenderingchange`, played here (test/e2e/pageviews.spec.ts prerenders a page for real).
 */
function prerendered(): { show(): void } {
  Object.defineProperty(document, 'prerendering', { value: true, configurable: true });
  return {
    show() {
      Object.defineProperty(document, 'prerendering', { value: false, configurable: true });
      document.dispatchEvent(new Event('prerenderingchange'));
    },
  };
}

describe('tracker: page views of a prerendered page', () => {
  afterEach(() => {
    stopTrackers();
    delete (document as { prerendering?: boolean }).prerendering;
    history.replaceState(null, '', home);
  });

  it('begins the load when shown, with the id of the events made while prerendered', async () => {
    const page = prerendered();
    const recorded = startTracker();
    recorded.tracker.track('experiment', { arm: 'b' });
    await settle();
    expect(recorded.views).to.deep.equal([]);
    page.show();
    await settle();
    expect(recorded.views.map((v) => v.kind)).to.deep.equal(['load']);
    expect(recorded.customs[0]!.pageviewId).to.equal(recorded.views[0]!.pageviewId);
  });

  it("counts a router's navigation while prerendered as no page view: the load is its URL", async () => {
    const page = prerendered();
    const recorded = startTracker();
    history.replaceState(null, '', '/elsewhere-path');
    await settle();
    expect(recorded.views).to.deep.equal([]);
    page.show();
    await settle();
    expect(recorded.views.map((v) => [v.kind, v.page])).to.deep.equal([
      ['load', `${origin}/elsewhere-path`],
    ]);
  });
});
