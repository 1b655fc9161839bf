// Fault suite, tracker: hostile input at the door. Card numbers written as real pages write
// them (glued to words, dotted, slashed, in other digit scripts) in labels, titles, props and
// prop names; URLs that cannot be parsed; prop names that are huge, private or `__proto__`;
// prop objects that are proxies, cyclic or throw.
import { expect } from 'chai';
import {
  $,
  captureConsole,
  clearFixtures,
  click,
  fixture,
  ignoreOptOutsOfOtherPages,
  nextTask,
  startTracker,
  stopTrackers,
} from '../tracker-helpers';

ignoreOptOutsOfOtherPages();

/** Card numbers as pages write them, each Luhn-valid. */
const CARDS: [string, string][] = [
  ['glued to a word', 'Card4111111111111111'],
  ['dotted', '4111.1111.1111.1111'],
  ['slashed', '4111/1111/1111/1111'],
  ['underscored', '4111_1111_1111_1111'],
  ['en-dashed', '4111–1111–1111–1111'],
  ['spaced twice', '4111  1111  1111  1111'],
  ['spaced, dashed', '4111 - 1111 - 1111 - 1111'],
  ['in full-width digits', '４１１１ １１１１ １１１１ １１１１'],
  ['in Arabic-Indic digits', '٤١١١١١١١١١١١١١١١'],
  ['in Devanagari digits', '४५३९५७८७६३६२१४८६'],
];

const home = location.href;
const title = document.title;

describe('faults, tracker: card numbers are redacted wherever they are written', () => {
  afterEach(() => {
    stopTrackers();
    clearFixtures();
    history.replaceState(null, '', home);
    document.title = title;
  });

  for (const [how, card] of CARDS) {
    it(`redacts a card number ${how} in a label, a title and a prop`, async () => {
      const page = fixture(`<button>Pay ${card} now</button>`);
      const recorded = startTracker();
      click($(page, 'button'));
      recorded.tracker.track('paid', { note: `with ${card}.` });
      history.pushState(null, '', '/tabstream-test/fault-card');
      document.title = `Receipt ${card}`;
      await nextTask();
      recorded.tracker.drain();
      const view = recorded.views.at(-1)!;
      expect([recorded.click.label, view.title, recorded.customs[0]!.props.note]).to.deep.equal([
        how === 'glued to a word' ? 'Pay Card[redacted] now' : 'Pay [redacted] now',
        how === 'glued to a word' ? 'Receipt Card[redacted]' : 'Receipt [redacted]',
        how === 'glued to a word' ? 'with Card[redacted].' : 'with [redacted].',
      ]);
    });
  }

  it('keeps a 16-digit order number that fails the Luhn check, however grouped', () => {
    const recorded = startTracker();
    recorded.tracker.track('order', { a: 'Order 4111111111111112', b: '4111.1111.1111.1112' });
    expect(recorded.customs[0]!.props).to.deep.equal({
      a: 'Order 4111111111111112',
      b: '4111.1111.1111.1112',
    });
  });

  it('redacts a card number followed by a year in one run of digit groups', () => {
    const recorded = startTracker();
    recorded.tracker.track('paid', { note: 'paid 4111 1111 1111 1111 2024' });
    expect(recorded.customs[0]!.props.note).to.equal('paid [redacted] 2024');
  });

  it('leaves no digits of a card number cut where a label stops reading', () => {
    const page = fixture('<button></button>');
    $(page, 'button').append(`Pay${' '.repeat(490)}4111 1111 1111 1111`, ' and more');
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.click.label).to.be.oneOf(['Pay', 'Pay [redacted]', 'Pay [redacted] and more']);
  });

  it('redacts card numbers in ids and classes, which pages build from saved cards', () => {
    const page = fixture(
      '<button id="card-4111111111111111" class="saved-4111111111111111">x</button>',
    );
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(JSON.stringify(recorded.click)).not.to.contain('4111111111111111');
  });

  it('redacts a card number that is an id or class of its own, before CSS escapes it', () => {
    const page = fixture(
      '<span id="4111111111111111"><button class="4111.1111.1111.1111">x</button></span>',
    );
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    const { selector, classes } = recorded.click;
    // Escaped, the id would read `#\34 111111111111111`, the class `.4111\.1111\.1111\.1111`.
    expect(selector).not.to.match(/1{12}|1111\\?\.1111/);
    expect(selector).to.contain('redacted');
    expect(classes).not.to.match(/1111/);
  });
});

describe('faults, tracker: URLs keep no password, no card number, and of what cannot be parsed no query or fragment', () => {
  afterEach(() => {
    stopTrackers();
    clearFixtures();
    history.replaceState(null, '', home);
  });

  /** The target recorded for a click on a link to `href`. */
  function targetOf(href: string, keep: 'none' | 'all' = 'none'): string | null {
    const page = fixture('<a>Link</a>');
    $(page, 'a').setAttribute('href', href);
    const recorded = startTracker({ keepQuery: keep, keepHash: keep === 'all' });
    click($(page, 'a'));
    recorded.tracker.drain();
    return recorded.click.target;
  }

  it('redacts a card number written with encoded spaces or plus signs', () => {
    for (const href of [
      'https://shop.example/card/4111%201111%201111%201111',
      'https://shop.example/card/4111%201111-1111-1111',
      'https://shop.example/pay?n=4111+1111+1111+1111',
    ])
      expect(targetOf(href, 'all')).to.match(
        /^https:\/\/shop\.example\/(card\/|pay\?n=)\S*redacted/,
      );
    expect(targetOf('https://shop.example/a?q=1+2', 'all')).to.equal(
      'https://shop.example/a?q=1+2',
    );
  });

  it('leaves no digits of a card number cut where a long URL stops being read', () => {
    const href = `https://shop.example/${'a'.repeat(2048 - 29)}/4111111111111111`;
    expect(targetOf(href)).not.to.match(/\d$/);
  });

  it('strips the user, password and query of a link whose port is out of range', () => {
    expect(targetOf('http://user:PASSW0RD@host:99999/?token=TOK1')).to.equal('http://host:99999/');
  });

  it('strips them even where keepQuery is "all" and keepHash is on', () => {
    expect(targetOf('http://user:PASSW0RD@host:99999/a?token=TOK1#s3cret', 'all')).to.equal(
      'http://host:99999/a',
    );
  });

  it('strips the fragment and a user of an unparsable host, and keeps no authority it cannot close', () => {
    expect(targetOf('https://ann@[::1/p#frag')).to.equal('https://[::1/p');
    expect(targetOf('http://ann:PW@[::1')).to.equal('http://');
  });

  it('scrubs a card number in the page and referrer URLs of page views', async () => {
    const recorded = startTracker();
    history.pushState(null, '', '/tabstream-test/cards/4111111111111111');
    history.pushState(null, '', '/tabstream-test/cards/4111111111111111/edit');
    await nextTask();
    recorded.tracker.drain();
    const view = recorded.views.at(-1)!;
    expect([view.page, view.referrer]).to.deep.equal([
      `${location.origin}/tabstream-test/cards/[redacted]/edit`,
      `${location.origin}/tabstream-test/cards/[redacted]`,
    ]);
  });

  it('keeps only the scheme of an unparsable link that is not http(s)', () => {
    expect(targetOf('foo://user:PW@host:99999/?q=1')).to.equal('foo:');
  });
});

describe('faults, tracker: track() and data-tabstream-prop-* names are checked at the door', () => {
  let output: ReturnType<typeof captureConsole>;
  beforeEach(() => (output = captureConsole()));
  afterEach(() => {
    output.restore();
    stopTrackers();
    clearFixtures();
  });

  /** What `track(name, props)` returned and recorded, and the one error it logged (or none). */
  function track(name: unknown, props: unknown) {
    const recorded = startTracker();
    let result: boolean | undefined;
    expect(() => (result = recorded.tracker.track(name, props))).not.to.throw();
    recorded.tracker.drain();
    expect(output.errors.length).to.be.at.most(1);
    return {
      result,
      customs: recorded.customs,
      error: String((output.errors[0]?.[0] as string | undefined) ?? ''),
    };
  }

  it('redacts a card number used as a prop name, and in the event name', () => {
    const { result, customs } = track('paid 4111 1111 1111 1111', {
      '4111-1111-1111-1111': 'visa',
    });
    expect(result).to.equal(true);
    expect(customs[0]).to.deep.include({
      name: 'paid [redacted]',
      props: { '[redacted]': 'visa' },
    });
  });

  it('rejects a prop name of 300,000 chars with the track() error', () => {
    const { result, customs, error } = track('signup', { ['k'.repeat(300_000)]: 1 });
    expect([result, customs]).to.deep.equal([false, []]);
    expect(error).to.contain('tabstream: track() ignored an event: ');
    expect(error).to.contain('a prop name must be 1 to 100 characters');
    expect(error.length).to.be.below(400);
  });

  it('rejects a blank prop name', () => {
    const { result, error } = track('signup', { '  ': 1 });
    expect(result).to.equal(false);
    expect(error).to.contain('prop name must be');
  });

  it('rejects an own __proto__ prop with the track() error, instead of dropping it', () => {
    const { result, customs, error } = track(
      'signup',
      JSON.parse('{"plan":"pro","__proto__":"x"}'),
    );
    expect([result, customs]).to.deep.equal([false, []]);
    expect(error).to.contain('"__proto__"');
  });

  it('rejects a proxy claiming a million props without walking them', () => {
    const keys = Array.from({ length: 1_000_000 }, (_, i) => `p${i}`);
    let reads = 0;
    const props = new Proxy(
      {},
      {
        ownKeys: () => keys,
        getOwnPropertyDescriptor: () => (
          reads++,
          { value: 1, enumerable: true, configurable: true }
        ),
      },
    );
    const { result, error } = track('signup', props);
    expect(result).to.equal(false);
    expect(error).to.contain('at most 30 props, not 1000000');
    expect(reads).to.be.below(100);
  });

  it('rejects a proxy whose traps throw, with one error, never throwing', () => {
    const props = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('ownKeys trap exploded');
        },
      },
    );
    const { result, error } = track('signup', props);
    expect(result).to.equal(false);
    expect(error).to.contain('ownKeys trap exploded');
  });

  it('rejects a cyclic prop value by name', () => {
    const self: Record<string, unknown> = {};
    self.self = self;
    const { result, error } = track('signup', { self });
    expect(result).to.equal(false);
    expect(error).to.contain('prop "self" must be a string');
  });

  it('bounds a getter returning 1 MB of card numbers: redacted, 255 chars', () => {
    const props = {
      get note() {
        return '4111 1111 1111 1111 '.repeat(50_000);
      },
    };
    const { result, customs } = track('bulk', props);
    expect(result).to.equal(true);
    const note = customs[0]!.props.note as string;
    expect(note).to.have.length.at.most(255);
    expect(note).not.to.match(/\d/);
  });

  it('reports a data-tabstream-prop-__proto__ attribute, and still records the click', () => {
    const page = fixture(
      '<button data-tabstream-event="proto-attr" data-tabstream-prop-__proto__="x">Go</button>',
    );
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.customs).to.deep.equal([]);
    expect(recorded.clicks).to.have.length(1);
    expect(String(output.errors[0]?.[0])).to.contain('"__proto__"');
  });

  it('reports an element with 1,000 data-tabstream-prop-* attributes, and still records the click', () => {
    const page = fixture('<button data-tabstream-event="many-attrs">Go</button>');
    for (let i = 0; i < 1000; i++) $(page, 'button').setAttribute(`data-tabstream-prop-p${i}`, 'x');
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.customs).to.deep.equal([]);
    expect(recorded.clicks).to.have.length(1);
    expect(String(output.errors[0]?.[0])).to.contain('at most 30 props, not 1000');
  });

  it('redacts a card number in a data-tabstream-prop-* name', () => {
    const page = fixture(
      '<button data-tabstream-event="card-attr" data-tabstream-prop-card4111111111111111="x">Go</button>',
    );
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.customs[0]!.props).to.deep.equal({ 'card[redacted]': 'x' });
  });
});
