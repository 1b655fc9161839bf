// A keyed state's change, applied to the state as last snapshotted, gives the state after
// the batch: the same entries, whatever was added, changed or removed (in the same order,
// but for a key removed and added again in one batch, which stays in its place).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyId } from '../../src/engine';
import { ChangedState, entriesChange } from '../../src/streaming/state-change';

type Pair = [unknown, number];

const byKey = (pairs: readonly Pair[]) => new Map(pairs.map((pair) => [keyId(pair[0]), pair]));
const key = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.integer({ min: 0, max: 9 }),
  fc.constant(null),
);
/** Pairs with distinct keys, in insertion order. */
const pairs = fc.uniqueArray(fc.tuple(key, fc.integer({ min: 0, max: 3 })), {
  selector: ([k]) => keyId(k),
  maxLength: 12,
});

/** `before` after a batch as the operators make it: kept keys in place, new keys last. */
function batchOf(before: readonly Pair[], edits: readonly Pair[], removed: readonly number[]) {
  const next = byKey(before.map(([k, v]): Pair => [k, v]));
  for (const i of removed) next.delete(keyId(before[i % Math.max(1, before.length)]?.[0]));
  for (const [k, v] of edits) {
    const was = next.get(keyId(k));
    if (was) was[1] = v;
    else next.set(keyId(k), [k, v]);
  }
  return [...next.values()];
}

describe('a state change', () => {
  it('of a list of pairs, applied in turn, gives each batch its state (property)', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.array(fc.tuple(pairs, fc.array(fc.nat(20), { maxLength: 3 })), { maxLength: 5 }),
        (snapshot, batches) => {
          const changed = new ChangedState(snapshot);
          let before: Pair[] = snapshot;
          for (const [edits, removed] of batches) {
            const after = batchOf(before, edits, removed);
            const { put, remove } = entriesChange(byKey(before), byKey(after));
            changed.apply({ entries: { key: 0, put, remove } });
            before = after;
          }
          expect(byKey(changed.result() as Pair[])).toEqual(byKey(before));
        },
      ),
    );
  });

  it("of a window's pairs keeps its other fields, and a whole value replaces it", () => {
    const changed = new ChangedState({
      time: 1,
      pairs: [
        ['/a', 2],
        ['/b', 1],
      ],
    });
    changed.apply({
      entries: { key: 0, list: 'pairs', put: [['/c', 1]], remove: ['/a'], fields: { time: 2 } },
    });
    expect(changed.result()).toEqual({
      time: 2,
      pairs: [
        ['/b', 1],
        ['/c', 1],
      ],
    });
    changed.apply({ value: undefined });
    expect(changed.result()).toBeUndefined();
  });

  it('that is not one is refused, not applied', () => {
    for (const change of [null, 3, { entries: {} }, { entries: { key: 1, put: [], remove: [] } }]) {
      expect(() => new ChangedState([]).apply(change)).toThrow(TypeError);
    }
    const state = new ChangedState({ pairs: 'x' });
    expect(() => state.apply({ entries: { key: 0, list: 'pairs', put: [], remove: [] } })).toThrow(
      /no list/,
    );
  });
});
