import { expect } from 'chai';
import { electLeader } from '../../src/coord';
import { uniqueLog } from './helpers';

describe('leader election', () => {
  it('leads once when a leader that left while hidden left its word behind', async () => {
    const name = uniqueLog('leader');
    localStorage.setItem(`tabstream:leader:${name}:hidden`, '1'); // its tab closed while hidden
    let leads = 0;
    let teardowns = 0;
    const election = electLeader(name, async () => {
      leads++;
      await new Promise((resolve) => setTimeout(resolve, 400)); // starting executors takes a while
      return () => Promise.resolve(void teardowns++);
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(election.isLeader).to.equal(true);
    await election.resign();
    expect({ leads, teardowns }).to.deep.equal({ leads: 1, teardowns: 1 });
    expect(localStorage.getItem(`tabstream:leader:${name}:hidden`)).to.equal(null);
  });
});
