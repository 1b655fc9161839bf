// Faults of the coord database's nodes: what the store reads is checked before it is trusted,
// and a database deleted under open stores is recreated, said once.
import { expect } from 'chai';
import { NodeStore, type NodeStat } from '../../../src/coord';
import {
  deleteCoordDatabase,
  putRawNode,
  rawAppended,
  rawNode,
  reported,
} from '../fixtures/coord-faults';
import { rejection, uniqueScope, until } from '../fixtures/coord-helpers';

const opened: NodeStore[] = [];
async function open(scope: string): Promise<NodeStore> {
  const store = await NodeStore.open(scope);
  opened.push(store);
  return store;
}

/** A store of a new scope holding node `/n` as `damage` made it (undefined: a field removed). */
async function damaged(damage: Readonly<Record<string, unknown>>) {
  const scope = uniqueScope('fault-nodes');
  const store = await open(scope);
  await store.create('/n', { clicks: 3 });
  const node: Record<string, unknown> = { ...(await rawNode(scope, '/n')), ...damage };
  for (const key of Object.keys(damage)) if (damage[key] === undefined) delete node[key];
  await putRawNode(scope, node);
  return { scope, store };
}

describe('faults: coord nodes', () => {
  afterEach(() => opened.splice(0).forEach((store) => store.close()));

  it('an appended entry damaged: left out, reported; the node keeps the version its key took', async () => {
    const scope = uniqueScope('fault-appended');
    const store = await open(scope);
    await store.create('/n', 'snapshot');
    for (const version of [0, 1, 2]) await store.append('/n', `change ${version + 1}`, version);
    const [, second, last] = await rawAppended(scope, '/n');
    await putRawNode(scope, { ...second, version: 'x' });
    await putRawNode(scope, { ...last, data: undefined, mtime: 'now' });
    const { result, damage } = await reported(() => store.get('/n'));
    expect(damage).to.equal(2);
    expect(result).to.deep.include({ data: 'snapshot', version: 3, appended: ['change 1'] });
    // Its owner, told what is missing, appends on: at the version readers see, no conflict.
    expect(await store.append('/n', 'change 4', 3)).to.equal(4);
  });

  it('entries left by a writer that knew of none (an older tabstream set the node): not read', async () => {
    const scope = uniqueScope('fault-stale');
    const store = await open(scope);
    await store.create('/n', 'snapshot');
    for (const version of [0, 1, 2]) await store.append('/n', `change ${version + 1}`, version);
    // The older writer's set: its own data at one more version than it knew, the entries left.
    await putRawNode(scope, { ...(await rawNode(scope, '/n')), data: 'older', version: 2 });
    const node = await store.get('/n');
    expect(node).to.deep.include({ data: 'older', version: 3, appended: ['change 3'] });
    await store.set('/n', 'newer', 3);
    expect(await rawAppended(scope, '/n')).to.deep.equal([]);
  });

  for (const [what, damage, said] of [
    ['a version that is a string', { version: '2' }, /\/n: its version is "2", not a whole number/],
    ['a negative version', { version: -1 }, /\/n: its version is -1/],
    ['a ctime that is not a number', { ctime: 'yesterday' }, /\/n: its ctime is "yesterday"/],
    ['no data (truncated)', { data: undefined }, /\/n: it has no data/],
  ] as const) {
    it(`a node with ${what}: read as none, reported, and replaced by create`, async () => {
      const { scope, store } = await damaged(damage);
      const { result, damage: count, errors } = await reported(() => store.get('/n'));
      expect(result).to.equal(undefined);
      expect(count).to.equal(1);
      expect(errors.join('\n')).to.contain(`${scope}:coord / nodes`);
      expect(errors.join('\n')).to.match(said);
      expect(await store.create('/n', { clicks: 0 })).to.include({ version: 0 });
      expect((await store.get<{ clicks: number }>('/n'))?.data).to.deep.equal({ clicks: 0 });
    });
  }

  it('a set expecting a version of a damaged node fails with NoNodeError, changing nothing', async () => {
    const { scope, store } = await damaged({ version: 'x' });
    const { result: error } = await reported(() => rejection(store.set('/n', 1, 0)));
    expect((error as Error).name).to.equal('NoNodeError');
    expect((await rawNode(scope, '/n'))['version']).to.equal('x');
    await store.delete('/n'); // a damaged node can still be deleted
    expect(await rawNode(scope, '/n')).to.equal(undefined);
  });

  it('the database deleted under an open store: recreated empty at the next use, said once', async () => {
    const scope = uniqueScope('fault-deleted');
    const store = await open(scope);
    await store.create('/n', 1);
    const { damage, errors } = await reported(async () => {
      await deleteCoordDatabase(scope);
      expect(await store.get('/n')).to.equal(undefined);
      expect(await store.create('/n', 2)).to.include({ version: 0, data: 2 });
    });
    expect(damage).to.equal(1);
    expect(errors.join('\n')).to.match(/:coord \/ nodes \/ the whole database: deleted while open/);
    expect((await store.get('/n'))?.data).to.equal(2);
  });

  it('the database deleted under a watching store: its watchers hear the node gone, then the next one', async () => {
    const scope = uniqueScope('fault-watch');
    const [watching, writing] = [await open(scope), await open(scope)];
    const seen: (NodeStat<number> | undefined)[] = [];
    watching.watch<number>('/n', (node) => seen.push(node));
    await writing.create('/n', 1);
    await until(() => seen.length === 1);
    await reported(async () => {
      await deleteCoordDatabase(scope);
      await until(() => seen.length === 2);
    });
    expect(seen[1]).to.equal(undefined);
    await writing.create('/n', 7); // the writer's store opens the new database
    await until(() => seen.length === 3);
    expect(seen[2]).to.include({ data: 7, version: 0 });
  });
});
