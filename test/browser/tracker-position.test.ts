import { expect } from 'chai';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  $,
  clearFixtures,
  click,
  fixture,
  ignoreOptOutsOfOtherPages,
  resetMouse,
  startTracker,
  stopTrackers,
} from './tracker-helpers';

ignoreOptOutsOfOtherPages();

/** A 200×100 button at (100, 100) of the viewport, border box and all. */
const BUTTON =
  '<button style="position: fixed; left: 100px; top: 100px; width: 200px; height: 100px; ' +
  'margin: 0; padding: 0; border: 0; box-sizing: border-box">Buy</button>';

/** A plain custom element with an open shadow root: a 100×40 span at its top left. */
class BoxedLabel extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML =
      '<span style="display: block; width: 100px; height: 40px">Inside</span>';
  }
}
customElements.define('ts-boxed-label', BoxedLabel);

describe('tracker: where in the element a click falls (ex, ey)', () => {
  afterEach(async () => {
    stopTrackers();
    clearFixtures();
    await resetMouse();
  });

  it('records a pointer click as fractions of the border box: (50, 25) inside 200×100 is 0.25, 0.25', async () => {
    const page = fixture(BUTTON);
    const recorded = startTracker();
    await sendMouse({ type: 'click', position: [150, 125] });
    await sendMouse({ type: 'click', position: [299, 199] });
    await sendMouse({ type: 'click', position: [100, 100] });
    recorded.tracker.drain();
    expect(recorded.clicks.map((c) => [c.selector.endsWith('button'), c.ex, c.ey])).to.deep.equal([
      [true, 0.25, 0.25],
      [true, 0.995, 0.99],
      [true, 0, 0],
    ]);
    expect($(page, 'button').getBoundingClientRect().width).to.equal(200);
  });

  it('is relative to the element the selector names (the deepest one clicked), in a shadow root too', async () => {
    const page = fixture(
      '<div style="position: fixed; left: 40px; top: 300px; width: 400px; height: 200px">' +
        '<ts-boxed-label></ts-boxed-label></div>',
    );
    const recorded = startTracker();
    await sendMouse({ type: 'click', position: [40 + 30, 300 + 10] });
    await sendMouse({ type: 'click', position: [40 + 200, 300 + 150] }); // on the div, past the span
    recorded.tracker.drain();
    const [inside, outside] = recorded.clicks;
    expect(inside!.selector).to.match(/ >>> span$/);
    expect([inside!.ex, inside!.ey]).to.deep.equal([0.3, 0.25]);
    expect(outside!.selector).to.match(/div$/);
    expect([outside!.ex, outside!.ey]).to.deep.equal([0.5, 0.75]);
    expect(page.isConnected).to.equal(true);
  });

  it('reads the box after the click, in page coordinates: a page scrolled since keeps it, a removed element gives null', async () => {
    const page = fixture(
      '<div style="height: 3000px"><button class="moving" style="position: absolute; ' +
        'left: 100px; top: 100px; width: 200px; height: 100px; margin: 0; padding: 0; ' +
        'border: 0">Buy</button><button class="closing" style="position: absolute; ' +
        'left: 100px; top: 700px; width: 100px; height: 50px">Close</button></div>',
    );
    const closing = $(page, '.closing');
    // The listener reads no box: the page's own handler lays the page out first.
    closing.addEventListener('click', () => closing.remove());
    $(page, '.moving').addEventListener('click', () => scrollTo(0, 500));
    const recorded = startTracker();
    await sendMouse({ type: 'click', position: [150, 125] });
    expect(scrollY).to.equal(500); // it scrolled as it answered
    await sendMouse({ type: 'click', position: [150, 700 - 500 + 25] }); // .closing, at 200 of the viewport now
    recorded.tracker.drain();
    expect(recorded.clicks.map((c) => [c.selector.split('.').at(-1), c.ex, c.ey])).to.deep.equal([
      ['moving', 0.25, 0.25],
      ['closing', null, null],
    ]);
    scrollTo(0, 0);
  });

  it('records null for a click from the keyboard or a script, which has no pointer', async () => {
    const page = fixture('<a href="/next">Next</a> ' + BUTTON);
    const recorded = startTracker();
    $(page, 'a').focus();
    await sendKeys({ press: 'Enter' });
    $(page, 'button').focus();
    await sendKeys({ press: 'Space' });
    $(page, 'a').focus(); // a script's click() on the focused element reads as the keyboard's
    $(page, 'button').click();
    recorded.tracker.drain();
    expect(recorded.clicks.map((c) => [c.tag, c.keyboard, c.ex, c.ey])).to.deep.equal([
      ['a', true, null, null],
      ['button', true, null, null],
      ['button', false, null, null],
    ]);
  });

  it('records null for a box with no area, and clamps a point outside the box to 0..1', () => {
    const page = fixture(
      '<span class="empty" style="display: inline-block; width: 0; height: 20px"></span>' + BUTTON,
    );
    const recorded = startTracker();
    click($(page, '.empty'));
    // A pseudo-element may stick out of its element's box: its clicks land on the element.
    click($(page, 'button'), { clientX: 350, clientY: 50 });
    click($(page, 'button'), { clientX: 90, clientY: 260 });
    recorded.tracker.drain();
    expect(recorded.clicks.map((c) => [c.ex, c.ey])).to.deep.equal([
      [null, null],
      [1, 0],
      [0, 1],
    ]);
  });
});
