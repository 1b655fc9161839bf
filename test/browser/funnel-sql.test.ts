// SQL's table functions on a real log: funnel(…) gives the API's answer and combines with the
// rest of SQL; range(…) as Spark's; errors say where.
import { expect } from 'chai';
import { EngineContext, ExecutorPool } from '../../src/engine';
import { funnel, type Funnel } from '../../src/funnels';
import { explain, sql, SqlError } from '../../src/sql';
import { streamQuery } from '../../src/sql/stream-query';
import { generate, ORIGIN, T0, writeLog } from './funnel-helpers';
import { createWorker, uniqueLog } from './helpers';

let pool: ExecutorPool;
let context: EngineContext;

before(async () => {
  const log = uniqueLog('funnel-sql');
  await writeLog(log, generate(7, 120));
  pool = await ExecutorPool.start({ size: 2, createWorker, taskTimeoutMs: 20000 });
  context = new EngineContext({ log, pool });
});

after(() => pool.terminate());

const rowsOf = ({ steps }: Funnel) =>
  steps.map((s) => [s.step, s.name, s.optional, s.count, s.conversion, s.fromPrevious, s.dropOff]);

const STEPS = `'/', '/pricing | event:signup', '/checkout/*?', 'event:purchase'`;
const OPTIONS = {
  steps: [
    { name: '/', match: { page: '/' } },
    { name: '/pricing | event:signup', match: [{ page: '/pricing' }, { event: 'signup' }] },
    { name: '/checkout/*', match: { page: '/checkout/*' }, optional: true },
    { name: 'event:purchase', match: { event: 'purchase' } },
  ],
  window: 30 * 60_000,
};

async function sqlError(text: string): Promise<SqlError> {
  try {
    await sql(context, text);
  } catch (error) {
    if (error instanceof SqlError) return error;
    throw error;
  }
  throw new Error(`no error for: ${text}`);
}

describe('SQL table functions', () => {
  it('funnel(…) gives the API’s answer, with its columns', async () => {
    const expected = rowsOf(await funnel(context, OPTIONS));
    const result = await sql(
      context,
      `SELECT * FROM funnel(${STEPS}, window => INTERVAL 30 MINUTES)`,
    );
    expect(result.columns).to.deep.equal([
      'step',
      'name',
      'optional',
      'count',
      'conversion',
      'from_previous',
      'drop_off',
    ]);
    expect(result.rows).to.deep.equal(expected);
    expect(expected[1]![3]).to.be.greaterThan(0);
    // A last INTERVAL, unnamed, is the window too.
    const last = await sql(context, `SELECT * FROM funnel(${STEPS}, INTERVAL '30 minutes')`);
    expect(last.rows).to.deep.equal(expected);
  });

  it('combines with WHERE, ORDER BY, aggregates and joins', async () => {
    const api = await funnel(context, OPTIONS);
    const { rows } = await sql(
      context,
      `SELECT f.name, f.count FROM funnel(${STEPS}, window => INTERVAL 30 MINUTES) AS f
       WHERE NOT f.optional ORDER BY f.count DESC, f.step`,
    );
    const required = api.steps
      .filter((s) => !s.optional)
      .sort((a, b) => b.count - a.count || a.step - b.step);
    expect(rows).to.deep.equal(required.map((s) => [s.name, s.count]));

    // Each page step's count beside that page's views, by a join on the page's URL.
    const joined = await sql(
      context,
      `SELECT f.step, f.count, v.views
       FROM funnel('/', '/pricing', by => 'tab') f
       JOIN (SELECT page, count(*) AS views FROM pageviews GROUP BY page) v
         ON v.page = concat('${ORIGIN}', f.name)
       ORDER BY f.step`,
    );
    const byTab = await funnel(context, {
      steps: [{ match: { page: '/' } }, { match: { page: '/pricing' } }],
      by: 'tab',
    });
    const views = await sql(
      context,
      `SELECT count(*) FROM pageviews WHERE page IN ('${ORIGIN}/', '${ORIGIN}/pricing') GROUP BY page ORDER BY page`,
    );
    expect(joined.rows).to.deep.equal([
      [1, byTab.steps[0]!.count, views.rows[0]![0]],
      [2, byTab.steps[1]!.count, views.rows[1]![0]],
    ]);
  });

  it('range(…) counts as Spark’s, and joins with a funnel', async () => {
    expect((await sql(context, 'SELECT sum(id), count(*) FROM range(1, 11)')).rows).to.deep.equal([
      [55, 10],
    ]);
    expect((await sql(context, 'SELECT id FROM range(0, 10, 3)')).rows).to.deep.equal([
      [0],
      [3],
      [6],
      [9],
    ]);
    expect((await sql(context, 'SELECT id FROM range(3, 0, -1)')).rows).to.deep.equal([
      [3],
      [2],
      [1],
    ]);
    expect((await sql(context, 'SELECT * FROM range(4) r')).rows).to.have.length(4);
    const { rows } = await sql(
      context,
      `SELECT r.id, f.count FROM range(1, 4) r LEFT JOIN funnel('/', '/pricing') f ON f.step = r.id
       ORDER BY r.id`,
    );
    const api = await funnel(context, {
      steps: [{ match: { page: '/' } }, { match: { page: '/pricing' } }],
    });
    expect(rows).to.deep.equal([
      [1, api.steps[0]!.count],
      [2, api.steps[1]!.count],
      [3, null],
    ]);
  });

  it('takes parameters as arguments', async () => {
    const api = await funnel(context, {
      steps: [{ match: { page: '/' } }, { match: { page: '/pricing' } }],
      window: 600_000,
    });
    const { rows } = await sql(context, 'SELECT count FROM funnel(?, ?, window => ?)', [
      '/',
      '/pricing',
      600_000,
    ]);
    expect(rows).to.deep.equal(api.steps.map((s) => [s.count]));

    const since = T0 + 1_800_000;
    const recent = await funnel(context, {
      steps: api.steps.map((s) => ({ match: { page: s.name } })),
      since,
    });
    const sinced = await sql(
      context,
      "SELECT count FROM funnel('/', '/pricing', since => $since)",
      {
        since,
      },
    );
    expect(sinced.rows).to.deep.equal(recent.steps.map((s) => [s.count]));
    expect(recent.entered).to.be.lessThan(api.entered);
    const day = await sql(
      context,
      "SELECT count FROM funnel('/', '/pricing', since => now() - INTERVAL 1 DAY, window => INTERVAL 10 MINUTES)",
    );
    expect(day.rows).to.deep.equal(rows);
  });

  it('is refused by a continuous query, by name', async () => {
    const error = await streamQuery(context, "SELECT step, count(*) FROM funnel('/') GROUP BY step")
      .then(() => null)
      .catch((e: unknown) => e as Error);
    expect(error).to.be.instanceOf(SqlError);
    expect(error!.message).to.contain('a table function is not supported in a stream');
  });

  it('shows a table function in EXPLAIN', async () => {
    const plan = await explain(context, `SELECT count FROM funnel('/', '/pricing')`);
    expect(plan).to.contain('TableFunction funnel("/", "/pricing")');
  });

  it('names what is wrong, and where', async () => {
    const cases: [string, number, RegExp][] = [
      [
        "SELECT * FROM funel('/')",
        15,
        /unknown table function "funel" \(did you mean "funnel"\?\)/,
      ],
      ['SELECT * FROM funnel()', 15, /funnel\(…\): no steps/],
      ["SELECT * FROM funnel('/', '/(/')", 27, /step 2: "\/\(\/" is not a valid RegExp/],
      ["SELECT * FROM funnel('/', 'a | ')", 27, /empty alternative/],
      ["SELECT * FROM funnel('/', by => 'day')", 27, /by is 'session' or 'tab'/],
      ["SELECT * FROM funnel('/', '/a', size => 3)", 33, /no argument named "size"/],
      ['SELECT * FROM funnel(1)', 22, /a step is a string/],
      ['SELECT * FROM range(0, 5, 0)', 27, /the step must not be 0/],
      ['SELECT * FROM range(page)', 21, /unknown column "page"/],
    ];
    for (const [text, column, reason] of cases) {
      const error = await sqlError(text);
      expect(error.reason, text).to.match(reason);
      expect([error.line, error.column], text).to.deep.equal([1, column]);
    }
  });
});
