// The hands-on of the 2014 meetup (Kafka's and Spark's quick starts) in the console of a page
// with the built script tag: the minified core's console tools, and data-master.
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, setUp, type Setup } from './browser';
import { NOTES } from './site';

/** The page's console lines of `type` from now on. */
function consoleOf(page: Page, type: 'log' | 'error'): string[] {
  const lines: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === type) lines.push(message.text());
  });
  return lines;
}

describe('the hands-on in the console of a page with the built script tag', () => {
  let setup: Setup;
  beforeAll(async () => (setup = await setUp({ scriptAttributes: { 'data-master': 'local[2]' } })));
  afterAll(() => setup.close());

  it("runs Kafka's quick start and Spark's SparkPi and WordCount, on data-master's two executors", async () => {
    const page = await setup.browser.newPage();
    const errors = consoleOf(page, 'error');
    await page.goto(`${setup.site.origin}/p/0`);
    await ready(page);
    const log = consoleOf(page, 'log');
    const processed = await page.evaluate(async () => {
      const { log } = window.tabstream!;
      await log.createTopic({ name: 'quickstart-events', partitions: 1 });
      await log.describe('quickstart-events');
      const producer = log.consoleProducer('quickstart-events');
      await producer.send('This is my first event');
      await producer.send('This is my second event');
      await producer.close();
      const consumer = log.consoleConsumer('quickstart-events', {
        fromBeginning: true,
        maxMessages: 2,
      });
      return consumer.done;
    });
    expect(processed).toBe(2);
    const pi = (await page.evaluate(() => window.tabstream!.runExample('SparkPi', 10))) as number;
    expect(Math.abs(pi - Math.PI)).toBeLessThan(0.1);
    const words = await page.evaluate(async () => {
      const counts = await window.tabstream!.runExample('WordCount', '/notes.txt');
      const executors = window.tabstream!.context.executorStatus().executorIds;
      return { counts: counts as [string, number][], executors };
    });
    const expected = new Map<string, number>();
    for (const word of NOTES.split('\n').flatMap((line) => line.split(' ')))
      expected.set(word, (expected.get(word) ?? 0) + 1);
    expect(new Map(words.counts)).toEqual(expected);
    expect(words.executors).toHaveLength(2);

    const describe = log.slice(0, 2);
    expect(describe[0]).toMatch(
      /^Topic: quickstart-events\tTopicId: [\w-]{22}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: retention\.ms=604800000,retention\.bytes=\d+$/,
    );
    expect(describe[1]).toBe(
      '\tTopic: quickstart-events\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0',
    );
    expect(log).toContain(`Pi is roughly ${pi}`);
    const events = log.filter((line) => line.startsWith('This is my'));
    expect(events).toEqual(['This is my first event', 'This is my second event']);
    expect(log.filter((line) => line.startsWith('Processed a total of'))).toEqual([
      'Processed a total of 2 messages',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
