import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import { init, type Tabstream } from '../../src/entries/index';
import { createWorker, uniqueLog, until } from './helpers';

const started: Tabstream[] = [];
function start(options: { panel?: boolean } = {}): Tabstream {
  const tabstream = init({
    log: uniqueLog('console'),
    createWorker,
    batchIntervalMs: 200,
    ...options,
  });
  started.push(tabstream);
  return tabstream;
}

/** Clicks a link on each of `pages` (reached by replaceState), `times[i]` times. */
function clickOn(pages: readonly string[], times: readonly number[]): void {
  const home = location.href;
  const link = document.createElement('a');
  link.href = 'https://elsewhere.example/';
  link.textContent = 'a link';
  link.addEventListener('click', (event) => event.preventDefault());
  document.body.append(link);
  pages.forEach((page, i) => {
    history.replaceState(null, '', page);
    for (let n = 0; n < times[i]!; n++) link.click();
  });
  history.replaceState(null, '', home);
  link.remove();
}

describe('the console API', () => {
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.close()));
  });

  it('table() prints the counts with console.table, most clicked first, and resolves with the rows', async () => {
    const tabstream = start();
    await tabstream.ready;
    clickOn(['/console/a', '/console/b', '/console/c'], [2, 5, 1]);
    await tabstream.flush();
    const printed: unknown[] = [];
    const table = console.table;
    console.table = (data: unknown) => printed.push(data);
    try {
      const rows = await tabstream.table();
      const origin = location.origin;
      expect(rows).to.deep.equal([
        { url: `${origin}/console/b`, clicks: 5 },
        { url: `${origin}/console/a`, clicks: 2 },
        { url: `${origin}/console/c`, clicks: 1 },
      ]);
      expect(printed).to.deep.equal([rows]);
    } finally {
      console.table = table;
    }
  });

  it('monitor() opens the monitor over the page, once; Escape closes it', async () => {
    const tabstream = start();
    const close = await tabstream.monitor();
    const dialogs = () => document.querySelectorAll('dialog#tabstream-monitor-overlay');
    expect(dialogs()).to.have.length(1);
    const dialog = dialogs()[0] as HTMLDialogElement;
    expect(dialog.open).to.equal(true);
    expect(dialog.hasAttribute('data-tabstream-ignore')).to.equal(true);
    const monitor = dialog.querySelector('tabstream-monitor') as HTMLElement & { source?: unknown };
    expect(customElements.get('tabstream-monitor')).to.not.equal(undefined);
    expect(monitor.source).to.equal(tabstream);
    expect(await tabstream.monitor()).to.be.a('function');
    expect(dialogs()).to.have.length(1);
    await sendKeys({ press: 'Escape' });
    await until(() => dialogs().length === 0);
    close(); // closing again does nothing
  });

  it("the script tag's panel shows the live counts at the bottom right, once; its clicks are not recorded", async () => {
    const tabstream = start({ panel: true });
    try {
      await tabstream.ready;
      const panels = () => document.querySelectorAll('aside#tabstream-panel');
      expect(panels()).to.have.length(1);
      const panel = panels()[0] as HTMLElement;
      expect(panel.hasAttribute('data-tabstream-ignore')).to.equal(true);
      expect(getComputedStyle(panel).position).to.equal('fixed');
      const counts = panel.querySelector('tabstream-counts')!;
      expect(counts.source).to.equal(tabstream);

      clickOn(['/panel/a'], [3]);
      await tabstream.flush();
      const url = `${location.origin}/panel/a`;
      const shown = () =>
        [...counts.shadowRoot!.querySelectorAll('tbody tr[part="row"]')].map((row) => [
          row.querySelector('[part="url"]')!.getAttribute('title'),
          row.querySelector('[part="count"]')!.textContent,
        ]);
      await until(() => shown().length === 1);
      expect(shown()).to.deep.equal([[url, '3']]);

      // A click in the panel (sorting its rows) is the reader's, not the site's.
      counts.shadowRoot!.querySelector<HTMLElement>('th button')!.click();
      await tabstream.flush();
      expect(await tabstream.counts()).to.deep.equal({ [url]: 3 });

      const another = start({ panel: true });
      await another.ready;
      expect(panels()).to.have.length(1);
    } finally {
      document.querySelector('#tabstream-panel')?.remove();
    }
  });
});
