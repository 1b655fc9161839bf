import { sendKeys } from '@web/test-runner-commands';
import { expect } from 'chai';
import { defineElements, showPanel, type CountsSource } from '../../src/ui';
import { contrast } from '../../src/ui/panel/site-colours';
import { until } from './helpers';

defineElements();

type Counts = Record<string, number>;

/** Counts driven by the test, as window.tabstream gives them. */
class Source implements CountsSource {
  readonly listeners = new Set<(counts: Counts) => void>();
  constructor(public current: Counts) {}
  counts(): Promise<Counts> {
    return Promise.resolve({ ...this.current });
  }
  subscribe(listener: (counts: Counts) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publish(counts: Counts): void {
    this.current = counts;
    for (const listener of this.listeners) listener({ ...counts });
  }
}

const panel = () => document.getElementById('tabstream-panel');
const buttonNamed = (name: string) =>
  [...panel()!.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent) === name,
  );
const restoreButton = () => panel()!.querySelector<HTMLButtonElement>('button[aria-expanded]');

/** Presses a key on the focused element, as a keyboard user would. */
const press = (key: string) => sendKeys({ press: key });

/** `rgb(r, g, b)` as its channels. */
const channels = (colour: string) =>
  colour
    .match(/\d+(\.\d+)?/g)!
    .slice(0, 3)
    .map(Number);
const rgba = (colour: string) => {
  const [r, g, b] = channels(colour) as [number, number, number];
  return { r, g, b, a: 1 };
};

describe('the floating panel (data-panel)', () => {
  afterEach(() => {
    panel()?.remove();
    localStorage.removeItem('tabstream:panel');
    document.body.removeAttribute('style');
    document.documentElement.removeAttribute('style');
  });

  it('minimises to a tab with the total clicks, from the keyboard, remembered on the site, and restores', async () => {
    const source = new Source({ '/a': 5, '/b': 4 });
    showPanel(source);
    expect(panel()!.querySelector('tabstream-counts')).to.not.equal(null);
    const minimise = buttonNamed('Minimise the tabstream panel')!;
    expect(minimise.tagName).to.equal('BUTTON');
    minimise.focus();
    await press('Enter');

    expect(panel()!.querySelector('tabstream-counts')).to.equal(null);
    await until(() => restoreButton()?.textContent === 'tabstream: 9 clicks');
    expect(document.activeElement).to.equal(restoreButton());
    expect(JSON.parse(localStorage.getItem('tabstream:panel')!)).to.deep.equal({ minimised: true });
    source.publish({ '/a': 5, '/b': 5 }); // a batch: the tab follows
    expect(restoreButton()!.textContent).to.equal('tabstream: 10 clicks');
    const small = panel()!.getBoundingClientRect();
    expect(small.width).to.be.below(200);

    // Another page of the site: minimised from the start.
    panel()!.remove();
    showPanel(new Source({ '/a': 5, '/b': 5, '/c': 1 }));
    expect(panel()!.querySelector('tabstream-counts')).to.equal(null);
    await until(() => restoreButton()?.textContent === 'tabstream: 11 clicks');

    restoreButton()!.focus();
    await press('Enter');
    expect(panel()!.querySelector('tabstream-counts')).to.not.equal(null);
    expect(restoreButton()).to.equal(null);
    expect(document.activeElement).to.equal(buttonNamed('Minimise the tabstream panel'));
    expect(localStorage.getItem('tabstream:panel')).to.equal(null);
  });

  it('closes from its Close button, and stops listening', async () => {
    const source = new Source({ '/a': 1 });
    showPanel(source);
    await until(() => source.listeners.size > 0);
    const close = buttonNamed('Close the tabstream panel')!;
    close.focus();
    await press('Space');
    expect(panel()).to.equal(null);
    await until(() => source.listeners.size === 0);
  });

  it("wears the site's colours and font", () => {
    Object.assign(document.body.style, {
      backgroundColor: 'rgb(30, 30, 46)',
      color: 'rgb(240, 240, 240)',
      fontFamily: 'Georgia, serif',
    });
    showPanel(new Source({}));
    const style = getComputedStyle(panel()!);
    expect(style.backgroundColor).to.equal('rgb(30, 30, 46)');
    expect(style.color).to.equal('rgb(240, 240, 240)');
    expect(style.fontFamily).to.contain('Georgia');
    const counts = panel()!.querySelector('tabstream-counts')!;
    expect(getComputedStyle(counts).color).to.equal('rgb(240, 240, 240)');
  });

  it('takes the background from html when body has none, and keeps the text readable on it', () => {
    document.documentElement.style.backgroundColor = 'rgb(34, 34, 34)';
    document.body.style.color = 'rgb(51, 51, 51)'; // dark grey on near black: unreadable
    showPanel(new Source({}));
    const style = getComputedStyle(panel()!);
    expect(style.backgroundColor).to.equal('rgb(34, 34, 34)');
    expect(style.color).to.equal('rgb(255, 255, 255)');
    const muted = getComputedStyle(panel()!).getPropertyValue('--tabstream-muted');
    for (const text of [style.color, muted])
      expect(contrast(rgba(text), rgba(style.backgroundColor))).to.be.at.least(4.5);
  });

  it('is white where the page paints no background, and the page overrides by --tabstream-*', () => {
    showPanel(new Source({}));
    expect(getComputedStyle(panel()!).backgroundColor).to.equal('rgb(255, 255, 255)');
    panel()!.remove();
    document.documentElement.style.setProperty('--tabstream-background', 'rgb(1, 2, 3)');
    document.documentElement.style.setProperty('--tabstream-color', 'rgb(250, 250, 250)');
    showPanel(new Source({}));
    expect(getComputedStyle(panel()!).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(panel()!).color).to.equal('rgb(250, 250, 250)');
  });
});
