import { expect } from 'chai';
import { joinGroup, type Membership } from '../../src/coord';
import MemberWorker from './fixtures/coord-member-worker?worker&inline';
import { nextMessage, rejection, uniqueScope, until } from './fixtures/coord-helpers';

describe('joinGroup (Web Locks)', () => {
  const joined: Membership[] = [];
  const join = async (scope: string, group: string, memberId?: string) => {
    const membership = await joinGroup(scope, group, memberId);
    joined.push(membership);
    return membership;
  };
  afterEach(async () => {
    await Promise.all(joined.splice(0).map((m) => m.leave()));
  });

  it('lets two members in the page see each other, and see one leave', async () => {
    const scope = uniqueScope('members');
    const a = await join(scope, 'g1', 'a');
    expect(a.members()).to.deep.equal(['a']);
    const views: (readonly string[])[] = [];
    a.onChange((members) => views.push(members));
    const b = await join(scope, 'g1', 'b');
    expect(b.members()).to.deep.equal(['a', 'b']); // its first view already lists a
    await until(() => a.members().length === 2);
    expect(a.members()).to.deep.equal(['a', 'b']);
    expect(views).to.deep.equal([['a', 'b']]);
    await b.leave();
    expect(b.members()).to.deep.equal([]);
    await until(() => views.length === 2);
    expect(views[1]).to.deep.equal(['a']);
    expect(a.members()).to.deep.equal(['a']);
  });

  it('sees a member in a dedicated worker join, and go when the worker is terminated', async () => {
    const scope = uniqueScope('worker-member');
    const a = await join(scope, 'g1', 'page');
    const views: (readonly string[])[] = [];
    a.onChange((members) => views.push(members));
    const worker = new MemberWorker();
    try {
      worker.postMessage({ scope, group: 'g1', memberId: 'worker' });
      expect(await nextMessage(worker)).to.deep.equal(['page', 'worker']);
      await until(() => views.length === 1);
      expect(views[0]).to.deep.equal(['page', 'worker']);
      worker.terminate(); // like a crash: the worker never calls leave()
      await until(() => views.length === 2);
      expect(views[1]).to.deep.equal(['page']);
    } finally {
      worker.terminate();
    }
  });

  it('sees a worker member that leaves gone, and the worker sees the page members', async () => {
    const scope = uniqueScope('worker-leave');
    const a = await join(scope, 'g1', 'a');
    const b = await join(scope, 'g1', 'b');
    const worker = new MemberWorker();
    try {
      worker.postMessage({ scope, group: 'g1', memberId: 'w' });
      expect(await nextMessage(worker)).to.deep.equal(['a', 'b', 'w']);
      await until(() => a.members().length === 3 && b.members().length === 3);
      worker.postMessage('leave');
      expect(await nextMessage(worker)).to.equal('left');
      await until(() => a.members().length === 2 && b.members().length === 2);
      expect(a.members()).to.deep.equal(['a', 'b']);
    } finally {
      worker.terminate();
    }
  });

  it('rejects a member id that is live, and accepts it again once that member left', async () => {
    const scope = uniqueScope('duplicate');
    const first = await join(scope, 'g1', 'same');
    const error = await rejection(joinGroup(scope, 'g1', 'same'));
    expect(String(error)).to.match(/member "same" is already live/);
    await first.leave();
    const again = await join(scope, 'g1', 'same');
    expect(again.members()).to.deep.equal(['same']);
  });

  it('keeps groups and scopes apart, even when names contain ":"', async () => {
    const scope = uniqueScope('apart');
    const a = await join(scope, 'g', 'x');
    const b = await join(scope, 'g:x', 'y');
    const c = await join(`${scope}:g`, 'x', 'z');
    const d = await join(scope, 'g'); // a random member id
    expect(d.memberId).to.match(/^[\w-]{8,}$/);
    expect(d.members()).to.deep.equal([d.memberId, 'x'].sort());
    expect(b.members()).to.deep.equal(['y']);
    expect(c.members()).to.deep.equal(['z']);
    await until(() => a.members().length === 2);
  });

  it('stops calling a listener once unsubscribed, and after leaving', async () => {
    const scope = uniqueScope('unsubscribe');
    const a = await join(scope, 'g1', 'a');
    let calls = 0;
    const unsubscribe = a.onChange(() => calls++);
    a.onChange(() => {
      throw new Error('a faulty listener'); // must not keep the others from being called
    });
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => errors.push(args[0]);
    try {
      await join(scope, 'g1', 'b');
      await until(() => calls === 1);
      unsubscribe();
      await join(scope, 'g1', 'c');
      await until(() => a.members().length === 3);
      expect(calls).to.equal(1);
      expect(errors).to.have.length(1); // reported once, not once per change
    } finally {
      console.error = error;
    }
  });
});

describe('joinGroup without Web Locks', () => {
  it('sees itself alone, and warns once', async () => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (message: unknown) => warnings.push(message);
    // An insecure context has no navigator.locks; hide the prototype's getter for this test.
    Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
    try {
      const scope = uniqueScope('alone');
      const a = await joinGroup(scope, 'g1', 'a');
      const b = await joinGroup(scope, 'g1', 'b');
      expect(a.members()).to.deep.equal(['a']);
      expect(b.members()).to.deep.equal(['b']);
      expect(warnings).to.have.length(1);
      expect(String(warnings[0])).to.match(/Web Locks are unavailable.*sees itself alone/);
      await a.leave();
      expect(a.members()).to.deep.equal([]);
      await b.leave();
    } finally {
      delete (navigator as { locks?: unknown }).locks;
      console.warn = warn;
    }
    expect(navigator.locks instanceof LockManager).to.equal(true); // restored
  });
});
