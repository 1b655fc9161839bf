import { expect } from 'chai';
import { electLeader } from '../../src/coord';
import { electionSettled, uniqueScope, until } from './fixtures/coord-helpers';

describe('leader election', () => {
  it('leads once when a leader that left while hidden left its word behind', async () => {
    const name = uniqueScope('leader');
    localStorage.setItem(`tabstream:leader:${name}:hidden`, '1'); // its tab closed while hidden
    let leads = 0;
    let teardowns = 0;
    let started!: () => void;
    const starting = new Promise<void>((resolve) => (started = resolve));
    const election = electLeader(name, async () => {
      leads++;
      await starting; // starting executors takes a while
      return () => Promise.resolve(void teardowns++);
    });
    await until(() => leads > 0);
    await electionSettled(name); // no take-over of its own lock waits
    started();
    await until(() => election.isLeader);
    await election.resign();
    expect({ leads, teardowns }).to.deep.equal({ leads: 1, teardowns: 1 });
    expect(localStorage.getItem(`tabstream:leader:${name}:hidden`)).to.equal(null);
  });
});
