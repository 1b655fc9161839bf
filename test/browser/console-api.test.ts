import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import { init, type Tabstream } from '../../src';
import { createWorker, uniqueLog, until } from './helpers';

const started: Tabstream[] = [];
function start(): Tabstream {
  const tabstream = init({ log: uniqueLog('console'), createWorker, batchIntervalMs: 200 });
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
});
