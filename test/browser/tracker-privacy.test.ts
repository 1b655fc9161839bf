import { expect } from 'chai';
import { OPT_OUT_KEY } from '../../src/tracker';
import {
  $,
  afterAnswer,
  captureConsole,
  clearFixtures,
  click,
  fixture,
  nextTask,
  pageOwnLocalStorage,
  startTracker,
  stopTrackers,
  wait,
} from './tracker-helpers';

// localStorage is shared by every test page of the origin (files run side by side), and so is
// the opt-out switch: a test flipping it would pause the trackers of the other pages. So the tests
// of this page's own switch run on a localStorage of this page alone (pageOwnLocalStorage), and
// only those of another tab's switch use the real one, for as short a time as they can.

const home = location.href;

/** A same-origin frame: another document of the origin, as another tab would be. */
function otherTab(): Window {
  const frame = document.createElement('iframe');
  frame.className = 'fixture';
  document.body.append(frame);
  return frame.contentWindow!;
}

/** Resolves on this window's next `storage` event for `key`. */
function storageEvent(key: string): Promise<StorageEvent> {
  return new Promise((resolve) => {
    const listener = (event: StorageEvent) => {
      if (event.key !== key) return;
      removeEventListener('storage', listener);
      resolve(event);
    };
    addEventListener('storage', listener);
  });
}

/** Defines `navigator[name]` as `value` (an own property shadowing the browser's) during `work`. */
async function withNavigator(name: string, value: unknown, work: () => Promise<void> | void) {
  Object.defineProperty(navigator, name, { value, configurable: true });
  try {
    await work();
  } finally {
    delete (navigator as unknown as Record<string, unknown>)[name];
  }
}

describe('tracker: opting out', () => {
  let restoreStorage: () => void;
  beforeEach(() => (restoreStorage = pageOwnLocalStorage()));
  afterEach(() => {
    stopTrackers();
    restoreStorage();
    clearFixtures();
    history.replaceState(null, '', home);
  });

  it('stops capturing on optOut(), keeps the switch in localStorage, and records nothing more', async () => {
    const page = fixture('<button data-tabstream-event="promo">Click</button>');
    const recorded = startTracker();
    await nextTask();
    expect(recorded.tracker.capturing).to.equal(true);
    const before = recorded.events.length;
    recorded.tracker.optOut();
    const capturing = recorded.tracker.capturing;
    const saved = localStorage.getItem(OPT_OUT_KEY);
    click($(page, 'button'));
    history.pushState(null, '', '/tabstream-test/opted-out');
    const tracked = recorded.tracker.track('signup', { plan: 'pro' });
    await nextTask();
    recorded.tracker.drain();
    localStorage.removeItem(OPT_OUT_KEY);
    expect(capturing).to.equal(false);
    expect(saved).to.equal('1');
    expect(tracked).to.equal(false);
    expect(recorded.events).to.have.length(before);
  });

  it('drops a click not yet handed on when the visitor opts out', async () => {
    const page = fixture('<button>Click</button>');
    const recorded = startTracker();
    click($(page, 'button'));
    await nextTask(); // described, held for its answer
    recorded.tracker.optOut();
    recorded.tracker.drain();
    recorded.tracker.optIn();
    expect(recorded.clicks).to.deep.equal([]);
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.clicks).to.deep.equal([]);
  });

  it('drops a page view not yet handed on when the visitor opts out', () => {
    const recorded = startTracker();
    history.pushState(null, '', '/tabstream-test/pending');
    recorded.tracker.optOut();
    recorded.tracker.drain();
    localStorage.removeItem(OPT_OUT_KEY);
    expect(recorded.views).to.deep.equal([]);
  });

  it('captures nothing in a tracker started while opted out, until optIn()', async () => {
    const page = fixture('<button>Click</button>');
    localStorage.setItem(OPT_OUT_KEY, '1');
    const recorded = startTracker();
    const capturing = recorded.tracker.capturing;
    click($(page, 'button'));
    recorded.tracker.track('signup');
    recorded.tracker.drain();
    const whileOut = recorded.events.length;
    recorded.tracker.optIn();
    expect(capturing).to.equal(false);
    expect(whileOut).to.equal(0);
    expect(localStorage.getItem(OPT_OUT_KEY)).to.equal(null);
    expect(recorded.tracker.capturing).to.equal(true);
    click($(page, 'button'));
    expect(recorded.tracker.track('signup')).to.equal(true);
    recorded.tracker.drain();
    await nextTask();
    expect(recorded.events.map((e) => e.type).sort()).to.deep.equal([
      'click',
      'custom',
      'pageview',
    ]);
  });

  it('resumes capturing on optIn()', () => {
    const page = fixture('<button>Click</button>');
    const recorded = startTracker();
    recorded.tracker.optOut();
    recorded.tracker.optIn();
    expect(recorded.tracker.capturing).to.equal(true);
    expect(localStorage.getItem(OPT_OUT_KEY)).to.equal(null);
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.clicks).to.have.length(1);
  });
});

describe('tracker: opting out in another tab (the real localStorage)', () => {
  afterEach(() => {
    stopTrackers();
    localStorage.removeItem(OPT_OUT_KEY);
    clearFixtures();
  });

  it('stops capturing when another tab opts out, and resumes when it opts in', async () => {
    const page = fixture('<button>Click</button>');
    const recorded = startTracker();
    const other = otherTab();
    click($(page, 'button'));
    await nextTask(); // held for its answer
    const optedOut = storageEvent(OPT_OUT_KEY);
    other.localStorage.setItem(OPT_OUT_KEY, '1');
    await optedOut;
    const capturing = recorded.tracker.capturing;
    click($(page, 'button'));
    recorded.tracker.drain();
    const whileOut = recorded.clicks.length;
    const optedIn = storageEvent(OPT_OUT_KEY);
    other.localStorage.removeItem(OPT_OUT_KEY);
    await optedIn;
    expect(capturing).to.equal(false);
    expect(whileOut).to.equal(0);
    expect(recorded.tracker.capturing).to.equal(true);
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.clicks).to.have.length(1);
  });

  it('keeps capturing when another tab changes another key', async () => {
    const recorded = startTracker();
    const other = otherTab();
    const changed = storageEvent('tabstream-test:other');
    other.localStorage.setItem('tabstream-test:other', '1');
    await changed;
    other.localStorage.removeItem('tabstream-test:other');
    expect(recorded.tracker.capturing).to.equal(true);
  });

  it('opts out every tab: another tab reads the switch this one set', () => {
    const recorded = startTracker();
    const other = otherTab();
    recorded.tracker.optOut();
    const seen = other.localStorage.getItem(OPT_OUT_KEY);
    recorded.tracker.optIn();
    expect(seen).to.equal('1');
    expect(other.localStorage.getItem(OPT_OUT_KEY)).to.equal(null);
  });
});

describe('tracker: browser privacy signals', () => {
  let output: ReturnType<typeof captureConsole>;
  let restoreStorage: () => void;
  beforeEach(() => {
    output = captureConsole();
    restoreStorage = pageOwnLocalStorage();
  });
  afterEach(() => {
    output.restore();
    stopTrackers();
    restoreStorage();
    clearFixtures();
  });

  /** The events of a tracker of `overrides` after a click, a custom event and a navigation. */
  async function eventsOf(overrides: Parameters<typeof startTracker>[0]) {
    const page = fixture('<button>Click</button>');
    const recorded = startTracker(overrides);
    click($(page, 'button'));
    recorded.tracker.track('signup');
    recorded.tracker.drain();
    await nextTask();
    clearFixtures();
    return recorded;
  }

  it('captures nothing under Global Privacy Control with respectGpc, and says so', async () => {
    await withNavigator('globalPrivacyControl', true, async () => {
      const recorded = await eventsOf({ respectGpc: true });
      expect(recorded.tracker.capturing).to.equal(false);
      expect(recorded.events).to.deep.equal([]);
      expect(output.infos.map((args) => String(args[0]))).to.deep.equal([
        'tabstream: Global Privacy Control is on; nothing is recorded.',
      ]);
    });
    expect(
      (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl,
    ).not.to.equal(true);
  });

  it('captures under Global Privacy Control without respectGpc', async () => {
    await withNavigator('globalPrivacyControl', true, async () => {
      const recorded = await eventsOf({ respectGpc: false, respectDnt: true });
      expect(recorded.tracker.capturing).to.equal(true);
      expect(recorded.events.map((e) => e.type).sort()).to.deep.equal([
        'click',
        'custom',
        'pageview',
      ]);
    });
  });

  it('captures nothing under Do Not Track with respectDnt, and says so', async () => {
    await withNavigator('doNotTrack', '1', async () => {
      expect(navigator.doNotTrack).to.equal('1');
      const recorded = await eventsOf({ respectDnt: true });
      expect(recorded.tracker.capturing).to.equal(false);
      expect(recorded.events).to.deep.equal([]);
      expect(String(output.infos[0]?.[0])).to.contain('Do Not Track');
    });
    expect(navigator.doNotTrack).not.to.equal('1');
  });

  it('captures under Do Not Track without respectDnt', async () => {
    await withNavigator('doNotTrack', '1', async () => {
      const recorded = await eventsOf({ respectDnt: false, respectGpc: true });
      expect(recorded.tracker.capturing).to.equal(true);
      expect(recorded.events).to.have.length(3);
    });
  });

  it('captures under Do Not Track "0" with respectDnt', async () => {
    await withNavigator('doNotTrack', '0', async () => {
      const recorded = await eventsOf({ respectDnt: true });
      expect(recorded.tracker.capturing).to.equal(true);
    });
  });

  it('keeps capture off on optIn() while an honoured signal is on', async () => {
    await withNavigator('globalPrivacyControl', true, () => {
      const recorded = startTracker({ respectGpc: true });
      recorded.tracker.optIn();
      expect(recorded.tracker.capturing).to.equal(false);
    });
  });
});

describe('tracker: never throws into the host page', () => {
  let output: ReturnType<typeof captureConsole>;
  const uncaught: unknown[] = [];
  const onError = (event: ErrorEvent | PromiseRejectionEvent) => uncaught.push(event);
  beforeEach(() => {
    output = captureConsole();
    uncaught.length = 0;
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onError);
  });
  afterEach(() => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onError);
    output.restore();
    stopTrackers();
    clearFixtures();
    history.replaceState(null, '', home);
  });

  /** A sink that throws an error no other test throws (errors are reported once per message). */
  function throwingSink(): { token: string; send: () => never } {
    const token = `sink failure ${Math.random().toString(36).slice(2)}`;
    return {
      token,
      send: () => {
        throw new Error(token);
      },
    };
  }

  const errorsWith = (token: string) =>
    output.errors.filter((args) => args.some((arg) => String(arg).includes(token)));

  it('lets the page handle its clicks when the sink throws: no uncaught error, one console.error', async () => {
    const page = fixture('<button>Pay</button>');
    let handled = 0;
    $(page, 'button').addEventListener('click', () => handled++);
    const sink = throwingSink();
    startTracker({ capture: ['clicks'] }, sink.send);
    for (let i = 0; i < 3; i++) click($(page, 'button'), { clientX: 10 + 100 * i });
    expect(handled).to.equal(3);
    await afterAnswer(() => errorsWith(sink.token).length > 0);
    await wait(50);
    expect(uncaught).to.deep.equal([]);
    expect(errorsWith(sink.token)).to.have.length(1);
    expect(output.errors).to.have.length(1);
    expect(String(output.errors[0]![0])).to.match(/^tabstream: /);
  });

  it('keeps history working when the sink throws on page views', async () => {
    const sink = throwingSink();
    const recorded = startTracker({ capture: ['pageviews'] }, sink.send);
    expect(() => history.pushState({ kept: true }, '', '/tabstream-test/thrown')).not.to.throw();
    expect(location.pathname).to.equal('/tabstream-test/thrown');
    expect(history.state).to.deep.equal({ kept: true });
    expect(() => recorded.tracker.drain()).not.to.throw();
    await wait(20);
    expect(uncaught).to.deep.equal([]);
    expect(errorsWith(sink.token)).to.have.length(1);
  });

  it('returns false from track() when the sink throws, without throwing', () => {
    const sink = throwingSink();
    const recorded = startTracker({ capture: ['custom'] }, sink.send);
    expect(recorded.tracker.track('signup')).to.equal(false);
    expect(recorded.tracker.track('signup')).to.equal(false);
    expect(errorsWith(sink.token)).to.have.length(1);
  });

  it('drains without throwing when the sink throws', async () => {
    const page = fixture('<button data-tabstream-event="promo">Pay</button>');
    const sink = throwingSink();
    const recorded = startTracker({}, sink.send);
    click($(page, 'button'));
    expect(() => recorded.tracker.drain(true)).not.to.throw();
    await wait(20);
    expect(uncaught).to.deep.equal([]);
    expect(errorsWith(sink.token).length).to.be.within(1, 3);
  });
});
