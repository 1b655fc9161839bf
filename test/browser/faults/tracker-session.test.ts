import { expect } from 'chai';
import { firstEvent, stopTrackers } from '../tracker-helpers';

const TAB_KEY = 'tabstream:tab';
const SESSION_KEY = 'tabstream:session';

describe('faults: damaged tab and session ids in sessionStorage', () => {
  afterEach(() => {
    stopTrackers();
    sessionStorage.removeItem(TAB_KEY);
    sessionStorage.removeItem(SESSION_KEY);
  });

  it('starts a new session when the saved one was last seen in the future', async () => {
    sessionStorage.setItem(SESSION_KEY, `forever ${Date.now() + 365 * 24 * 3600 * 1000}`);
    const event = await firstEvent();
    expect(event.sessionId).to.match(/^id-\d+$/);
    expect(sessionStorage.getItem(SESSION_KEY)).to.equal(`${event.sessionId} ${event.ts}`);
  });

  it('starts a new session when the saved time is not a number', async () => {
    sessionStorage.setItem(SESSION_KEY, 'kept NaN');
    expect((await firstEvent()).sessionId).to.match(/^id-\d+$/);
  });

  it('starts a new session when the saved id is megabytes or markup', async () => {
    for (const id of ['x'.repeat(1_000_000), '<img/src/onerror=alert(1)>']) {
      sessionStorage.setItem(SESSION_KEY, `${id} ${Date.now()}`);
      expect((await firstEvent()).sessionId).to.match(/^id-\d+$/);
    }
  });

  it('gives the tab a new id when the saved one is not an id', async () => {
    sessionStorage.setItem(TAB_KEY, 'a b\n<c>');
    const event = await firstEvent();
    expect(event.tabId).to.match(/^id-\d+$/);
    expect(sessionStorage.getItem(TAB_KEY)).to.equal(event.tabId);
  });
});
