import { expect } from 'chai';
import { Tracker, DEFAULT_TRACKER_CONFIG, type TrackedEvent } from '../../src/tracker';
import {
  $,
  captureConsole,
  clearFixtures,
  click,
  firstEvent,
  fixture,
  ignoreOptOutsOfOtherPages,
  nextTask,
  pageOf,
  startTracker,
  stopTrackers,
} from './tracker-helpers';

ignoreOptOutsOfOtherPages();

const TAB_KEY = 'tabstream:tab';
const SESSION_KEY = 'tabstream:session';
const MINUTE = 60 * 1000;

describe('tracker: custom events with track()', () => {
  let output: ReturnType<typeof captureConsole>;
  beforeEach(() => (output = captureConsole()));
  afterEach(() => {
    output.restore();
    stopTrackers();
    clearFixtures();
  });

  it('records track(name, props) as a custom event with those props', async () => {
    const recorded = startTracker();
    await nextTask();
    const before = Date.now();
    expect(recorded.tracker.track('signup', { plan: 'pro', seats: 3, trial: true })).to.equal(true);
    const [view] = recorded.views;
    const [event] = recorded.customs;
    expect(event).to.deep.equal({
      v: 1,
      type: 'custom',
      name: 'signup',
      props: { plan: 'pro', seats: 3, trial: true },
      ts: event!.ts,
      pageviewId: view!.pageviewId,
      page: pageOf(location.href),
      sessionId: view!.sessionId,
      tabId: view!.tabId,
    });
    expect(event!.ts).to.be.within(before, Date.now());
    expect(output.errors).to.deep.equal([]);
  });

  it('records a custom event without props with empty props, its name trimmed', () => {
    const recorded = startTracker();
    expect(recorded.tracker.track('  newsletter  ')).to.equal(true);
    expect(recorded.customs.map((e) => [e.name, e.props])).to.deep.equal([['newsletter', {}]]);
  });

  it('cuts string props to 255 chars and redacts card and SSN-like numbers in them', () => {
    const recorded = startTracker();
    recorded.tracker.track('checkout', {
      note: 'card 4111 1111 1111 1111, ssn 123-45-6789',
      long: 'x'.repeat(1000),
      zero: 0,
      no: false,
    });
    const [event] = recorded.customs;
    expect(event!.props).to.deep.equal({
      note: 'card [redacted], ssn [redacted]',
      long: 'x'.repeat(255),
      zero: 0,
      no: false,
    });
  });

  const invalid: [string, unknown, unknown, string][] = [
    ['an empty name', '', {}, 'the name must be a string of 1 to 100 characters'],
    ['a blank name', '   ', {}, 'the name must be a string of 1 to 100 characters'],
    [
      'a name of 101 chars',
      'n'.repeat(101),
      {},
      'the name must be a string of 1 to 100 characters',
    ],
    [
      'a name that is not a string',
      42,
      {},
      'the name must be a string of 1 to 100 characters, not 42',
    ],
    ['props that are an array', 'signup', ['pro'], 'props must be a plain object'],
    ['props that are null', 'signup', null, 'props must be a plain object'],
    ['props that are a string', 'signup', 'pro', 'props must be a plain object'],
    [
      'a nested object',
      'signup',
      { plan: { name: 'pro' } },
      'prop "plan" must be a string, a finite number or a boolean',
    ],
    [
      'NaN',
      'signup',
      { seats: NaN },
      'prop "seats" must be a string, a finite number or a boolean, not NaN',
    ],
    ['Infinity', 'signup', { seats: Infinity }, 'prop "seats"'],
    ['null', 'signup', { plan: null }, 'prop "plan"'],
    ['a function', 'signup', { plan: () => 'pro' }, 'prop "plan"'],
    [
      '31 props',
      'signup',
      Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, i])),
      'at most 30 props, not 31',
    ],
  ];
  for (const [what, name, props, message] of invalid) {
    it(`ignores an event with ${what}: one console.error, nothing recorded, false`, () => {
      const recorded = startTracker();
      let result: boolean | undefined;
      expect(() => (result = recorded.tracker.track(name, props))).not.to.throw();
      recorded.tracker.drain();
      expect(result).to.equal(false);
      expect(recorded.customs).to.deep.equal([]);
      expect(output.errors).to.have.length(1);
      expect(String(output.errors[0]![0])).to.contain('tabstream: track() ignored an event: ');
      expect(String(output.errors[0]![0])).to.contain(message);
    });
  }

  it('accepts exactly 30 props and a name of 100 chars', () => {
    const recorded = startTracker();
    const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, i]));
    expect(recorded.tracker.track('n'.repeat(100), props)).to.equal(true);
    expect(recorded.customs[0]!.props).to.deep.equal(props);
  });

  it('ignores props that are a Map (not a plain object): one console.error, false', () => {
    const recorded = startTracker();
    const result = recorded.tracker.track('signup', new Map([['plan', 'pro']]));
    expect(result).to.equal(false);
    expect(recorded.customs).to.deep.equal([]);
    expect(output.errors).to.have.length(1);
    expect(String(output.errors[0]![0])).to.contain('props must be a plain object');
  });

  it('never throws, even for props whose getter throws', () => {
    const recorded = startTracker();
    const props = {
      get plan(): string {
        throw new Error('getter exploded');
      },
    };
    let result: boolean | undefined;
    expect(() => (result = recorded.tracker.track('signup', props))).not.to.throw();
    expect(result).to.equal(false);
    expect(recorded.customs).to.deep.equal([]);
    expect(output.errors).to.have.length(1);
    expect(String(output.errors[0]![0])).to.contain('getter exploded');
  });

  it('records nothing before start() and after stop(), and returns false', () => {
    const events: TrackedEvent[] = [];
    const tracker = new Tracker(
      DEFAULT_TRACKER_CONFIG,
      (event) => events.push(event),
      () => 'x',
    );
    expect(tracker.track('early')).to.equal(false);
    tracker.start();
    tracker.stop();
    tracker.drain();
    const afterStop = events.length;
    expect(tracker.track('late')).to.equal(false);
    expect(events).to.have.length(afterStop);
    expect(events.some((e) => e.type === 'custom')).to.equal(false);
  });
});

describe('tracker: custom events from data-tabstream-event', () => {
  let output: ReturnType<typeof captureConsole>;
  beforeEach(() => (output = captureConsole()));
  afterEach(() => {
    output.restore();
    stopTrackers();
    clearFixtures();
  });

  it('records a custom event with its data-tabstream-prop-* props on click, and the click', () => {
    const page = fixture(
      '<button data-tabstream-event="download-brochure" data-tabstream-prop-format="pdf" data-tabstream-prop-pages="12">Brochure</button>',
    );
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    const [custom] = recorded.customs;
    expect(custom).to.include({ type: 'custom', name: 'download-brochure' });
    expect(custom!.props).to.deep.equal({ format: 'pdf', pages: '12' });
    const clicks = recorded.clicks;
    expect(clicks).to.have.length(1);
    expect(clicks[0]!.label).to.equal('Brochure');
    expect(custom).to.include({
      ts: clicks[0]!.ts,
      pageviewId: clicks[0]!.pageviewId,
      page: clicks[0]!.page,
    });
    expect(output.errors).to.deep.equal([]);
  });

  it('records the event of the nearest element with the attribute, from a click inside it', () => {
    const page = fixture(
      '<section data-tabstream-event="outer"><div data-tabstream-event="inner" data-tabstream-prop-slot="2"><span>Deal</span></div></section>',
    );
    const recorded = startTracker();
    click($(page, 'span'));
    recorded.tracker.drain();
    expect(recorded.customs.map((e) => [e.name, e.props])).to.deep.equal([
      ['inner', { slot: '2' }],
    ]);
  });

  it('records the event but no click with only custom in capture', () => {
    const page = fixture('<button data-tabstream-event="promo">Promo</button>');
    const recorded = startTracker({ capture: ['custom'] });
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.events.map((e) => e.type)).to.deep.equal(['custom']);
  });

  it('records the click but no custom event without custom in capture', () => {
    const page = fixture('<button data-tabstream-event="promo">Promo</button>');
    const recorded = startTracker({ capture: ['clicks'] });
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.events.map((e) => e.type)).to.deep.equal(['click']);
  });

  it('reports an invalid attribute once in the console, and still records the click', () => {
    const page = fixture(`<button data-tabstream-event="${'e'.repeat(101)}">Too long</button>`);
    const recorded = startTracker();
    click($(page, 'button'));
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.customs).to.deep.equal([]);
    expect(recorded.clicks).to.have.length(2);
    expect(output.errors).to.have.length(1);
    expect(String(output.errors[0]![0])).to.contain('data-tabstream-event');
  });
});

describe('tracker: session and tab', () => {
  afterEach(() => {
    stopTrackers();
    sessionStorage.removeItem(SESSION_KEY);
  });

  it('keeps one tab id across trackers of the tab, in sessionStorage', async () => {
    sessionStorage.removeItem(TAB_KEY);
    const first = await firstEvent();
    const second = await firstEvent();
    expect(first.tabId).to.match(/^id-\d+$/);
    expect(second.tabId).to.equal(first.tabId);
    expect(sessionStorage.getItem(TAB_KEY)).to.equal(first.tabId);
  });

  it('continues the session across trackers, and saves it as "<id> <lastSeen>"', async () => {
    sessionStorage.removeItem(SESSION_KEY);
    const first = await firstEvent();
    const second = await firstEvent();
    expect(second.sessionId).to.equal(first.sessionId);
    const [id, lastSeen] = sessionStorage.getItem(SESSION_KEY)!.split(' ');
    expect(id).to.equal(first.sessionId);
    expect(Number(lastSeen)).to.be.at.least(second.ts);
  });

  it('continues a saved session last seen under 30 minutes ago', async () => {
    sessionStorage.setItem(SESSION_KEY, `kept-session ${Date.now() - 29 * MINUTE}`);
    const event = await firstEvent();
    expect(event.sessionId).to.equal('kept-session');
  });

  it('renews a saved session last seen over 30 minutes ago', async () => {
    sessionStorage.setItem(SESSION_KEY, `stale-session ${Date.now() - 31 * MINUTE}`);
    const event = await firstEvent();
    expect(event.sessionId).not.to.equal('stale-session');
    expect(event.sessionId).to.match(/^id-\d+$/);
    expect(sessionStorage.getItem(SESSION_KEY)).to.equal(`${event.sessionId} ${event.ts}`);
  });

  it('starts a new session when the saved one cannot be read', async () => {
    sessionStorage.setItem(SESSION_KEY, 'garbage');
    const event = await firstEvent();
    expect(event.sessionId).to.match(/^id-\d+$/);
  });
});
