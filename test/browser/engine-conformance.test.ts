/* eslint-disable @typescript-eslint/no-unsafe-argument -- the cases pass all three kinds of function through one untyped table */
// One conformance suite for the three ways a function crosses to executors: built-in operators,
// named functions from an application module, and inline functions shipped as source text.
// Every case must give the same answer all three ways, on real workers.
import { expect } from 'chai';
import { EngineContext, ExecutorPool, fn, op, type Dataset } from '../../src/engine';
import { createWorker, uniqueLog } from './helpers';

type Kind = 'op' | 'named' | 'inline';
/** A function three ways: `[function, params]` per kind. */
type Three = Record<Kind, [unknown, unknown?]>;

const LINES = ['the quick brown fox', 'jumps over the lazy dog', 'the end', 'a b c d e f'];
const RECORDS = [
  { page: '/a', n: 1 },
  { page: '/b', n: 5 },
  { page: '/a', n: 7 },
  { page: '/c', n: 3 },
];

const hasO: Three = {
  op: [op.contains(op.record(), 'o')],
  named: [fn('contains', { part: 'o' })],
  inline: [(line: string, p: { part: string }) => line.includes(p.part), { part: 'o' }],
};
const length: Three = {
  op: [op.length(op.record())],
  named: [fn('length')],
  inline: [(line: string) => line.length],
};
const max: Three = {
  op: [op.max],
  named: [fn('max')],
  inline: [(a: number, b: number) => Math.max(a, b)],
};
const sum: Three = { op: [op.sum], named: [fn('sum')], inline: [(a: number, b: number) => a + b] };
const words: Three = {
  op: [op.split(op.record(), ' ')],
  named: [fn('words')],
  inline: [(line: string) => line.split(' ')],
};
const pairWithOne: Three = {
  op: [op.pair(op.record(), 1)],
  named: [fn('pairWithOne')],
  inline: [(word: string) => [word, 1]],
};
const page: Three = {
  op: [op.field('page')],
  named: [fn('field', { name: 'page' })],
  inline: [(r: { page: string }) => r.page],
};
const above: Three = {
  op: [op.gt(op.field('n'), 2)],
  named: [fn('above', { limit: 2 })],
  inline: [(r: { n: number }, p: { limit: number }) => r.n > p.limit, { limit: 2 }],
};

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyDataset = Dataset<any>;
const use = (three: Three, kind: Kind) => three[kind] as [any, unknown];

const cases: [
  string,
  (ds: { lines: AnyDataset; records: AnyDataset }, k: Kind) => Promise<unknown>,
  unknown,
][] = [
  ['filter + count', ({ lines }, k) => lines.filter(...use(hasO, k)).count(), 2],
  ['map + reduce', ({ lines }, k) => lines.map(...use(length, k)).reduce(...use(max, k)), 23],
  [
    'flatMap + map + reduceByKey',
    async ({ lines }, k) =>
      sorted(
        await lines
          .flatMap(...use(words, k))
          .map(...use(pairWithOne, k))
          .reduceByKey(...use(sum, k))
          .collect(),
      ),
    sorted(Object.entries(tally(LINES.join(' ').split(' ')))),
  ],
  [
    'map field + countByValue',
    ({ records }, k) => records.map(...use(page, k)).countByValue(),
    new Map([
      ['/a', 2],
      ['/b', 1],
      ['/c', 1],
    ]),
  ],
  [
    'filter field + collect',
    ({ records }, k) => records.filter(...use(above, k)).collect(),
    RECORDS.filter((r) => r.n > 2),
  ],
  [
    'keyBy + groupByKey',
    async ({ records }, k) =>
      sorted(
        (
          await records
            .keyBy(...use(page, k))
            .groupByKey()
            .collect()
        ).map(([key, rs]: [string, { n: number }[]]) => [key, rs.map((r) => r.n).sort()]),
      ),
    [
      ['/a', [1, 7]],
      ['/b', [5]],
      ['/c', [3]],
    ],
  ],
  [
    'sortBy',
    ({ lines }, k) => lines.sortBy(use(length, k)[0], false).collect(),
    [...LINES].sort((a, b) => b.length - a.length),
  ],
  [
    'map + fold',
    ({ lines }, k) => lines.map(...use(length, k)).fold(0, ...use(sum, k)),
    LINES.join('').length,
  ],
];
/* eslint-enable @typescript-eslint/no-explicit-any */

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

function sorted<T>(pairs: T[]): T[] {
  return [...pairs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe('functions as data: one conformance suite, three kinds, real workers', () => {
  let pool: ExecutorPool;
  let context: EngineContext;
  before(async () => {
    pool = await ExecutorPool.start({ size: 2, createWorker });
    context = new EngineContext({ log: uniqueLog('conformance'), pool });
    await context.addModule(new URL('./fixtures/app-functions.js', import.meta.url).href);
  });
  after(() => pool.terminate());

  for (const kind of ['op', 'named', 'inline'] as const) {
    for (const [name, run, expected] of cases) {
      it(`${name} (${kind})`, async () => {
        const lines = context.parallelize(LINES, 3);
        const records = context.parallelize(RECORDS, 2);
        expect(await run({ lines, records }, kind)).to.deep.equal(expected);
        const job = context.status.jobs().at(-1)!;
        const executors = context.status
          .stages()
          .filter((stage) => stage.jobId === job.jobId)
          .flatMap((stage) => stage.tasks.map((task) => task.executorId));
        expect(executors.every((id) => /^executor-\d$/.test(id ?? ''))).to.equal(
          true,
          'ran in workers',
        );
      });
    }
  }
});
