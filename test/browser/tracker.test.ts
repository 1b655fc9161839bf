import { expect } from 'chai';
import { ClickTracker, cssSelector, type ClickEvent } from '../../src/tracker';

describe('ClickTracker', () => {
  let events: ClickEvent[];
  let tracker: ClickTracker;
  let root: HTMLElement;

  beforeEach(() => {
    events = [];
    tracker = new ClickTracker((event) => events.push(event), 'session-1');
    tracker.start();
    root = document.createElement('main');
    root.innerHTML = `
      <nav id="menu"><ul class="items big extra"><li><a href="/docs?x=1#top"><b>Docs</b></a></li></ul></nav>
      <section><p class="note"><button type="button">Press</button></p></section>`;
    root.addEventListener('click', (event) => event.preventDefault());
    document.body.append(root);
  });

  afterEach(() => {
    tracker.stop();
    root.remove();
  });

  it('records a click on a link with the resolved href, page, place and session', () => {
    root
      .querySelector('b')!
      .dispatchEvent(
        new MouseEvent('click', { bubbles: true, cancelable: true, clientX: 5, clientY: 7 }),
      );
    tracker.drain();
    expect(events).to.have.length(1);
    const [event] = events;
    expect(event).to.include({
      page: location.href,
      target: new URL('/docs?x=1#top', location.href).href,
      selector: '#menu > ul.items.big > li > a > b',
      sessionId: 'session-1',
    });
    expect(event!.x).to.equal(5 + scrollX);
    expect(event!.ts).to.be.closeTo(Date.now(), 5000);
  });

  it('records clicks on other elements with a null target', () => {
    root.querySelector('button')!.click();
    tracker.drain();
    expect(events.map((e) => [e.target, e.selector])).to.deep.equal([
      [null, 'body > main > section > p.note > button'],
    ]);
  });

  it('hands clicks on after the click, on its own, each once', async () => {
    root.querySelector('button')!.click();
    root.querySelector('button')!.click();
    expect(events).to.have.length(0); // nothing derived on the click itself
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).to.have.length(2);
    tracker.drain();
    expect(events).to.have.length(2);
  });

  it('builds short selectors: at most five levels', () => {
    const deep = document.createElement('div');
    deep.innerHTML = '<div><div><div><div><div><span>x</span></div></div></div></div></div>';
    expect(cssSelector(deep.querySelector('span')!)).to.equal('div > div > div > div > span');
  });
});
