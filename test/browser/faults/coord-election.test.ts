// Faults of the leader election: a busy machine delays the grant of a lock past the pause
// before a take-over, and a leader's work may fail long after it started.
import { expect } from 'chai';
import { electLeader } from '../../../src/coord';
import { reported } from '../fixtures/coord-faults';
import { electionSettled, uniqueScope, until } from '../fixtures/coord-helpers';

/**
 * Runs `fn` as a busy machine would: the take-over's pause has passed before the grant of the
 * lock the election asked for first arrives (here: timers run at once, within `fn`).
 */
function withPauseElapsed<T>(fn: () => T): T {
  const setTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((callback: () => void) => {
    callback();
    return 0;
  }) as typeof globalThis.setTimeout;
  try {
    return fn();
  } finally {
    globalThis.setTimeout = setTimeout;
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
    const election = withPauseElapsed(() =>
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

  it('a leader\'s word in localStorage that is neither "0" nor "1": reported, read as visible', async () => {
    const name = uniqueScope('leader-word');
    const key = `tabstream:leader:${name}:hidden`;
    localStorage.setItem(key, 'yes');
    let leads = 0;
    const {
      result: election,
      damage,
      errors,
    } = await reported(() =>
      Promise.resolve(
        electLeader(name, () => Promise.resolve(void leads++).then(() => async () => {})),
      ),
    );
    await until(() => election.isLeader);
    await electionSettled(name);
    await election.resign();
    expect(damage).to.equal(1);
    expect(errors.join('\n')).to.contain(`localStorage / ${key} / ${key}: "yes" is not "0" or "1"`);
    expect(leads).to.equal(1);
  });
});
