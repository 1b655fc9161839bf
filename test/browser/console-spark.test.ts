// Spark's quick start and examples, in the console of a page with tabstream.
import { expect } from 'chai';
import type { Tabstream } from '../../src/entries/index';
import { capture, closeTabs, startTab, type Printed } from './console-helpers';

/** The lines of a served text file, as `textFile` reads them. */
async function linesOf(url: string): Promise<string[]> {
  const lines = (await (await fetch(url)).text()).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Runs `source` as the console runs what is pasted into it: top-level await, page globals. */
function paste(source: string): Promise<unknown> {
  const AsyncFunction = (async () => {}).constructor as new (
    body: string,
  ) => () => Promise<unknown>;
  return new AsyncFunction(source)();
}

/**
 * The stages of the engine's `reduce` jobs so far (SparkPi's action: the leader's streaming
 * batches share the engine), their tasks, and those that succeeded on an executor worker.
 */
function tasksOf(tabstream: Tabstream): { stages: number; tasks: number; onExecutors: number } {
  const { status } = tabstream.context;
  const jobs = status.jobs().filter((job) => job.description.startsWith('reduce'));
  const stages = status.stages().filter((stage) => jobs.some((job) => job.jobId === stage.jobId));
  const executors = tabstream.context.executorStatus().executorIds;
  const succeeded = stages
    .flatMap((stage) => stage.tasks)
    .filter((task) => task.status === 'succeeded' && executors.includes(task.executorId!));
  return {
    stages: stages.length,
    tasks: stages.reduce((n, stage) => n + stage.numTasks, 0),
    onExecutors: succeeded.length,
  };
}

describe("Spark's examples and quick start in the console", () => {
  let log: Printed;

  beforeEach(() => (log = capture('log')));
  afterEach(async () => {
    log.restore();
    await closeTabs();
  });

  it("runExample('SparkPi', 10) runs 10 tasks on the executors and prints Pi is roughly 3.14…; before ready too", async () => {
    const tabstream = startTab();
    const pi = (await tabstream.runExample('SparkPi', 10)) as number;
    expect(Math.abs(pi - Math.PI)).to.be.lessThan(0.1);
    expect(log.calls).to.deep.equal([[`Pi is roughly ${pi}`]]);
    expect(tasksOf(tabstream)).to.deep.equal({ stages: 1, tasks: 10, onExecutors: 10 });
  });

  it('SparkPi with no slices runs 2, as Spark does; slices must be a whole number from 1', async () => {
    const tabstream = startTab();
    await tabstream.runExample('SparkPi');
    expect(tasksOf(tabstream).tasks).to.equal(2);
    for (const slices of [0, 2.5, '10', -1]) {
      let error: unknown = null;
      await tabstream.runExample('SparkPi', slices).catch((e: unknown) => (error = e));
      expect(error, String(slices)).to.be.instanceOf(RangeError);
      expect((error as Error).message).to.contain('SparkPi [slices]: a whole number ≥ 1');
    }
  });

  it('an unknown example is an error listing the known ones', async () => {
    const tabstream = startTab();
    for (const name of ['SparkPI', 'toString', '__proto__']) {
      let error: unknown = null;
      await tabstream.runExample(name).catch((e: unknown) => (error = e));
      expect((error as Error).message, name).to.equal(
        `tabstream: no example "${name}": the examples are SparkPi, WordCount`,
      );
    }
    expect(log.calls).to.deep.equal([]);
  });

  it("runExample('WordCount', url) prints each word's count, as JavaWordCount", async () => {
    const tabstream = startTab();
    const url = '/test/browser/fixtures/quickstart.txt';
    const counts = (await tabstream.runExample('WordCount', url)) as [string, number][];
    const expected = new Map<string, number>();
    for (const word of (await linesOf(url)).flatMap((line) => line.split(' ')))
      expected.set(word, (expected.get(word) ?? 0) + 1);
    expect(new Map(counts)).to.deep.equal(expected);
    expect(log.lines()).to.have.members([...expected].map(([w, n]) => `${w}: ${n}`));
    let usage: unknown = null;
    await tabstream.runExample('WordCount').catch((e: unknown) => (usage = e));
    expect((usage as Error).message).to.contain('usage: WordCount <url of a text file>');
  });

  it("runs the quick start's SimpleApp as pasted into the console", async () => {
    const tabstream = startTab();
    await tabstream.ready;
    await paste(`
const logData = tabstream.context.textFile('/README.md').cache();
const numAs = await logData.filter((line) => line.includes('a')).count();
const numBs = await logData.filter((line) => line.includes('b')).count();
console.log(\`Lines with a: \${numAs}, lines with b: \${numBs}\`);
`);
    const lines = await linesOf('/README.md');
    const numAs = lines.filter((line) => line.includes('a')).length;
    const numBs = lines.filter((line) => line.includes('b')).length;
    expect(numAs).to.be.greaterThan(0);
    expect(log.calls).to.deep.equal([[`Lines with a: ${numAs}, lines with b: ${numBs}`]]);
  });
});

describe("init({ master: 'local[N]' })", () => {
  afterEach(closeTabs);

  it("runs the tab's engine on N executors, not the default count", async () => {
    const n = navigator.hardwareConcurrency === 3 ? 2 : 3; // other than the default
    const tabstream = startTab({ master: `local[${n}]` });
    await tabstream.ready;
    const log = capture('log');
    try {
      await tabstream.runExample('SparkPi', 2 * n);
    } finally {
      log.restore();
    }
    expect(tabstream.context.executorStatus().executorIds).to.have.length(n);
  });
});
