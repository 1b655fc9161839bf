import { expect } from 'chai';
import {
  BadVersionError,
  NodeExistsError,
  NodeStore,
  NoNodeError,
  type NodeStat,
} from '../../src/coord';
import NodesWorker from './fixtures/coord-nodes-worker?worker&inline';
import { nextMessage, rejection, uniqueScope, until } from './fixtures/coord-helpers';

describe('NodeStore', () => {
  const opened: NodeStore[] = [];
  const open = async (scope: string) => {
    const store = await NodeStore.open(scope);
    opened.push(store);
    return store;
  };
  afterEach(() => opened.splice(0).forEach((store) => store.close()));

  it('creates, gets, sets and deletes nodes, checking versions', async () => {
    const store = await open(uniqueScope('nodes'));
    expect(await store.exists('/config')).to.equal(false);
    const created = await store.create('/config', { partitions: 4 });
    expect(await store.exists('/config')).to.equal(true);
    expect(created).to.include({ path: '/config', version: 0 });
    expect(created.mtime).to.equal(created.ctime);
    expect(await store.get('/config')).to.deep.equal(created);

    const set = await store.set('/config', { partitions: 8 }, 0);
    expect(set).to.deep.include({ path: '/config', data: { partitions: 8 }, version: 1 });
    expect(set.ctime).to.equal(created.ctime);
    expect(set.mtime).to.be.at.least(created.mtime);
    expect(await store.get('/config')).to.deep.equal(set);

    const stale = await rejection(store.set('/config', { partitions: 16 }, 0));
    expect(stale).to.be.instanceOf(BadVersionError);
    expect(stale).to.include({ expectedVersion: 0, actualVersion: 1 });
    expect((await store.get('/config'))?.data).to.deep.equal({ partitions: 8 });

    expect(await rejection(store.create('/config', {}))).to.be.instanceOf(NodeExistsError);
    expect((await store.get('/config'))?.version).to.equal(1);

    expect((await store.set('/config', 'any version')).version).to.equal(2); // unconditional
    expect(await rejection(store.set('/missing', 1))).to.be.instanceOf(NoNodeError);
    expect(await store.get('/missing')).to.equal(undefined);

    expect(await rejection(store.delete('/config', 1))).to.be.instanceOf(BadVersionError);
    await store.delete('/config', 2);
    expect(await store.get('/config')).to.equal(undefined);
    expect(await rejection(store.delete('/config'))).to.be.instanceOf(NoNodeError);
    expect((await store.create('/config', 'again')).version).to.equal(0);
  });

  it('lets exactly one of two concurrent conditional sets (or creates) win', async () => {
    const scope = uniqueScope('race');
    const [a, b] = [await open(scope), await open(scope)]; // two connections, as two tabs
    await a.create('/leader', 'nobody');
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([
        a.set('/leader', `a${round}`, round),
        b.set('/leader', `b${round}`, round),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).to.have.length(1);
      expect(lost[0]?.reason).to.be.instanceOf(BadVersionError);
      const node = await b.get<string>('/leader');
      expect(node?.version).to.equal(round + 1);
      expect(node?.data).to.equal((won[0] as PromiseFulfilledResult<NodeStat<string>>).value.data);
    }
    const creates = await Promise.allSettled([a.create('/lock', 'a'), b.create('/lock', 'b')]);
    expect(creates.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
  });

  it('calls watchers after changes by this store and by another store of the scope', async () => {
    const scope = uniqueScope('watch');
    const [mine, other] = [await open(scope), await open(scope)];
    const seen: (NodeStat<number> | undefined)[] = [];
    const unwatch = mine.watch<number>('/n', (node) => seen.push(node));
    mine.watch('/elsewhere', () => expect.fail('a watch of another path was called'));
    await other.create('/n', 1);
    await until(() => seen.length === 1);
    expect(seen[0]).to.include({ data: 1, version: 0 });
    await mine.set('/n', 2);
    await until(() => seen.length === 2);
    expect(seen[1]).to.include({ data: 2, version: 1 });
    await other.delete('/n');
    await until(() => seen.length === 3);
    expect(seen[2]).to.equal(undefined);
    unwatch();
    // A watch still there hears the change in the same read the dropped one would have.
    const still: (NodeStat<number> | undefined)[] = [];
    mine.watch<number>('/n', (node) => still.push(node));
    await other.create('/n', 3);
    await until(() => still.length === 1);
    expect(seen).to.have.length(3);
  });

  it('calls watchers after a change made in a worker', async () => {
    const scope = uniqueScope('watch-worker');
    const store = await open(scope);
    await store.create('/offsets', { clicks: 0 });
    const seen: (NodeStat<{ clicks: number }> | undefined)[] = [];
    store.watch<{ clicks: number }>('/offsets', (node) => seen.push(node));
    const worker = new NodesWorker();
    try {
      worker.postMessage({ scope, path: '/offsets', data: { clicks: 42 } });
      expect(await nextMessage(worker)).to.equal(1);
      await until(() => seen.length === 1);
      expect(seen[0]).to.deep.include({ data: { clicks: 42 }, version: 1 });
    } finally {
      worker.terminate();
    }
  });

  it('appends entries to a node: one more version each, read with the node, dropped by a set', async () => {
    const scope = uniqueScope('append');
    const [store, other] = [await open(scope), await open(scope)];
    const seen: (NodeStat<string> | undefined)[] = [];
    other.watch<string>('/ckpt', (node) => seen.push(node));
    expect(await rejection(store.append('/ckpt', 'x'))).to.be.instanceOf(NoNodeError);
    const created = await store.create('/ckpt', 'snapshot');
    expect(await store.append('/ckpt', { change: 1 }, 0)).to.equal(1);
    expect(await store.append('/ckpt', { change: 2 }, 1)).to.equal(2);
    const read = await other.get<string>('/ckpt');
    expect(read).to.deep.include({ data: 'snapshot', version: 2, ctime: created.ctime });
    expect(read?.appended).to.deep.equal([{ change: 1 }, { change: 2 }]);
    await until(() => seen.at(-1)?.version === 2);
    expect(seen.at(-1)?.appended).to.have.length(2);

    const stale = await rejection(store.append('/ckpt', { change: 'late' }, 1));
    expect(stale).to.be.instanceOf(BadVersionError);
    expect(stale).to.include({ expectedVersion: 1, actualVersion: 2 });
    expect(await rejection(store.set('/ckpt', 'stale', 1))).to.be.instanceOf(BadVersionError);
    expect((await store.get('/ckpt'))?.appended).to.have.length(2);

    const set = await store.set('/ckpt', 'snapshot 2', 2);
    expect(set.version).to.equal(3);
    const after = await store.get<string>('/ckpt');
    expect(after).to.deep.include({ data: 'snapshot 2', version: 3 });
    expect(after).to.not.have.property('appended');
    expect(await store.append('/ckpt', 'c', 3)).to.equal(4);
    expect(await store.children('/')).to.deep.equal(['ckpt']);
    await store.delete('/ckpt', 4);
    expect(await store.get('/ckpt')).to.equal(undefined);
    const again = await store.create('/ckpt', 'new');
    expect(await store.get('/ckpt')).to.deep.equal(again); // no entry of the deleted node
  });

  it('lets exactly one of two concurrent appends at one version win', async () => {
    const scope = uniqueScope('append-race');
    const [a, b] = [await open(scope), await open(scope)];
    await a.create('/ckpt', 0);
    for (let version = 0; version < 5; version++) {
      const results = await Promise.allSettled([
        a.append('/ckpt', `a${version}`, version),
        b.append('/ckpt', `b${version}`, version),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(lost?.reason).to.be.instanceOf(BadVersionError);
    }
    const node = await b.get('/ckpt');
    expect(node?.version).to.equal(5);
    expect(node?.appended).to.have.length(5);
  });

  it('lists the children of a path, and rejects malformed paths', async () => {
    const store = await open(uniqueScope('children'));
    for (const path of [
      '/consumers/g2/offsets',
      '/consumers/g1',
      '/consumers/g1/offsets',
      '/consumers/g1-x',
      '/consumersx',
      '/a',
    ]) {
      await store.create(path, null);
    }
    expect(await store.children('/consumers')).to.deep.equal(['g1', 'g1-x', 'g2']);
    expect(await store.children('/consumers/g1')).to.deep.equal(['offsets']);
    expect(await store.children('/')).to.deep.equal(['a', 'consumers', 'consumersx']);
    expect(await store.children('/none')).to.deep.equal([]);
    for (const path of ['', 'a', '/a/', '//a', '/a//b', '/', '/a\u0000b']) {
      expect(() => void store.create(path, 1), path).to.throw(TypeError);
    }
  });
});
