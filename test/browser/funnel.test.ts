// Funnels over a real log on real executor workers: each answer checked against an exhaustive
// oracle of the same generated sessions (funnel-helpers.ts), and against plain SQL.
import { expect } from 'chai';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { funnel } from '../../src/funnels';
import { ensureTopic, openLog, Producer } from '../../src/log';
import { sql } from '../../src/sql';
import {
  generate,
  optionsOf,
  oracle,
  ORIGIN,
  T0,
  writeLog,
  type Happening,
  type OracleStep,
} from './funnel-helpers';
import { createWorker, uniqueLog } from './helpers';

const HAPPENINGS: Happening[] = generate(20, 160);
/** 40 sessions walking /step/1 … /step/25, session i stopping after step i % 26 (0: none). */
const LONG: Happening[] = Array.from({ length: 40 }, (_, i) =>
  Array.from({ length: i % 26 }, (_, step) => ({
    kind: 'page' as const,
    value: `/step/${step + 1}`,
    ts: T0 + i * 1000 + step,
    sessionId: `long${i}`,
    tabId: `long${i}-t`,
  })),
).flat();
const ALL = [...HAPPENINGS, ...LONG];

let pool: ExecutorPool;
let context: EngineContext;

before(async () => {
  const log = uniqueLog('funnel');
  await writeLog(log, ALL);
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  context = new EngineContext({ log, pool });
});

after(() => pool.terminate());

const HOME: OracleStep = { name: 'home', paths: ['/'] };
const PRICING: OracleStep = { name: 'pricing', paths: ['/pricing'] };
const CHECKOUT: OracleStep = { name: 'checkout', paths: ['/checkout'] };

describe('funnel(context, options)', () => {
  it('counts a 3-step funnel of pages as the oracle does, with its figures', async () => {
    const steps = [HOME, PRICING, CHECKOUT];
    const result = await funnel(context, optionsOf(steps));
    expect(result).to.deep.equal(oracle(ALL, steps));
    expect(result.entered).to.be.greaterThan(result.steps[2]!.count);
    expect(result.steps[2]!.count).to.be.greaterThan(0);
  });

  it('agrees with a self-join in SQL for the same funnel in a 30-minute window', async () => {
    const window = 30 * 60_000;
    const result = await funnel(context, { ...optionsOf([HOME, PRICING, CHECKOUT]), window });
    const page = (p: string) => `'${ORIGIN}${p}'`;
    const { rows } = await sql(
      context,
      `SELECT count(DISTINCT a.sessionId), count(DISTINCT b.sessionId), count(DISTINCT c.sessionId)
       FROM pageviews a
       LEFT JOIN pageviews b ON b.sessionId = a.sessionId AND b.page = ${page('/pricing')}
         AND b.ts > a.ts AND b.ts <= a.ts + ${window}
       LEFT JOIN pageviews c ON c.sessionId = b.sessionId AND c.page = ${page('/checkout')}
         AND c.ts > b.ts AND c.ts <= a.ts + ${window}
       WHERE a.page = ${page('/')}`,
    );
    expect(result.steps.map((s) => s.count)).to.deep.equal(rows[0]);
  });

  it('applies the conversion window from the first step', async () => {
    const steps = [HOME, PRICING, CHECKOUT];
    const narrow = await funnel(context, { ...optionsOf(steps), window: 10 * 60_000 });
    const wide = await funnel(context, optionsOf(steps));
    expect(narrow).to.deep.equal(oracle(ALL, steps, { window: 10 * 60_000 }));
    expect(narrow.steps[2]!.count).to.be.lessThan(wide.steps[2]!.count);
  });

  it('takes OR steps of pages, globs, RegExps and custom events', async () => {
    const steps: OracleStep[] = [
      { name: 'landing', paths: ['/', '/blog/*'] },
      { name: 'interest', paths: ['/pricing'], events: ['signup'] },
      { name: 'pay', regex: /^\/checkout(\/pay)?$/ },
      { name: 'bought', events: ['purchase'] },
    ];
    expect(await funnel(context, optionsOf(steps))).to.deep.equal(oracle(ALL, steps));
  });

  it('counts optional steps when done, without requiring them of later steps', async () => {
    const steps: OracleStep[] = [
      HOME,
      { name: 'pricing?', paths: ['/pricing'], optional: true },
      { name: 'signup', events: ['signup'] },
      { name: 'blog?', paths: ['/blog/*'], optional: true },
      { name: 'purchase', events: ['purchase'] },
    ];
    const result = await funnel(context, optionsOf(steps, { window: 3_600_000 }));
    expect(result).to.deep.equal(oracle(ALL, steps, { window: 3_600_000 }));
    const required = await funnel(
      context,
      optionsOf([HOME, steps[2]!, steps[4]!], { window: 3_600_000 }),
    );
    // The same sessions reach the required steps with or without the optional ones between.
    expect([result.steps[2]!.count, result.steps[4]!.count]).to.deep.equal([
      required.steps[1]!.count,
      required.steps[2]!.count,
    ]);
    expect(result.steps[1]!.dropOff).to.equal(0);
  });

  it('counts per tab when asked', async () => {
    const steps = [HOME, PRICING, { name: 'signup', events: ['signup'] }];
    const result = await funnel(context, optionsOf(steps, { by: 'tab' }));
    expect(result).to.deep.equal(oracle(ALL, steps, { by: 'tab' }));
    const bySession = await funnel(context, optionsOf(steps));
    expect(result.entered).to.be.greaterThan(bySession.entered);
  });

  it('reads only what happened since `since`', async () => {
    const since = T0 + 1_800_000;
    const steps = [HOME, PRICING];
    expect(await funnel(context, optionsOf(steps, { since }))).to.deep.equal(
      oracle(ALL, steps, { since }),
    );
  });

  it('has no step limit: 25 steps', async () => {
    const steps = Array.from({ length: 25 }, (_, i) => ({ page: `/step/${i + 1}` }));
    const result = await funnel(context, { steps: steps.map((match) => ({ match })) });
    // Session i reaches step i % 26: sessions 1..25 and 27..39 enter, the rest do not.
    const reaching = (n: number) =>
      Array.from({ length: 40 }, (_, i) => i % 26).filter((k) => k >= n).length;
    expect(result.steps.map((s) => s.count)).to.deep.equal(steps.map((_, i) => reaching(i + 1)));
    expect(result.steps[24]).to.include({ name: '/step/25', step: 25, dropOff: 1, count: 1 });
  });

  it('names steps by their matches, and counts a topic that does not exist as empty', async () => {
    const log = uniqueLog('funnel-pages-only');
    const db = await openLog(log);
    await ensureTopic(db, { name: 'pageviews', partitions: 1 });
    db.close();
    const producer = new Producer({ log });
    for (const [i, page] of ['/', '/pricing'].entries())
      void producer.send('pageviews', { page: ORIGIN + page, ts: T0 + i, sessionId: 's' }, 's');
    await producer.close();
    const alone = new EngineContext({ log, pool });
    const result = await funnel(alone, {
      steps: [
        { match: { page: '/' } },
        { match: [{ page: '/pricing' }, { event: 'signup' }] },
        { match: { event: 'signup' } },
      ],
    });
    expect(result.steps.map((s) => [s.name, s.count])).to.deep.equal([
      ['/', 1],
      ['/pricing | event:signup', 1],
      ['event:signup', 0],
    ]);
    const empty = new EngineContext({ log: uniqueLog('funnel-empty'), pool });
    const none = await funnel(empty, { steps: [{ match: { page: '/' } }] });
    expect(none).to.deep.equal({
      entered: 0,
      steps: [
        {
          step: 1,
          name: '/',
          optional: false,
          count: 0,
          conversion: 0,
          fromPrevious: 1,
          dropOff: 0,
        },
      ],
    });
  });

  it('rejects bad options with an error naming the step', async () => {
    const bad = async (options: object) => {
      try {
        await funnel(context, options as never);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(await bad({ steps: [] })).to.match(/no steps/);
    expect(await bad({ steps: [{ match: { page: '/' } }, { match: [] }] })).to.match(
      /step 2 .*OR of no match/,
    );
    expect(await bad({ steps: [{ match: { page: '/' } }, { match: { page: '/(/' } }] })).to.match(
      /step 2: "\/\(\/" is not a valid RegExp/,
    );
    expect(await bad({ steps: [{ match: { page: '/' } }], window: -1 })).to.match(/window/);
    expect(await bad({ steps: [{ match: { page: '/' }, optional: true }] })).to.match(
      /step 1 cannot be optional/,
    );
    expect(await bad({ steps: [{ name: 'x', match: { pgae: '/' } }] })).to.match(/step 1 \("x"\)/);
  });
});
