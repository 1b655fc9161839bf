import { expect } from 'chai';
import { html, LitElement } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import {
  $,
  centreOf,
  clearFixtures,
  click,
  fixture,
  ignoreOptOutsOfOtherPages,
  nextTask,
  pageOf,
  realClick,
  resetMouse,
  startTracker,
  stopTrackers,
} from './tracker-helpers';
import { defineElements } from '../../src/ui';

ignoreOptOutsOfOtherPages();

/** A Lit element with an open shadow root: a card with an "Add to cart" button. */
class BuyCard extends LitElement {
  override render() {
    return html`<div class="card"><button class="add">Add to cart</button></div>`;
  }
}
customElements.define('ts-buy-card', BuyCard);

/** A plain custom element with an open shadow root holding a link. */
class PlainLink extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML =
      '<nav><a class="more" href="/docs/guide?ref=shadow#intro"><span>Read the guide</span></a></nav>';
  }
}
customElements.define('ts-plain-link', PlainLink);

/** A custom element with a closed shadow root: its button is reachable only through `inner`. */
class ClosedWidget extends HTMLElement {
  readonly inner: HTMLButtonElement;
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'closed' });
    root.innerHTML = '<button class="secret-inside">Inside closed</button>';
    this.inner = root.querySelector('button')!;
  }
}
customElements.define('ts-closed-widget', ClosedWidget);

const origin = location.origin;

describe('tracker: click capture', () => {
  afterEach(async () => {
    stopTrackers();
    clearFixtures();
    scrollTo(0, 0);
    await resetMouse();
  });

  it('records a left click on a link, its target without query and hash by default', async () => {
    const page = fixture('<a href="/shop/item?id=7&utm_source=mail#reviews">Item</a>');
    const recorded = startTracker();
    await realClick($(page, 'a'));
    recorded.tracker.drain();
    const event = recorded.click;
    expect(event.type).to.equal('click');
    expect(event.v).to.equal(1);
    expect(event.target).to.equal(`${origin}/shop/item`);
    expect(event.tag).to.equal('a');
    expect(event.role).to.equal('link');
    expect(event.label).to.equal('Item');
    expect(event.button).to.equal(0);
    expect(event.keyboard).to.equal(false);
    expect(event.modifiers).to.equal('');
    expect(event.outbound).to.equal(false);
    expect(event.download).to.equal(false);
  });

  it('keeps the query and hash of a target as keepQuery and keepHash say', () => {
    const page = fixture('<a href="/shop/item?id=7&utm_source=mail#reviews">Item</a>');
    const cases = [
      [{ keepQuery: 'all' as const }, `${origin}/shop/item?id=7&utm_source=mail`],
      [{ keepQuery: ['utm_source'] }, `${origin}/shop/item?utm_source=mail`],
      [{ keepQuery: ['nothing-here'] }, `${origin}/shop/item`],
      [{ keepHash: true }, `${origin}/shop/item#reviews`],
      [
        { keepQuery: 'all' as const, keepHash: true },
        `${origin}/shop/item?id=7&utm_source=mail#reviews`,
      ],
    ] as const;
    for (const [rules, target] of cases) {
      const recorded = startTracker(rules);
      click($(page, 'a'));
      recorded.tracker.drain();
      stopTrackers();
      expect(recorded.click.target, JSON.stringify(rules)).to.equal(target);
    }
  });

  it('records a click on a button, with no target', async () => {
    const page = fixture('<button id="buy" class="btn primary">Buy</button>');
    const recorded = startTracker();
    await realClick($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.click).to.include({
      target: null,
      tag: 'button',
      id: 'buy',
      classes: 'btn primary',
      role: 'button',
      label: 'Buy',
      outbound: false,
      download: false,
    });
  });

  it('records a middle click (auxclick) as button 1', async () => {
    const page = fixture('<a href="/docs">Docs</a>');
    const recorded = startTracker();
    let auxclicks = 0;
    page.addEventListener('auxclick', () => auxclicks++);
    await realClick($(page, 'a'), 'middle');
    recorded.tracker.drain();
    expect(auxclicks).to.equal(1);
    expect(recorded.click.button).to.equal(1);
    expect(recorded.click.target).to.equal(`${origin}/docs`);
  });

  it('does not record a right-button auxclick', async () => {
    const page = fixture('<button>Menu</button>');
    const recorded = startTracker();
    const buttons: number[] = [];
    page.addEventListener('auxclick', (event) => buttons.push(event.button));
    await realClick($(page, 'button'), 'right');
    $(page, 'button').dispatchEvent(
      new MouseEvent('auxclick', { bubbles: true, composed: true, button: 2, detail: 1 }),
    );
    recorded.tracker.drain();
    expect(buttons).to.deep.equal([2, 2]);
    expect(recorded.clicks).to.deep.equal([]);
  });

  it('marks a click activated from the keyboard (Enter on a link, Space on a button)', async () => {
    const page = fixture('<a href="/next">Next</a> <button>Save</button>');
    const recorded = startTracker();
    $(page, 'a').focus();
    await sendKeys({ press: 'Enter' });
    $(page, 'button').focus();
    await sendKeys({ press: 'Space' });
    await realClick($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => [e.tag, e.keyboard])).to.deep.equal([
      ['a', true],
      ['button', true],
      ['button', false],
    ]);
  });

  it('records where: page coordinates (client + scroll), client coordinates, viewport size', async () => {
    const page = fixture(
      '<div style="position: relative; width: 3000px; height: 3000px">' +
        '<button style="position: absolute; left: 300px; top: 500px">Here</button></div>',
    );
    scrollTo(40, 150);
    expect([scrollX, scrollY]).to.deep.equal([40, 150]);
    const recorded = startTracker();
    const [clientX, clientY] = await realClick($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.click).to.include({
      clientX,
      clientY,
      x: clientX + 40,
      y: clientY + 150,
      vw: innerWidth,
      vh: innerHeight,
    });
  });

  it('records when, on which page view, page, session and tab', async () => {
    const page = fixture('<button>Go</button>');
    const recorded = startTracker();
    await nextTask();
    const before = Date.now();
    click($(page, 'button'));
    const after = Date.now();
    recorded.tracker.drain();
    const [view] = recorded.views;
    const event = recorded.click;
    expect(event.ts).to.be.within(before, after);
    expect(event.pageviewId).to.equal(view!.pageviewId);
    expect(event.page).to.equal(pageOf(location.href));
    expect(event.page).not.to.contain('wtr-session-id');
    expect(event.sessionId).to.be.a('string').and.equal(view!.sessionId);
    expect(event.tabId).to.equal(sessionStorage.getItem('tabstream:tab'));
    expect(event.tabId).to.equal(view!.tabId);
  });

  it("records the modifier keys held, in the order alt+ctrl+meta+shift, '' for none", async () => {
    const page = fixture('<button>Open</button>');
    const recorded = startTracker();
    const button = $(page, 'button');
    click(button, { shiftKey: true, altKey: true });
    click(button, { metaKey: true, ctrlKey: true, shiftKey: true, altKey: true });
    click(button, { ctrlKey: true });
    click(button);
    await sendKeys({ down: 'Shift' });
    await realClick(button);
    await sendKeys({ up: 'Shift' });
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.modifiers)).to.deep.equal([
      'alt+shift',
      'alt+ctrl+meta+shift',
      'ctrl',
      '',
      'shift',
    ]);
  });

  it('flags outbound links (another origin) and downloads (attribute or file extension)', () => {
    const page = fixture(`
      <a id="out" href="https://elsewhere.example/page">Out</a>
      <a id="pdf" href="/files/report.PDF?v=2">Report</a>
      <a id="zip" href="https://cdn.example/build.zip">Build</a>
      <a id="attr" href="/export" download>Export</a>
      <a id="local" href="/about">About</a>
      <a id="mail" href="mailto:hi@example.com">Mail</a>
      <a id="pdfish" href="/pdf/viewer">Viewer</a>`);
    const recorded = startTracker();
    for (const link of page.querySelectorAll('a')) click(link);
    recorded.tracker.drain();
    const flags = Object.fromEntries(
      recorded.clicks.map((e): [string, boolean[]] => [e.id!, [e.outbound, e.download]]),
    );
    expect(flags).to.deep.equal({
      out: [true, false],
      pdf: [false, true],
      zip: [true, true],
      attr: [false, true],
      local: [false, false],
      mail: [false, false],
      pdfish: [false, false],
    });
  });

  it('records a javascript: link target as "javascript:" only', () => {
    const page = fixture('<a href="javascript:void(secretToken)">Run</a>');
    const recorded = startTracker();
    click($(page, 'a'));
    recorded.tracker.drain();
    expect(recorded.click.target).to.equal('javascript:');
  });

  it('keeps at most 3 classes, space-joined; null id and classes when there are none', () => {
    const page = fixture('<button class="a b c d e">Many</button><button>None</button>');
    const recorded = startTracker();
    for (const button of page.querySelectorAll('button')) click(button);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => [e.id, e.classes])).to.deep.equal([
      [null, 'a b c'],
      [null, null],
    ]);
  });

  it('records the explicit role, else the implicit one of a link or button, else null', () => {
    const page = fixture(`
      <div role="tab">Tab</div>
      <a href="/x">Link</a>
      <button>Button</button>
      <a href="/y" role="menuitem">Item</a>
      <span>Plain</span>`);
    const recorded = startTracker();
    for (const element of page.querySelectorAll('div, a, button, span')) click(element);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.role)).to.deep.equal([
      'tab',
      'link',
      'button',
      'menuitem',
      null,
    ]);
  });
});

describe('tracker: the selector and the element a click is about', () => {
  afterEach(() => {
    stopTrackers();
    clearFixtures();
  });

  it('builds a selector of at most 5 levels, the clicked element last', () => {
    const page = fixture(
      '<div class="l1"><div class="l2"><div class="l3"><div class="l4 x y z"><p class="l5"><span class="leaf">Deep</span></p></div></div></div></div>',
    );
    const recorded = startTracker();
    click($(page, '.leaf'));
    recorded.tracker.drain();
    expect(recorded.click.selector).to.equal('div.l2 > div.l3 > div.l4.x > p.l5 > span.leaf');
  });

  it('stops the selector at the first ancestor with an id', () => {
    const page = fixture(
      '<section id="shop"><ul class="products"><li><a class="buy" href="/buy">Buy</a></li></ul></section>',
    );
    const recorded = startTracker();
    click($(page, 'a'));
    recorded.tracker.drain();
    expect(recorded.click.selector).to.equal('#shop > ul.products > li > a.buy');
  });

  it('escapes ids and classes in the selector', () => {
    const page = fixture('<div id="1st:box"><b class="a.b">x</b></div>');
    const recorded = startTracker();
    click($(page, 'b'));
    recorded.tracker.drain();
    const { selector } = recorded.click;
    expect(selector).to.equal(`#${CSS.escape('1st:box')} > b.${CSS.escape('a.b')}`);
    expect(document.querySelector(selector)).to.equal($(page, 'b'));
  });

  it('describes the link around a clicked <b>, but the selector is of the <b>', () => {
    const page = fixture('<a id="cta" class="hero" href="/signup">Sign up <b>now</b></a>');
    const recorded = startTracker();
    click($(page, 'b'));
    recorded.tracker.drain();
    expect(recorded.click).to.include({
      tag: 'a',
      id: 'cta',
      classes: 'hero',
      role: 'link',
      label: 'Sign up now',
      target: `${origin}/signup`,
      selector: '#cta > b',
    });
  });

  it('looks for the link or button around the clicked element within 5 levels only', () => {
    const page = fixture(`
      <button id="near" class="near"><span><span><span><i>4 levels up</i></span></span></span></button>
      <button id="far" class="far"><span><span><span><span><i>5 levels up</i></span></span></span></span></button>`);
    const recorded = startTracker();
    click($(page, '#near i'));
    click($(page, '#far i'));
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => [e.tag, e.id, e.label])).to.deep.equal([
      ['button', 'near', '4 levels up'],
      ['i', null, '5 levels up'],
    ]);
  });

  it('describes a role="button" element around the clicked one', () => {
    const page = fixture('<div role="button" class="chip"><img alt=""><span>Filter</span></div>');
    const recorded = startTracker();
    click($(page, 'span'));
    recorded.tracker.drain();
    expect(recorded.click).to.include({
      tag: 'div',
      role: 'button',
      label: 'Filter',
      classes: 'chip',
    });
  });
});

describe('tracker: shadow DOM', () => {
  afterEach(async () => {
    stopTrackers();
    clearFixtures();
    await resetMouse();
  });

  it('records a click inside the open shadow root of a Lit element', async () => {
    const page = fixture('<ts-buy-card></ts-buy-card>');
    const card = $<BuyCard>(page, 'ts-buy-card');
    await card.updateComplete;
    const recorded = startTracker();
    await realClick(card.shadowRoot!.querySelector('button')!);
    recorded.tracker.drain();
    expect(recorded.click).to.include({
      selector: 'body > div.fixture > ts-buy-card >>> div.card > button.add',
      tag: 'button',
      classes: 'add',
      role: 'button',
      label: 'Add to cart',
      target: null,
    });
  });

  it('resolves a link inside an open shadow root, from a span in it', () => {
    const page = fixture('<ts-plain-link id="guide"></ts-plain-link>');
    const host = $(page, 'ts-plain-link');
    const recorded = startTracker();
    click(host.shadowRoot!.querySelector('span')!);
    recorded.tracker.drain();
    expect(recorded.click).to.include({
      selector: '#guide >>> nav > a.more > span',
      tag: 'a',
      label: 'Read the guide',
      target: `${origin}/docs/guide`,
    });
  });

  it('records a click in a closed shadow root, the selector stopping at the host', () => {
    const page = fixture(
      '<section class="widgets"><ts-closed-widget></ts-closed-widget></section>',
    );
    const widget = $<ClosedWidget>(page, 'ts-closed-widget');
    const recorded = startTracker();
    click(widget.inner);
    recorded.tracker.drain();
    const event = recorded.click;
    expect(event.selector).to.equal(
      'html > body > div.fixture > section.widgets > ts-closed-widget',
    );
    expect(event.selector).not.to.contain('>>>');
    expect(event.tag).to.equal('ts-closed-widget');
    expect(JSON.stringify(event)).not.to.contain('secret-inside');
  });
});

describe('tracker: labels', () => {
  afterEach(() => {
    stopTrackers();
    clearFixtures();
  });

  /** The label of a click on the element matching `selector` in `markup`. */
  function labelOf(markup: string, selector = 'button'): string | null {
    const page = fixture(markup);
    const recorded = startTracker();
    click($(page, selector));
    recorded.tracker.drain();
    stopTrackers();
    return recorded.click.label;
  }

  it('prefers the aria-label to the visible text', () => {
    expect(labelOf('<button aria-label="Close dialog">×</button>')).to.equal('Close dialog');
  });

  it('collapses the whitespace of the visible text', () => {
    expect(labelOf('<button>\n   Add \n\n to\t\t <span> cart </span>  </button>')).to.equal(
      'Add to cart',
    );
  });

  it('is null for an element with no text', () => {
    expect(labelOf('<button>   </button>')).to.equal(null);
  });

  it('is capped at 255 chars', () => {
    const text = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const label = labelOf(`<button>${text}</button>`);
    expect(label).to.have.length(255);
    expect(text.startsWith(label!)).to.equal(true);
  });

  it('redacts card numbers, grouped by spaces or dashes or not, and SSN-like numbers', () => {
    expect(labelOf('<button>Pay with 4111 1111 1111 1111 now</button>')).to.equal(
      'Pay with [redacted] now',
    );
    expect(labelOf('<button>Card 4111-1111-1111-1111</button>')).to.equal('Card [redacted]');
    expect(labelOf('<button>Card 4111111111111111</button>')).to.equal('Card [redacted]');
    expect(labelOf('<button>SSN 123-45-6789</button>')).to.equal('SSN [redacted]');
    expect(labelOf('<button>Card <b>4111 1111</b> <b>1111 1111</b></button>')).to.equal(
      'Card [redacted]',
    );
    expect(labelOf('<button aria-label="Card 4111 1111 1111 1111">x</button>')).to.equal(
      'Card [redacted]',
    );
  });

  it('keeps short numbers: prices, years, phone-like extensions', () => {
    expect(labelOf('<button>Buy 2 for $19.99 (2024)</button>')).to.equal('Buy 2 for $19.99 (2024)');
  });

  it('never records what was typed into a field, inside a button-like element or a label', async () => {
    const page = fixture(`
      <div role="button" id="picker"><span>Choose</span> <input id="typed" type="text"></div>
      <label id="notes">Notes <textarea></textarea></label>
      <div role="button" id="size">Size <select><option>XL-secret-size</option></select></div>
      <button id="editable">Edit <span contenteditable>typed-in-editable</span></button>`);
    const recorded = startTracker();
    $(page, '#typed').focus();
    await sendKeys({ type: 'hunter2-secret' });
    $(page, 'textarea').focus();
    await sendKeys({ type: 'textarea-secret' });
    $(page, '[contenteditable]').focus();
    await sendKeys({ type: '-more-typed' });
    expect($<HTMLInputElement>(page, '#typed').value).to.equal('hunter2-secret');
    for (const selector of [
      '#picker',
      '#typed',
      '#notes',
      'textarea',
      '#size',
      'select',
      '#editable',
    ])
      click($(page, selector));
    recorded.tracker.drain();
    const clicks = recorded.clicks;
    expect(clicks).to.have.length(7);
    expect(clicks.map((e) => e.label)).to.deep.equal([
      'Choose',
      null,
      'Notes',
      null,
      'Size',
      null,
      'Edit',
    ]);
    const json = JSON.stringify(recorded.events);
    for (const secret of [
      'hunter2',
      'textarea-secret',
      'XL-secret',
      'typed-in-editable',
      'more-typed',
    ])
      expect(json).not.to.contain(secret);
  });

  it('records nothing of a password or hidden input but its tag: no id, classes or label', () => {
    const page = fixture(`
      <form class="login">
        <input type="password" id="pw-field" class="field secret-class" aria-label="Your password" value="p4ss">
        <input type="hidden" id="csrf-token" class="csrf" value="t0ken">
      </form>`);
    const recorded = startTracker();
    click($(page, '#pw-field'));
    click($(page, '#csrf-token'));
    recorded.tracker.drain();
    expect(recorded.clicks).to.have.length(2);
    for (const event of recorded.clicks) {
      expect(event).to.include({ tag: 'input', id: null, classes: null, label: null });
    }
    expect(JSON.stringify(recorded.events)).not.to.match(
      /p4ss|t0ken|pw-field|secret-class|csrf|Your password/,
    );
  });

  it("gives a password field's selector its ancestors, as its id is not recorded", () => {
    const page = fixture(
      '<form class="login"><input type="password" id="pw-field"></form>' +
        '<form class="signup"><input type="password" id="new-pw"></form>',
    );
    const recorded = startTracker();
    click($(page, '#pw-field'));
    click($(page, '#new-pw'));
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.selector)).to.deep.equal([
      'html > body > div.fixture > form.login > input',
      'html > body > div.fixture > form.signup > input',
    ]);
  });

  it('is null under a [data-tabstream-sensitive] element, or on one', () => {
    expect(labelOf('<div data-tabstream-sensitive><button>Jane Doe</button></div>')).to.equal(null);
    expect(labelOf('<button data-tabstream-sensitive>Jane Doe</button>')).to.equal(null);
    expect(
      labelOf('<button>Account of <span data-tabstream-sensitive>Jane Doe</span></button>', 'span'),
    ).to.equal(null);
  });

  it('leaves the text of sensitive and hidden descendants out of an ancestor label', () => {
    expect(
      labelOf('<button>Account of <span data-tabstream-sensitive>Jane Doe</span>!</button>'),
    ).to.equal('Account of !');
    expect(labelOf('<button>Save<span hidden> secret-hidden</span></button>')).to.equal('Save');
    expect(labelOf('<button>Pay <span autocomplete="cc-number">4000 12</span></button>')).to.equal(
      'Pay',
    );
  });

  it('records no text typed into a rich-text editor (a contenteditable) when a paragraph in it is clicked', () => {
    const page = fixture(
      '<div class="editor" contenteditable><p>Dear Jane, my account number is 99-1234</p></div>',
    );
    const recorded = startTracker();
    click($(page, 'p'));
    recorded.tracker.drain();
    expect(recorded.click.label).to.equal(null);
    expect(JSON.stringify(recorded.events)).not.to.contain('Dear Jane');
  });
});

describe('tracker: ignore zones', () => {
  afterEach(() => {
    stopTrackers();
    clearFixtures();
  });

  it('records no click under [data-tabstream-ignore], and still records its siblings', () => {
    const page = fixture(`
      <div data-tabstream-ignore><button id="inside"><b>Inside</b></button></div>
      <button id="outside">Outside</button>`);
    const recorded = startTracker();
    click($(page, '#inside b'));
    click($(page, '#inside'));
    click($(page, '#outside'));
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.id)).to.deep.equal(['outside']);
  });

  it("records no click under elements matching the ignore option ('.admin')", () => {
    const page = fixture(`
      <div class="admin"><a href="/admin/users">Users</a></div>
      <a class="admin" href="/admin">Admin</a>
      <a id="shop" href="/shop">Shop</a>`);
    const recorded = startTracker({ ignore: '.admin' });
    for (const link of page.querySelectorAll('a')) click(link);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.id)).to.deep.equal(['shop']);
  });

  it('takes a selector list as the ignore option', () => {
    const page = fixture(`
      <div class="admin"><button>A</button></div>
      <div id="chat"><button>B</button></div>
      <div><button id="kept">C</button></div>`);
    const recorded = startTracker({ ignore: '.admin, #chat' });
    for (const button of page.querySelectorAll('button')) click(button);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.id)).to.deep.equal(['kept']);
  });

  it('ignores a click inside the shadow root of an ignored host', async () => {
    const page = fixture('<ts-buy-card data-tabstream-ignore></ts-buy-card>');
    const card = $<BuyCard>(page, 'ts-buy-card');
    await card.updateComplete;
    const recorded = startTracker();
    click(card.shadowRoot!.querySelector('button')!);
    recorded.tracker.drain();
    expect(recorded.clicks).to.deep.equal([]);
  });

  it("records no click in tabstream's own elements, the counts and the monitor", async () => {
    defineElements();
    const page = fixture(`
      <tabstream-counts></tabstream-counts>
      <tabstream-monitor></tabstream-monitor>
      <tabstreams-list><button id="beside">A look-alike's</button></tabstreams-list>`);
    const counts = $<HTMLElementTagNameMap['tabstream-counts']>(page, 'tabstream-counts');
    const monitor = $<HTMLElementTagNameMap['tabstream-monitor']>(page, 'tabstream-monitor');
    await Promise.all([counts.updateComplete, monitor.updateComplete]);
    const recorded = startTracker();
    click(counts.shadowRoot!.querySelector('th button')!); // sorts
    click(monitor.shadowRoot!.querySelector('[role="tab"]')!);
    click($(page, '#beside'));
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.id)).to.deep.equal(['beside']);
  });

  it('sends no data-tabstream-event custom event from an ignored zone', () => {
    const page = fixture(
      '<div data-tabstream-ignore><button data-tabstream-event="hidden-event">X</button></div>',
    );
    const recorded = startTracker();
    click($(page, 'button'));
    recorded.tracker.drain();
    expect(recorded.events.filter((e) => e.type !== 'pageview')).to.deep.equal([]);
  });
});

// Not a tracker feature: makes sure the fixture helper's mouse position maths holds, since the
// coordinate tests rely on it.
describe('tracker test helpers', () => {
  afterEach(clearFixtures);

  it('finds the centre of an element in viewport coordinates', () => {
    const page = fixture(
      '<div style="position: fixed; left: 10px; top: 20px; width: 40px; height: 60px"></div>',
    );
    expect(centreOf($(page, 'div'))).to.deep.equal([30, 50]);
  });
});
