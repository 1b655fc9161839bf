import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, setUp, type Setup } from './browser';
import { NOTES } from './site';

const lines = NOTES.split('\n');
const words = new Map<string, number>();
for (const word of lines.flatMap((l) => l.split(' '))) words.set(word, (words.get(word) ?? 0) + 1);

/** The classic first session, typed into the console of `page`; returns every answer. */
function firstSession(page: Page) {
  return page.evaluate(async () => {
    const sc = window.tabstream!.context;
    const lines = sc.textFile('/notes.txt');
    const count = await lines.count();
    const first = await lines.first();
    const spark = await lines.filter((l: string) => l.includes('Spark')).count();
    const longest = await lines
      .map((l: string) => l.split(' ').length)
      .reduce((a, b) => Math.max(a, b));
    const counts = lines
      .flatMap((l: string) => l.split(' '))
      .map((w: string) => [w, 1] as [string, number])
      .reduceByKey((a: number, b: number) => a + b);
    const wordCounts = await counts.collect();
    lines.cache();
    await lines.count();
    const executors = [
      ...new Set(sc.status.stages().flatMap((s) => s.tasks.map((t) => t.executorId))),
    ];
    return { count, first, spark, longest, wordCounts, executors };
  });
}

describe('tabstream.context in the console of a page with the script tag', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp()));
  afterAll(() => setup.close());

  it('answers the classic first session like Spark, on the executor workers', async () => {
    const page = await setup.browser.newPage();
    await page.goto(`${setup.site.origin}/p/0`);
    await ready(page);
    const answers = await firstSession(page);
    expect(answers).toMatchObject({
      count: lines.length,
      first: lines[0],
      spark: lines.filter((l) => l.includes('Spark')).length,
      longest: Math.max(...lines.map((l) => l.split(' ').length)),
    });
    expect(new Map(answers.wordCounts)).toEqual(words);
    expect(answers.executors.every((id) => /^executor-\d+$/.test(id ?? ''))).toBe(true);
    await page.close();
  });
});

describe('a page whose Content-Security-Policy forbids eval', () => {
  it('runs operators and named functions in workers, and inline functions on the main thread', async () => {
    const csp = await setUp({
      headers: {
        'content-security-policy': `script-src 'self' http://127.0.0.1:*; worker-src blob:`,
      },
    });
    try {
      const page = await csp.browser.newPage();
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text());
      });
      await page.goto(`${csp.site.origin}/p/0`);
      await ready(page);
      const result = await page.evaluate(async () => {
        const { context: sc, op, fn } = window.tabstream!;
        const lines = sc.textFile('/notes.txt', 2);
        const ranOn = () => [
          ...new Set(
            sc.status
              .stages()
              .at(-1)!
              .tasks.map((t) => t.executorId),
          ),
        ];
        const byOp = await lines.filter(op.contains(op.record(), 'Spark')).count();
        const opExecutors = ranOn();
        await sc.addModule('/app-functions.js');
        const byName = await lines.filter(fn('mentions', { word: 'Spark' })).count();
        const namedExecutors = ranOn();
        const inline = await lines.filter((l: string) => l.includes('Spark')).count();
        const inlineExecutors = ranOn();
        // A shuffle written by the workers, read by the main thread's executor.
        const counts = lines
          .flatMap(op.split(op.record(), ' '))
          .map<[string, number]>(op.pair(op.record(), 1))
          .reduceByKey(op.sum);
        await counts.count();
        const frequent = await counts.filter((pair: [string, number]) => pair[1] > 10).count();
        return { byOp, opExecutors, byName, namedExecutors, inline, inlineExecutors, frequent };
      });
      const expected = lines.filter((l) => l.includes('Spark')).length;
      const frequent = [...words.values()].filter((n) => n > 10).length;
      expect(result).toMatchObject({
        byOp: expected,
        byName: expected,
        inline: expected,
        frequent,
      });
      expect(result.opExecutors.every((id) => /^executor-/.test(id ?? ''))).toBe(true);
      expect(result.namedExecutors.every((id) => /^executor-/.test(id ?? ''))).toBe(true);
      expect(result.inlineExecutors).toEqual(['driver']);
      expect(warnings.join('\n')).toMatch(/forbids eval in workers.*main thread/s);
    } finally {
      await csp.close();
    }
  });
});
