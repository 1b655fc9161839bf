import { expect } from 'chai';
import { init, type StatusSnapshot, type Tabstream } from '../../src/entries/index';
import { createWorker, uniqueLog, until } from './helpers';

const started: Tabstream[] = [];
function start(log: string): Tabstream {
  const tabstream = init({ log, createWorker, batchIntervalMs: 200, workers: 2 });
  started.push(tabstream);
  return tabstream;
}

function clickLinks(n: number): void {
  const link = document.createElement('a');
  link.href = 'https://elsewhere.example/';
  link.textContent = 'a link';
  link.addEventListener('click', (event) => event.preventDefault());
  document.body.append(link);
  for (let i = 0; i < n; i++) link.click();
  link.remove();
}

describe('tabstream.status(): what the monitor shows', () => {
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.close()));
  });

  it("in the leader: the batches' jobs, stages and executors, the log and its lag", async () => {
    const tabstream = start(uniqueLog('status'));
    await tabstream.ready;
    await until(() => tabstream.isLeader);
    clickLinks(25);
    await tabstream.flush();
    const { engine, log, streaming } = await tabstream.status();

    expect(engine).to.not.equal(null);
    const done = engine!.jobs.filter((job) => job.status === 'succeeded');
    expect(done.length).to.be.greaterThan(0);
    for (const job of done) expect(job.succeededTasks).to.equal(job.numTasks);
    const stages = engine!.stages.filter((stage) => stage.status === 'succeeded');
    const read = stages.reduce((sum, stage) => sum + stage.inputRecords, 0);
    expect(read).to.be.at.least(25); // every click was read by some stage
    for (const stage of stages) {
      expect(stage.taskRecords!.max).to.be.at.most(stage.inputRecords);
      expect(stage.taskDurationMs!.min).to.be.at.most(stage.taskDurationMs!.max);
    }
    const workers = engine!.executors.filter((e) => e.executorId !== 'driver');
    expect(workers.filter((e) => e.active)).to.have.length(2);
    const tasks = engine!.executors.reduce((sum, e) => sum + e.completedTasks, 0);
    expect(tasks).to.equal(engine!.stages.reduce((sum, s) => sum + s.succeededTasks, 0));

    const clicks = log.find((topic) => topic.topic === 'clicks')!;
    expect(clicks.partitions.reduce((sum, p) => sum + p.highWatermark, 0)).to.equal(25);
    for (const partition of clicks.partitions) {
      const group = partition.groups.find((g) => g.group === 'tabstream-counts')!;
      expect(group.lag).to.equal(0);
      expect(group.offset ?? 0).to.equal(partition.highWatermark);
      const records = partition.highWatermark - partition.logStartOffset;
      expect(partition.batches).to.be.within(Math.min(records, 1), records);
    }
    expect(clicks.partitions.reduce((sum, p) => sum + p.batches, 0)).to.be.greaterThan(0);
    expect(streaming.active).to.equal(true);
    for (const batch of streaming.batches) {
      expect(batch.checkpointBytes).to.be.greaterThan(0);
      expect(batch.checkpointSnapshotBytes).to.be.greaterThan(0);
    }
    expect(streaming.batchIntervalMs).to.equal(200);
    expect(streaming.batches.reduce((sum, b) => sum + b.inputEvents, 0)).to.equal(25);
  });

  it("in the leader: each executor's totals since the start, past the jobs the store keeps", async () => {
    const tabstream = start(uniqueLog('status-totals'));
    await tabstream.ready;
    await until(() => tabstream.isLeader);
    const completed = (status: StatusSnapshot) =>
      new Map(status.engine!.executors.map((e) => [e.executorId, e.completedTasks]));
    const before = completed(await tabstream.status());
    const ended = new Map<string, number>();
    const { context } = tabstream;
    const unsubscribe = context.status.subscribe((event) => {
      if (event.type !== 'task-end' || event.task.status !== 'succeeded') return;
      const executorId = event.task.executorId!;
      ended.set(executorId, (ended.get(executorId) ?? 0) + 1);
    });
    const jobs = 110; // more than the store keeps, with the batches' jobs meanwhile
    for (let i = 0; i < jobs; i++) await context.parallelize([1, 2, 3, 4], 2).count();
    unsubscribe();
    const status = await tabstream.status();

    expect(status.engine!.jobs.length).to.be.below(jobs);
    const after = completed(status);
    for (const [executorId, tasks] of ended)
      expect((after.get(executorId) ?? 0) - (before.get(executorId) ?? 0)).to.be.at.least(tasks);
  });

  it("in another tab: the leader's engine, asked over the bus; the lag of what is not yet counted", async () => {
    const log = uniqueLog('status-follower');
    const leader = start(log);
    await leader.ready;
    await until(() => leader.isLeader);
    clickLinks(5);
    await leader.flush();
    const follower = start(log);
    await follower.ready;
    expect(follower.isLeader).to.equal(false);
    // The windows keep the job running batches, so the follower's later snapshot may hold more.
    const mine = await leader.status();
    const theirs = await follower.status();
    expect(theirs.engine).to.not.equal(null);
    const ids = (status: StatusSnapshot) => status.engine!.jobs.map((job) => job.jobId);
    expect(ids(theirs)).to.include.members(ids(mine).slice(0, 10));
    expect(theirs.streaming.active).to.equal(true);
  });

  it('without a leader to answer: no engine, but the log and its lag', async () => {
    const log = uniqueLog('status-alone');
    // This test holds the leader's lock, so no tabstream here can lead.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await new Promise<void>((locked) => {
      void navigator.locks.request(`tabstream:leader:${log}`, () => (locked(), held));
    });
    try {
      const tabstream = start(log);
      await tabstream.ready;
      clickLinks(3);
      let status = await tabstream.status();
      const appended = () =>
        status.log
          .find((topic) => topic.topic === 'clicks')!
          .partitions.reduce((sum, p) => sum + p.highWatermark, 0);
      while (appended() < 3) status = await tabstream.status(); // each waits for the leader a second
      expect(appended()).to.equal(3);
      expect(status.engine).to.equal(null);
      expect(status.streaming.active).to.equal(false);
    } finally {
      release();
    }
  });
});
