import { expect } from 'chai';
import { html, LitElement } from 'lit';
import { sendMouse } from '@web/test-runner-commands';
import { ANSWER_MS } from '../../src/tracker';
import {
  $,
  afterAnswer,
  clearFixtures,
  click,
  fixture,
  ignoreOptOutsOfOtherPages,
  nextTask,
  resetMouse,
  startTracker,
  stopTrackers,
  wait,
} from './tracker-helpers';

ignoreOptOutsOfOtherPages();

/** A Lit counter: its button re-renders the shadow root on each click (Lit updates in a microtask). */
class ClickCounter extends LitElement {
  static override properties = { count: { type: Number } };
  count = 0;
  override render() {
    return html`<button @click=${() => this.count++}>Clicked ${this.count}</button>`;
  }
}
customElements.define('ts-click-counter', ClickCounter);

/** A plain custom element whose button writes into its own open shadow root, synchronously. */
class ShadowStatus extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<button>Check</button><output></output>';
    root.querySelector('button')!.addEventListener('click', () => {
      root.querySelector('output')!.textContent = 'checked';
    });
  }
}
customElements.define('ts-shadow-status', ShadowStatus);

const home = location.href;

/**
 * Scrolls `target` with `work`, and fires its scroll event now. The browser fires it in the page's
 * next rendering step, and a test page gets none while hidden, or may get none for over a second
 * on a loaded 2-core machine (test files run side by side): either would end the click's second
 * before the scroll is seen. The browser's own event, when it comes, finds no click waiting.
 */
function scroll(work: () => void, target: Document | Element): void {
  work();
  target.dispatchEvent(new Event('scroll', { bubbles: target === document }));
}

/** Synthetic clicks on `element` at each of `points` (viewport coordinates). */
function clickAt(element: Element, points: readonly [number, number][]): void {
  for (const [clientX, clientY] of points) click(element, { clientX, clientY });
}

describe('tracker: rage clicks', () => {
  afterEach(async () => {
    stopTrackers();
    clearFixtures();
    await resetMouse();
  });

  it('flags all three of 3 clicks at one place within a second', () => {
    const page = fixture('<div class="pad" style="width: 400px; height: 300px"></div>');
    const recorded = startTracker();
    clickAt($(page, '.pad'), [
      [100, 100],
      [100, 100],
      [100, 100],
    ]);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.rage)).to.deep.equal([true, true, true]);
  });

  it('flags clicks within 30 px of the first of the burst', () => {
    const page = fixture('<div class="pad" style="width: 400px; height: 300px"></div>');
    const recorded = startTracker();
    clickAt($(page, '.pad'), [
      [100, 100],
      [120, 110],
      [110, 125],
      [79, 100],
    ]);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.rage)).to.deep.equal([true, true, true, true]);
  });

  it('does not flag 2 clicks', () => {
    const page = fixture('<div class="pad" style="width: 400px; height: 300px"></div>');
    const recorded = startTracker();
    clickAt($(page, '.pad'), [
      [100, 100],
      [100, 100],
    ]);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.rage)).to.deep.equal([false, false]);
  });

  it('does not flag 3 clicks far apart', () => {
    const page = fixture('<div class="pad" style="width: 400px; height: 300px"></div>');
    const recorded = startTracker();
    clickAt($(page, '.pad'), [
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    clickAt($(page, '.pad'), [
      [50, 50],
      [50, 50],
      [50, 81],
    ]);
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.rage)).to.deep.equal([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('does not flag 3 clicks at one place spread over more than a second', async () => {
    const page = fixture('<div class="pad" style="width: 400px; height: 300px"></div>');
    const recorded = startTracker();
    const pad = $(page, '.pad');
    clickAt(pad, [[100, 100]]);
    await wait(600);
    clickAt(pad, [[100, 100]]);
    await wait(600);
    clickAt(pad, [[100, 100]]);
    recorded.tracker.drain();
    expect(recorded.clicks).to.have.length(3);
    expect(recorded.clicks[2]!.ts - recorded.clicks[0]!.ts).to.be.above(1000);
    expect(recorded.clicks.map((e) => e.rage)).to.deep.equal([false, false, false]);
  });

  it('flags a real triple click of the mouse', async () => {
    const page = fixture('<button style="width: 200px; height: 100px">Nothing happens</button>');
    const recorded = startTracker();
    const box = $(page, 'button').getBoundingClientRect();
    const position: [number, number] = [Math.round(box.left + 50), Math.round(box.top + 50)];
    for (let i = 0; i < 3; i++) await sendMouse({ type: 'click', position });
    recorded.tracker.drain();
    expect(recorded.clicks.map((e) => e.rage)).to.deep.equal([true, true, true]);
  });

  it('does not flag 3 quick clicks that the page answers each time (a stepper)', async () => {
    const page = fixture('<button class="plus">+</button><output>0</output>');
    const output = $(page, 'output');
    $(page, '.plus').addEventListener('click', () => {
      output.textContent = String(Number(output.textContent) + 1);
    });
    const recorded = startTracker();
    await wait(5);
    for (let i = 0; i < 3; i++) {
      click($(page, '.plus'));
      await nextTask(); // the page's answer is observed after the click's task
    }
    recorded.tracker.drain();
    expect(output.textContent).to.equal('3');
    expect(recorded.clicks.map((e) => [e.rage, e.dead])).to.deep.equal([
      [false, false],
      [false, false],
      [false, false],
    ]);
  });

  it('hands every click on once, in order', async () => {
    const page = fixture('<button id="a">A</button><button id="b">B</button>');
    const recorded = startTracker();
    for (const id of ['a', 'b', 'a', 'b', 'b']) click($(page, `#${id}`));
    await afterAnswer(() => recorded.clicks.length >= 5);
    await wait(100);
    expect(recorded.clicks.map((e) => e.id)).to.deep.equal(['a', 'b', 'a', 'b', 'b']);
  });
});

/**
 * A started tracker, a few ms on: its own 'load' page view counts as a response (to clicks in
 * the same millisecond), which must not answer the clicks of a test.
 */
async function started(overrides: Parameters<typeof startTracker>[0] = {}) {
  const recorded = startTracker(overrides);
  await wait(5);
  return recorded;
}

describe('tracker: dead clicks', () => {
  afterEach(() => {
    stopTrackers();
    clearFixtures();
    scrollTo(0, 0);
    getSelection()?.removeAllRanges();
    history.replaceState(null, '', home);
  });

  it('hands a click on once its second has passed, not before', async () => {
    const page = fixture('<div class="plain">Nothing here</div>');
    const arrivals: number[] = [];
    const recorded = startTracker({ capture: ['clicks'] }, (event) => {
      arrivals.push(Date.now());
      recorded.events.push(event);
    });
    await wait(5);
    click($(page, '.plain'));
    await nextTask();
    expect(recorded.clicks).to.deep.equal([]);
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.clicks).to.have.length(1);
    expect(arrivals[0]).to.be.at.least(recorded.click.ts + ANSWER_MS);
  });

  it('hands an answered click on as soon as the page answers, before its second has passed', async () => {
    const page = fixture('<button class="save">Save</button><output></output>');
    $(page, '.save').addEventListener('click', () => ($(page, 'output').textContent = 'saved'));
    const arrivals: number[] = [];
    const recorded = startTracker({ capture: ['clicks'] }, (event) => {
      arrivals.push(Date.now());
      recorded.events.push(event);
    });
    await wait(5);
    click($(page, '.save'));
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
    expect(arrivals[0]).to.be.below(recorded.click.ts + ANSWER_MS);
  });

  it('flags a click on a plain element that nothing answers as dead', async () => {
    const page = fixture('<div class="plain">Nothing here</div>');
    const recorded = await started();
    click($(page, '.plain'));
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(true);
  });

  it('does not flag a click whose own handler changes the DOM', async () => {
    const page = fixture('<button>Show</button><p class="out"></p>');
    const recorded = await started();
    $(page, 'button').addEventListener('click', () => ($(page, '.out').textContent = 'shown'));
    click($(page, 'button'));
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
  });

  it('does not flag a click answered later within its second (an attribute set after 300 ms)', async () => {
    const page = fixture('<button>Load</button>');
    const recorded = await started();
    const button = $(page, 'button');
    button.addEventListener('click', () =>
      setTimeout(() => button.setAttribute('aria-busy', 'true'), 300),
    );
    click(button);
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
  });

  it('flags a click answered only after its second as dead', async () => {
    const page = fixture('<button>Slow</button><p class="out"></p>');
    const recorded = await started();
    const button = $(page, 'button');
    button.addEventListener('click', () =>
      setTimeout(() => ($(page, '.out').textContent = 'late'), 1600),
    );
    click(button);
    await wait(1800);
    await afterAnswer(() => recorded.clicks.length > 0);
    expect($(page, '.out').textContent).to.equal('late');
    expect(recorded.click.dead).to.equal(true);
  });

  it('does not flag a click followed by a scroll of the page', async () => {
    const page = fixture('<div class="plain" style="height: 3000px">Tall</div>');
    const recorded = await started();
    click($(page, '.plain'));
    scroll(() => scrollBy(0, 200), document);
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(scrollY).to.equal(200);
    expect(recorded.click.dead).to.equal(false);
  });

  it('does not flag a click followed by a scroll of an element', async () => {
    const page = fixture(
      '<div class="list" style="height: 100px; overflow: auto"><div style="height: 1000px">Rows</div></div>',
    );
    const list = $(page, '.list');
    const recorded = await started();
    click(list);
    scroll(() => (list.scrollTop = 300), list);
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(list.scrollTop).to.equal(300);
    expect(recorded.click.dead).to.equal(false);
  });

  it('does not flag a click followed by a text selection', async () => {
    const page = fixture('<p class="text">Select me</p>');
    const recorded = await started();
    click($(page, '.text'));
    getSelection()!.selectAllChildren($(page, '.text'));
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
  });

  it('does not flag a click whose handler navigates with history.pushState', async () => {
    const page = fixture('<div class="route">Products</div>');
    const recorded = await started({ capture: ['clicks'] });
    $(page, '.route').addEventListener('click', () => history.pushState(null, '', '/products'));
    click($(page, '.route'));
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
  });

  it('does not flag a click on a link that navigates (default prevented here)', async () => {
    const page = fixture('<a href="/elsewhere">Elsewhere</a>');
    const recorded = await started();
    click($(page, 'a'));
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
  });

  it('flags a click on an in-page #fragment link that nothing answers as dead', async () => {
    const page = fixture('<a href="#nowhere">Top</a>');
    const recorded = await started();
    click($(page, 'a'));
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(true);
  });

  it('does not flag a click on a form field: input, select, label', async () => {
    const page = fixture(
      '<input id="field"><select id="choice"><option>A</option></select><label id="tag">Tag</label>',
    );
    const recorded = await started();
    for (const id of ['field', 'choice', 'tag']) click($(page, `#${id}`));
    await afterAnswer(() => recorded.clicks.length >= 3);
    expect(recorded.clicks.map((e) => [e.tag, e.dead])).to.deep.equal([
      ['input', false],
      ['select', false],
      ['label', false],
    ]);
  });

  it('hands a click on at drain() before its second with dead null, and only once', async () => {
    const page = fixture('<div class="plain">Nothing</div>');
    const recorded = await started();
    click($(page, '.plain'));
    recorded.tracker.drain();
    expect(recorded.click.dead).to.equal(null);
    await afterAnswer(() => false);
    expect(recorded.clicks).to.have.length(1);
  });

  it('counts a click not answered as answered by navigation on drain(true) (the page is left)', async () => {
    const page = fixture('<div class="plain">Nothing</div>');
    const recorded = await started();
    click($(page, '.plain'));
    recorded.tracker.drain(true);
    expect(recorded.click.dead).to.equal(false);
  });

  it('hands on an answered click at drain() as not dead', async () => {
    const page = fixture('<button>Show</button><p class="out"></p>');
    const recorded = await started();
    $(page, 'button').addEventListener('click', () => ($(page, '.out').textContent = 'shown'));
    click($(page, 'button'));
    await nextTask(); // the mutation observer's callback
    recorded.tracker.drain();
    expect(recorded.click.dead).to.equal(false);
  });

  it('tells apart a dead click and an answered one a moment later', async () => {
    const page = fixture(
      '<div class="plain">Nothing</div><button>Show</button><p class="out"></p>',
    );
    const recorded = await started();
    $(page, 'button').addEventListener('click', () => ($(page, '.out').textContent = 'shown'));
    click($(page, '.plain'));
    await wait(1100);
    click($(page, 'button'));
    await afterAnswer(() => recorded.clicks.length >= 2);
    expect(recorded.clicks.map((e) => [e.tag, e.dead])).to.deep.equal([
      ['div', true],
      ['button', false],
    ]);
  });

  it('does not flag a click whose handler changes an open shadow root', async () => {
    const page = fixture('<ts-shadow-status></ts-shadow-status>');
    const host = $(page, 'ts-shadow-status');
    const recorded = await started();
    click(host.shadowRoot!.querySelector('button')!);
    expect(host.shadowRoot!.querySelector('output')!.textContent).to.equal('checked');
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
  });

  it('does not flag a click on a Lit button that re-renders its shadow root', async () => {
    const page = fixture('<ts-click-counter></ts-click-counter>');
    const counter = $<ClickCounter>(page, 'ts-click-counter');
    await counter.updateComplete;
    const recorded = await started();
    click(counter.shadowRoot!.querySelector('button')!);
    await counter.updateComplete;
    expect(counter.shadowRoot!.textContent).to.contain('Clicked 1');
    await afterAnswer(() => recorded.clicks.length > 0);
    expect(recorded.click.dead).to.equal(false);
  });

  it('does not flag a second click in a shadow root whose first was answered there', async () => {
    const page = fixture('<ts-click-counter></ts-click-counter>');
    const counter = $<ClickCounter>(page, 'ts-click-counter');
    await counter.updateComplete;
    const recorded = await started();
    const button = counter.shadowRoot!.querySelector('button')!;
    click(button);
    await wait(100);
    click(button, { clientX: 500, clientY: 500 });
    await counter.updateComplete;
    expect(counter.shadowRoot!.textContent).to.contain('Clicked 2');
    await afterAnswer(() => recorded.clicks.length >= 2);
    expect(recorded.clicks[1]!.dead).to.equal(false);
  });
});
