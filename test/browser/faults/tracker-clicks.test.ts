// Fault suite, tracker: clicks that real pages produce twice (a label and the control it
// activates), and clicked elements holding megabytes (text, aria-label, id, class, href,
// attributes, children): one click of a person is one click, and its work is bounded.
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import {
  $,
  captureConsole,
  clearFixtures,
  click,
  fixture,
  ignoreOptOutsOfOtherPages,
  realClick,
  resetMouse,
  startTracker,
  stopTrackers,
  workOf,
} from '../tracker-helpers';

ignoreOptOutsOfOtherPages();

/** A checkbox as Shoelace's `<sl-checkbox>` builds it: a label in its shadow root wraps the input and the slotted text. */
class FaultCheckbox extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML =
      '<label part="base"><span class="control"><input type="checkbox" class="input"></span> <slot></slot></label>';
  }
}
customElements.define('ts-fault-checkbox', FaultCheckbox);

const MB = 1024 * 1024;
/** Far more than a click's bounded work reads of any text: what it must stay under. */
const BOUNDED = 4096;

describe('faults, tracker: a label and the control it activates are one click', () => {
  afterEach(async () => {
    stopTrackers();
    clearFixtures();
    await resetMouse();
  });

  it('counts a real click on a <label for> once, as the label clicked', async () => {
    const page = fixture(
      '<label for="terms">Accept the <b>terms</b></label> <input id="terms" type="checkbox">',
      true,
    );
    const recorded = startTracker();
    await realClick($(page, 'b'));
    recorded.tracker.drain();
    expect($<HTMLInputElement>(page, 'input').checked).to.equal(true); // the control was activated
    expect(recorded.click).to.include({ tag: 'label', label: 'Accept the terms', keyboard: false });
  });

  it('counts a real click on a label wrapping its input once', async () => {
    const page = fixture('<label><span>Remember me</span> <input type="checkbox"></label>', true);
    const recorded = startTracker();
    await realClick($(page, 'span'));
    recorded.tracker.drain();
    expect($<HTMLInputElement>(page, 'input').checked).to.equal(true);
    expect(recorded.click).to.include({ tag: 'label', label: 'Remember me' });
  });

  it('counts a real click on the slotted text of a Shoelace-like checkbox (label in a shadow root) once', async () => {
    const page = fixture('<ts-fault-checkbox><span>Subscribe</span></ts-fault-checkbox>', true);
    const box = $(page, 'ts-fault-checkbox');
    const recorded = startTracker();
    await realClick($(page, 'span'));
    recorded.tracker.drain();
    expect(box.shadowRoot!.querySelector('input')!.checked).to.equal(true);
    // (Its text is slotted: a label reads no slot's assigned nodes, as before.)
    expect(recorded.click).to.include({
      tag: 'label',
      selector: 'div.fixture > ts-fault-checkbox >>> label > slot > span',
    });
  });

  it('counts two genuine clicks on a label twice', async () => {
    const page = fixture(
      '<label for="news">Newsletter</label> <input id="news" type="checkbox">',
      true,
    );
    const recorded = startTracker();
    await realClick($(page, 'label'));
    await realClick($(page, 'label'));
    recorded.tracker.drain();
    expect(recorded.clicks.map((c) => c.tag)).to.deep.equal(['label', 'label']);
  });

  it('counts a click straight on a labelled control once, and a click on another control in the label once', async () => {
    const page = fixture(
      '<label><span>Plan</span> <input type="checkbox" id="first"> <input type="text" id="note"></label>',
      true,
    );
    const recorded = startTracker();
    await realClick($(page, '#first'));
    await realClick($(page, '#note'));
    recorded.tracker.drain();
    expect(recorded.clicks.map((c) => c.id)).to.deep.equal(['first', 'note']);
  });

  it('counts a keyboard activation (Space on a focused labelled checkbox) once', async () => {
    const page = fixture('<label for="kb">Keyboard</label> <input id="kb" type="checkbox">', true);
    const recorded = startTracker();
    $(page, 'input').focus();
    await sendKeys({ press: 'Space' });
    recorded.tracker.drain();
    expect(recorded.click).to.include({ tag: 'input', keyboard: true });
  });

  it("counts a script's label.click() once (the label's click and its control's echo)", () => {
    const page = fixture('<label for="s">Scripted</label> <input id="s" type="checkbox">', true);
    const recorded = startTracker();
    $(page, 'label').click();
    recorded.tracker.drain();
    expect($<HTMLInputElement>(page, 'input').checked).to.equal(true);
    expect(recorded.click).to.include({ tag: 'label' });
  });

  it('records one data-tabstream-event for one click on a label inside the tagged element', async () => {
    const page = fixture(
      '<form data-tabstream-event="consent"><label for="c">Accept</label> <input id="c" type="checkbox"></form>',
      true,
    );
    page.addEventListener('submit', (event) => event.preventDefault());
    const recorded = startTracker();
    await realClick($(page, 'label'));
    recorded.tracker.drain();
    expect(recorded.customs.map((e) => e.name)).to.deep.equal(['consent']);
    expect(recorded.clicks).to.have.length(1);
  });
});

describe('faults, tracker: a click on an element holding megabytes does bounded work', () => {
  let output: ReturnType<typeof captureConsole>;
  beforeEach(() => (output = captureConsole()));
  afterEach(() => {
    output.restore();
    stopTrackers();
    clearFixtures();
  });

  /** Clicks `element` and returns the work of describing the click, and the events. */
  function clickWork(element: Element) {
    const recorded = startTracker();
    click(element);
    const work = workOf(() => recorded.tracker.drain());
    return { work, recorded };
  }

  it('reads a bounded slice of a 4 MB text node in a button', () => {
    const page = fixture('<button>Buy now </button>');
    $(page, 'button').append('x '.repeat(2 * MB));
    const { work, recorded } = clickWork($(page, 'button'));
    expect(work.longest).to.be.below(BOUNDED);
    expect(recorded.click.label).to.have.length(255);
    expect(recorded.click.label!.startsWith('Buy now x x')).to.equal(true);
  });

  it('reads a bounded slice of a 4 MB aria-label', () => {
    const page = fixture('<button>x</button>');
    $(page, 'button').setAttribute('aria-label', `Close ${'y'.repeat(4 * MB)}`);
    const { work, recorded } = clickWork($(page, 'button'));
    expect(work.longest).to.be.below(BOUNDED);
    expect(recorded.click.label).to.equal(`Close ${'y'.repeat(249)}`);
  });

  it('visits a bounded number of elements of a button with 100,000 hidden children', () => {
    const page = fixture('<button>Go</button>');
    const button = $(page, 'button');
    button.insertAdjacentHTML('beforeend', '<span hidden></span>'.repeat(100_000));
    const { work, recorded } = clickWork(button);
    expect(work.elementCalls).to.be.below(5000);
    expect(recorded.click.label).to.equal('Go');
  });

  it('bounds a 4 MB id and a 1 MB class name in the id, classes and selector', () => {
    const page = fixture('<button>Pay</button>');
    const button = $(page, 'button');
    button.id = `pay-${'i'.repeat(4 * MB)}`;
    button.className = `wide-${'c'.repeat(MB)} small`;
    const { work, recorded } = clickWork(button);
    expect(work.longest).to.be.below(BOUNDED);
    const { id, classes, selector } = recorded.click;
    expect(id!.length).to.be.at.most(100);
    expect(classes!.length).to.be.at.most(3 * 101);
    expect(selector.length).to.be.below(1000);
    expect(id!.startsWith('pay-iii')).to.equal(true);
  });

  it('bounds a link of a 4 MB data: URL, recorded as "data:"', () => {
    const page = fixture('<a download="export.csv">Export</a>');
    $(page, 'a').setAttribute('href', `data:text/csv,${'a,b\n'.repeat(MB)}`);
    const { work, recorded } = clickWork($(page, 'a'));
    expect(work.longest).to.be.below(BOUNDED);
    expect(recorded.click).to.include({ target: 'data:', download: true });
  });

  it('bounds a link of a 4 MB http URL path, recorded without its query', () => {
    const page = fixture('<a>Long</a>');
    $(page, 'a').setAttribute('href', `/long/${'p'.repeat(4 * MB)}?token=TOK1`);
    const { work, recorded } = clickWork($(page, 'a'));
    expect(work.longest).to.be.below(BOUNDED);
    expect(recorded.click.target!.startsWith(`${location.origin}/long/ppp`)).to.equal(true);
    expect(recorded.click.target).not.to.contain('TOK1');
  });

  it('bounds a 4 MB data-tabstream-prop-* value, kept as its first 255 chars', () => {
    const page = fixture('<button data-tabstream-event="big-prop">Go</button>');
    $(page, 'button').setAttribute('data-tabstream-prop-note', 'n'.repeat(4 * MB));
    const { work, recorded } = clickWork($(page, 'button'));
    expect(work.longest).to.be.below(BOUNDED);
    expect(recorded.customs[0]!.props).to.deep.equal({ note: 'n'.repeat(255) });
  });

  it('rejects a 4 MB data-tabstream-event name with bounded work, and still records the click', () => {
    const page = fixture('<button>Go</button>');
    $(page, 'button').setAttribute('data-tabstream-event', ` ${'E'.repeat(4 * MB)}`);
    const { work, recorded } = clickWork($(page, 'button'));
    expect(work.longest).to.be.below(BOUNDED);
    expect(recorded.customs).to.deep.equal([]);
    expect(recorded.clicks).to.have.length(1);
    expect(String(output.errors[0]?.[0])).to.contain('data-tabstream-event');
  });
});
