// Faults of the leader election: a busy machine delays the grant of a lock past the pause
// before a take-over, and a leader's work may fail long after it started.
import { expect } from 'chai';
import { electLeader } from '../../../src/coord';
import { electionSettled, uniqueScope, until } from '../fixtures/coord-helpers';

/** Runs `fn` with Math.random() returning 0: the take-over's random pause is then none. */
function withoutJitter<T>(fn: () => T): T {
  const random = Math.random;
  Math.random = () => 0;
  try {
    return fn();
  } finally {
    Math.random = random;
  }
}

describe('faults: leader election', () => {
  it('leads once when its lock is granted after the take-over pause of a hidden word (busy machine)', async () => {
    const name = uniqueScope('leader-busy');
    localStorage.setItem(`tabstream:leader:${name}:hidden`, '1'); // a leader closed while hidden
    let leads = 0;
    let running = 0;
    let teardowns = 0;
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    // A busy machine: the lock's grant arrives after the take-over's pause (here none at all).
    const election = withoutJitter(() =>
      electLeader(name, async () => {
        leads++;
        running++;
        await started;
        running--;
        return () => Promise.resolve(void teardowns++);
      }),
    );
    await until(() => leads > 0);
    await electionSettled(name);
    release();
    await until(() => election.isLeader && running === 0);
    await election.resign();
    expect({ leads, teardowns }).to.deep.equal({ leads: 1, teardowns: 1 });
  });

  it('steps down and leads again when the leader says its work failed', async () => {
    const name = uniqueScope('leader-fail');
    let leads = 0;
    let teardowns = 0;
    let fail!: (error: Error) => void;
    const election = electLeader(name, (stepDown) => {
      leads++;
      fail = stepDown;
      return Promise.resolve(() => Promise.resolve(void teardowns++));
    });
    await until(() => election.isLeader);
    fail(new Error('the job stopped'));
    await until(() => teardowns === 1);
    await until(() => election.isLeader && leads === 2, 10_000);
    await election.resign();
    expect({ leads, teardowns }).to.deep.equal({ leads: 2, teardowns: 2 });
  });
});
