import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type {
  BatchStatus,
  ExecutorSummary,
  JobSummary,
  SinkState,
  SinkStatus,
  StageSummary,
  StatusSnapshot,
  StatusSource,
  TopicStatus,
} from '../../src/status';
import { TabstreamMonitor } from '../../src/ui/monitor/monitor';
import { until } from './helpers';

if (!customElements.get('tabstream-monitor'))
  customElements.define('tabstream-monitor', TabstreamMonitor);

// --- Input: hand-written snapshots, as window.tabstream.status() would answer. ---

/** 13:04:05 local time, so that the times shown do not depend on the time zone. */
const T = new Date(2024, 0, 2, 13, 4, 5).getTime();
const HOSTILE = '"><img src=x onerror=alert(1)>';

/**
 * What the hostile markup calls if it is ever rendered as markup: counted, never a real dialog,
 * which would stall the page. For the whole page, since an image fails to load later.
 */
let alerts = 0;
window.alert = () => void alerts++;

const job = (jobId: number, fields: Partial<JobSummary> = {}): JobSummary => ({
  jobId,
  description: `job ${jobId}`,
  group: null,
  status: 'succeeded',
  submissionTime: T,
  completionTime: T + 100,
  durationMs: 100,
  stageIds: [],
  numTasks: 0,
  succeededTasks: 0,
  failedTasks: 0,
  runningTasks: 0,
  failureReason: null,
  ...fields,
});

const stage = (stageId: number, jobId: number, fields: Partial<StageSummary> = {}) =>
  ({
    stageId,
    attempt: 0,
    jobId,
    name: `stage ${stageId}`,
    kind: 'result',
    status: 'succeeded',
    submissionTime: T,
    completionTime: T + 100,
    durationMs: 100,
    numTasks: 1,
    succeededTasks: 1,
    failedTasks: 0,
    runningTasks: 0,
    inputRecords: 0,
    outputRecords: 0,
    shuffleReadBytes: 0,
    shuffleWriteBytes: 0,
    taskDurationMs: null,
    taskRecords: null,
    failureReason: null,
    ...fields,
  }) satisfies StageSummary;

const executor = (executorId: string, fields: Partial<ExecutorSummary> = {}): ExecutorSummary => ({
  executorId,
  active: true,
  activeTasks: 0,
  completedTasks: 0,
  failedTasks: 0,
  taskTimeMs: 0,
  inputRecords: 0,
  shuffleReadBytes: 0,
  shuffleWriteBytes: 0,
  cachedPartitions: 0,
  ...fields,
});

/** A batch's status; its total delay is its scheduling delay and processing time, as Spark's. */
const batch = (n: number, fields: Partial<BatchStatus> = {}): BatchStatus => {
  const status = {
    batch: n,
    batchTime: T + n * 1000,
    inputEvents: 0,
    inputRate: 0,
    schedulingDelayMs: 0,
    processingMs: 0,
    ...fields,
  };
  return { totalDelayMs: status.schedulingDelayMs + status.processingMs, ...status };
};

/** Three jobs (running, succeeded with a skipped stage, failed), executors, a log, batches. */
function busy(): StatusSnapshot {
  return {
    takenAt: T + 5000,
    engine: {
      jobs: [
        job(2, {
          description: 'count clicks (batch 3)',
          group: 'batch-3',
          status: 'running',
          submissionTime: T + 2000,
          completionTime: null,
          durationMs: 1500,
          stageIds: [3, 4],
          numTasks: 4,
          succeededTasks: 3,
          runningTasks: 1,
        }),
        job(1, { description: 'count clicks (batch 2)', stageIds: [1, 2], numTasks: 2 }),
        job(0, {
          description: 'collect',
          status: 'failed',
          stageIds: [0],
          numTasks: 2,
          failedTasks: 2,
          failureReason: 'Task 0 in stage 0.1 failed: boom',
        }),
      ],
      stages: [
        stage(4, 2, {
          status: 'running',
          completionTime: null,
          durationMs: 900,
          numTasks: 4,
          succeededTasks: 1,
          runningTasks: 2,
          shuffleReadBytes: 2 * 1024 * 1024,
          taskDurationMs: { min: 5, p25: 5, median: 5, p75: 5, max: 5 },
          taskRecords: { min: 7, p25: 7, median: 7, p75: 7, max: 7 },
        }),
        stage(3, 2, {
          name: 'map at clicks',
          kind: 'shuffle-map',
          durationMs: 1200,
          numTasks: 4,
          succeededTasks: 3,
          failedTasks: 1,
          inputRecords: 12345,
          outputRecords: 40,
          shuffleWriteBytes: 1536,
          taskDurationMs: { min: 10, p25: 20, median: 30, p75: 40, max: 1200 },
          taskRecords: { min: 1000, p25: 2000, median: 3000, p75: 3100, max: 4245 },
        }),
        stage(1, 1),
        stage(0, 0, { attempt: 1, status: 'failed', succeededTasks: 0, failedTasks: 1 }),
        stage(0, 0, { status: 'failed', succeededTasks: 0, failedTasks: 1 }),
      ],
      executors: [
        executor('driver', { completedTasks: 2, taskTimeMs: 300, inputRecords: 100 }),
        executor('executor-1', {
          activeTasks: 2,
          completedTasks: 10,
          failedTasks: 1,
          taskTimeMs: 61500,
          inputRecords: 12245,
          shuffleReadBytes: 2048,
          shuffleWriteBytes: 1536,
          cachedPartitions: 3,
        }),
        executor('executor-2', { active: false, completedTasks: 2, failedTasks: 1 }),
      ],
    },
    log: [
      {
        topic: 'clicks',
        partitions: [
          {
            partition: 0,
            logStartOffset: 0,
            highWatermark: 1200,
            bytes: 2048,
            batches: 3,
            groups: [
              { group: 'counts', offset: 1000, lag: 200 },
              { group: 'audit', offset: null, lag: 1200 },
            ],
          },
          {
            partition: 1,
            logStartOffset: 10,
            highWatermark: 50,
            bytes: 512,
            batches: 40,
            groups: [
              { group: 'counts', offset: 50, lag: 0 },
              { group: 'audit', offset: 30, lag: 20 },
            ],
          },
        ],
      },
      {
        topic: 'pageviews',
        partitions: [
          { partition: 0, logStartOffset: 0, highWatermark: 0, bytes: 0, batches: 0, groups: [] },
        ],
      },
    ],
    streaming: {
      batchIntervalMs: 1000,
      active: true,
      batches: [
        batch(1, { inputEvents: 2, inputRate: 2, schedulingDelayMs: 3, processingMs: 40 }),
        batch(2, { inputEvents: 21, inputRate: 10.5, schedulingDelayMs: 250, processingMs: 1500 }),
        batch(3, { inputEvents: 4, inputRate: 4, schedulingDelayMs: 5, processingMs: 60 }),
        batch(4, {
          inputEvents: 0,
          inputRate: 0,
          schedulingDelayMs: 2,
          processingMs: 20,
          checkpointBytes: 300,
          checkpointSnapshotBytes: 3 * 1024 * 1024,
        }),
      ],
    },
    damage: { count: 0, recent: [] },
  };
}

/** The leader's sink, backing off: two topics, partitions behind, a failed request (hostile). */
const sinkStatus = (fields: Partial<SinkStatus> = {}): SinkStatus => ({
  state: 'backing-off',
  partitions: [
    { topic: 'clicks', partition: 0, shipped: 1000, highWatermark: 1200, lag: 200 },
    { topic: 'clicks', partition: 1, shipped: 50, highWatermark: 50, lag: 0 },
    { topic: 'pageviews', partition: 0, shipped: 12345, highWatermark: 12346, lag: 1 },
  ],
  requests: 1234,
  retries: 3,
  recordsShipped: 13395,
  lastError: { message: `POST https://proxy.example:8082/topics/clicks: ${HOSTILE}`, at: T + 4000 },
  ...fields,
});

const empty = (): StatusSnapshot => ({
  takenAt: T,
  engine: { jobs: [], stages: [], executors: [] },
  log: [],
  streaming: { batchIntervalMs: 1000, active: false, batches: [] },
  damage: { count: 0, recent: [] },
});

/** A source driven by the test: it answers `snapshot` (or fails), slowly if told, and counts. */
class TestSource implements StatusSource {
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  failure: Error | null = null;
  slow = false;
  private readonly waiting: (() => void)[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(public snapshot: StatusSnapshot) {}

  async status(): Promise<StatusSnapshot> {
    this.calls++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      if (this.slow) await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.failure) throw this.failure;
      return this.snapshot;
    } finally {
      this.inFlight--;
    }
  }

  onBatch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends a batch: tells every listener. */
  batch(): void {
    for (const listener of this.listeners) listener();
  }

  /** Lets the pending status() calls answer. */
  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  get listening(): number {
    return this.listeners.size;
  }
}

// --- Reading the element. ---

const settle = async (element: TabstreamMonitor): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await element.updateComplete;
};

async function mount(
  source: StatusSource | undefined,
  attributes: Record<string, string> = {},
): Promise<TabstreamMonitor> {
  const element = document.createElement('tabstream-monitor');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.source = source;
  document.body.append(element);
  await settle(element);
  return element;
}

const root = (element: TabstreamMonitor): ShadowRoot => element.shadowRoot!;
const text = (node: Element | null | undefined): string =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const panelText = (element: TabstreamMonitor): string =>
  text(root(element).querySelector('[role=tabpanel]'));

async function showTab(element: TabstreamMonitor, label: string): Promise<void> {
  const tab = [...root(element).querySelectorAll<HTMLElement>('[role=tab]')].find(
    (candidate) => text(candidate) === label,
  );
  tab!.click();
  await element.updateComplete;
}

async function click(element: TabstreamMonitor, label: string): Promise<void> {
  const button = [...root(element).querySelectorAll<HTMLElement>('[role=tabpanel] button')].find(
    (candidate) => text(candidate) === label,
  );
  expect(button, `a button "${label}"`).to.not.equal(undefined);
  button!.click();
  await element.updateComplete;
}

/** The table whose caption starts with `caption`. */
function table(element: TabstreamMonitor, caption: string): HTMLTableElement {
  const found = [...root(element).querySelectorAll('table')].find((candidate) =>
    text(candidate.caption).startsWith(caption),
  );
  expect(found, `a table "${caption}"`).to.not.equal(undefined);
  return found!;
}

/** The text of each cell of each row of `section`. */
const cells = (table: HTMLTableElement, section: 'thead' | 'tbody' | 'tfoot' = 'tbody') =>
  [...table.querySelectorAll(`${section} tr`)].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => text(cell)),
  );

const selectedTab = (element: TabstreamMonitor): string =>
  text(root(element).querySelector('[role=tab][aria-selected=true]'));

describe('<tabstream-monitor>', () => {
  afterEach(() => document.querySelectorAll('tabstream-monitor').forEach((e) => e.remove()));

  it('Jobs: counts active, completed and failed jobs, then each job with its figures', async () => {
    const element = await mount(new TestSource(busy()));
    const figures = [...root(element).querySelectorAll('.facts div')].map(text);
    expect(figures).to.deep.equal(['Active jobs 1', 'Completed jobs 1', 'Failed jobs 1']);
    const jobs = table(element, 'Jobs (3)');
    expect(cells(jobs, 'thead')[0]).to.deep.equal([
      'Job Id',
      'Description',
      'Group',
      'Submitted',
      'Duration',
      'Stages: Succeeded/Total',
      'Tasks: Succeeded/Total',
      'Status',
    ]);
    expect(cells(jobs)).to.deep.equal([
      [
        '2',
        'count clicks (batch 3)',
        'batch-3',
        '13:04:07',
        '1.5 s',
        '1/2',
        '3/4 (1 running)',
        'Running',
      ],
      [
        '1',
        'count clicks (batch 2)',
        '',
        '13:04:05',
        '100 ms',
        '1/2 (1 skipped)',
        '0/2',
        'Succeeded',
      ],
      [
        '0',
        'collect',
        '',
        '13:04:05',
        '100 ms',
        '0/1',
        '0/2 (2 failed)',
        'Failed Task 0 in stage 0.1 failed: boom',
      ],
    ]);
    const bar = jobs.querySelector<HTMLElement>('tbody tr .progress')!;
    expect(bar.style.getPropertyValue('--done')).to.equal('75%');
    expect(jobs.querySelector('tbody tr th')!.getAttribute('scope')).to.equal('row');
  });

  it('Stages: each attempt with its tasks, records and shuffle bytes', async () => {
    const element = await mount(new TestSource(busy()), { tab: 'stages' });
    const rows = cells(table(element, 'Stages (5)'));
    expect(rows.slice(0, 2)).to.deep.equal([
      [
        '4.0',
        '2',
        'stage 4',
        'Result',
        '13:04:05',
        '900 ms',
        '1/4 (2 running)',
        '0',
        '0',
        '2.0 MiB',
        '0 B',
        'Running',
      ],
      [
        '3.0',
        '2',
        'map at clicks',
        'Shuffle map',
        '13:04:05',
        '1.2 s',
        '3/4 (1 failed)',
        '12,345',
        '40',
        '0 B',
        '1.5 KiB',
        'Succeeded',
      ],
    ]);
    expect(rows.map((row) => row[0])).to.deep.equal(['4.0', '3.0', '1.0', '0.1', '0.0']);
  });

  it("selecting a stage shows its task summary as Spark's stage page does", async () => {
    const element = await mount(new TestSource(busy()), { tab: 'stages' });
    await click(element, '3.0');
    const summary = table(element, 'Summary metrics for 3 completed tasks');
    expect(cells(summary, 'thead')).to.deep.equal([
      ['Metric', 'Min', '25th percentile', 'Median', '75th percentile', 'Max'],
    ]);
    expect(cells(summary)).to.deep.equal([
      ['Duration', '10 ms', '20 ms', '30 ms', '40 ms', '1.2 s'],
      ['Input records', '1,000', '2,000', '3,000', '3,100', '4,245'],
    ]);
    expect(panelText(element)).to.contain('Name map at clicks').and.contain('Tasks 3/4 (1 failed)');
    const here = root(element).querySelector('[aria-current=page]');
    expect(text(here)).to.equal('Stage 3.0');
    expect(root(element).activeElement).to.equal(here);

    await click(element, 'All stages');
    expect(cells(table(element, 'Stages (5)'))).to.have.length(5);
    await click(element, '0.1');
    expect(cells(table(element, 'Summary metrics for 0 completed tasks'))).to.deep.equal([
      ['No task has finished yet.'],
    ]);
  });

  it("a job's id shows that job's stages, and the trail leads back to all", async () => {
    const element = await mount(new TestSource(busy()));
    await click(element, '0');
    expect(element.getAttribute('tab')).to.equal('stages');
    expect(selectedTab(element)).to.equal('Stages');
    const rows = cells(table(element, 'Stages of job 0 (2)'));
    expect(rows.map((row) => row[0])).to.deep.equal(['0.1', '0.0']);
    expect(root(element).activeElement).to.equal(root(element).querySelector('[aria-current]'));

    await click(element, 'All stages');
    expect(cells(table(element, 'Stages (5)'))).to.have.length(5);
    await click(element, '2'); // a stage's job id, in the Job Id column
    expect(cells(table(element, 'Stages of job 2 (2)')).map((row) => row[0])).to.deep.equal([
      '4.0',
      '3.0',
    ]);
  });

  it('Executors: one row per executor, live or dead, and their totals', async () => {
    const element = await mount(new TestSource(busy()), { tab: 'executors' });
    const executors = table(element, 'Executors (3)');
    expect(cells(executors)).to.deep.equal([
      ['driver', 'Active', '0', '2', '0', '300 ms', '100', '0 B', '0 B', '0'],
      ['executor-1', 'Active', '2', '10', '1', '1.0 min', '12,245', '2.0 KiB', '1.5 KiB', '3'],
      ['executor-2', 'Dead', '0', '2', '1', '0 ms', '0', '0 B', '0 B', '0'],
    ]);
    expect(cells(executors, 'tfoot')).to.deep.equal([
      ['Total', '2 active, 1 dead', '2', '14', '2', '1.0 min', '12,345', '2.0 KiB', '1.5 KiB', '3'],
    ]);
  });

  it("Log: each topic's partitions with every group's offset, lag and total lag", async () => {
    const element = await mount(new TestSource(busy()), { tab: 'log' });
    const clicks = table(element, 'Topic clicks (2 partitions)');
    expect(cells(clicks, 'thead')).to.deep.equal([
      [
        'Partition',
        'Log start offset',
        'End offset',
        'Size',
        'Batches',
        'Group counts',
        'Group audit',
      ],
      ['Committed offset', 'Lag', 'Committed offset', 'Lag'],
    ]);
    expect(cells(clicks)).to.deep.equal([
      ['0', '0', '1,200', '2.0 KiB', '3', '1,000', '200', 'none', '1,200'],
      ['1', '10', '50', '512 B', '40', '50', '0', '30', '20'],
    ]);
    expect(cells(clicks, 'tfoot')).to.deep.equal([
      ['Total', '', '', '2.5 KiB', '43', '', '200', '', '1,220'],
    ]);
    const colgroups = clicks.querySelectorAll('th[scope=colgroup]');
    expect([...colgroups].map((th) => th.getAttribute('colspan'))).to.deep.equal(['2', '2']);
    expect(cells(table(element, 'Topic pageviews (1 partition)'))).to.deep.equal([
      ['0', '0', '0', '0 B', '0'],
    ]);
  });

  it('Streaming: state, averages, one chart point per batch, and the batches newest first', async () => {
    const element = await mount(new TestSource(busy()), { tab: 'streaming' });
    const figures = [...root(element).querySelectorAll('.facts div')].map(text);
    expect(figures).to.deep.equal([
      'Status Active',
      'Batch interval 1.0 s',
      'Batches shown 4',
      'Input events 27',
    ]);
    const metrics = [...root(element).querySelectorAll('.metric')];
    expect(
      metrics.map(
        (metric) =>
          text(metric.querySelector('h3') ?? null) + ' ' + text(metric.querySelector('.average')),
      ),
    ).to.deep.equal([
      'Input rate avg 4.1 events/s',
      'Scheduling delay avg 65 ms',
      'Processing time avg 405 ms',
    ]);
    const charts = [...root(element).querySelectorAll('[part~=chart]')];
    expect(charts).to.have.length(3);
    for (const chart of charts) {
      expect(chart.getAttribute('role')).to.equal('img');
      expect(chart.querySelectorAll('svg circle')).to.have.length(4);
    }
    expect(charts[0]!.getAttribute('aria-label')).to.contain('max 10.5 events/s');
    expect(charts[2]!.getAttribute('aria-label')).to.contain('max 1.5 s');
    const [first, highest] = [...charts[0]!.querySelectorAll('circle')];
    expect(first!.getAttribute('cx')).to.equal('0%');
    expect(highest!.getAttribute('cy')).to.equal('0%'); // batch 2: the max, at the top
    const axis = (name: string) => [...charts[0]!.querySelectorAll(`.${name} span`)].map(text);
    expect([axis('y-axis'), axis('x-axis')]).to.deep.equal([
      ['10.5 events/s', '0'],
      ['13:04:06', '13:04:09'],
    ]);
    expect(cells(table(element, 'Last batches'))).to.deep.equal([
      ['4', '13:04:09', '0', '2 ms', '20 ms', '22 ms', '300 B of 3.0 MiB'],
      ['3', '13:04:08', '4', '5 ms', '60 ms', '65 ms', '—'],
      ['2', '13:04:07', '21', '250 ms', '1.5 s', '1.8 s', '—'],
      ['1', '13:04:06', '2', '3 ms', '40 ms', '43 ms', '—'],
    ]);
  });

  it('Sink: its state, figures and last error as text, then each partition shipped and behind', async () => {
    const element = await mount(new TestSource({ ...busy(), sink: sinkStatus() }));
    await showTab(element, 'Sink');
    expect(element.getAttribute('tab')).to.equal('sink');
    expect([...root(element).querySelectorAll('.facts div')].map(text)).to.deep.equal([
      'State Backing off',
      'Requests 1,234',
      'Retries 3',
      'Records shipped 13,395',
      'Lag 201',
    ]);
    const error = root(element).querySelector('[part=sink-error]')!;
    expect(text(error)).to.equal(
      `Last error, at 13:04:09: POST https://proxy.example:8082/topics/clicks: ${HOSTILE}`,
    );
    expect(error.querySelector('img')).to.equal(null);
    const clicks = table(element, 'Topic clicks (2 partitions)');
    expect(cells(clicks, 'thead')).to.deep.equal([
      ['Partition', 'Shipped offset', 'End offset', 'Lag'],
    ]);
    expect(cells(clicks)).to.deep.equal([
      ['0', '1,000', '1,200', '200'],
      ['1', '50', '50', '0'],
    ]);
    expect(cells(clicks, 'tfoot')).to.deep.equal([['Total', '', '', '200']]);
    expect(cells(table(element, 'Topic pageviews (1 partition)'))).to.deep.equal([
      ['0', '12,345', '12,346', '1'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alerts).to.equal(0);
  });

  it('shows the Sink tab only while the snapshot has a sink', async () => {
    const source = new TestSource(busy());
    const element = await mount(source, { refresh: '60000' });
    const tabs = () => [...root(element).querySelectorAll('[role=tab]')].map(text);
    expect(tabs()).to.deep.equal(['Jobs', 'Stages', 'Executors', 'Log', 'Streaming']);
    source.snapshot = { ...busy(), sink: sinkStatus() };
    source.batch();
    await until(() => tabs().includes('Sink'));
    expect(tabs()).to.deep.equal(['Jobs', 'Stages', 'Executors', 'Log', 'Streaming', 'Sink']);
    root(element).querySelector<HTMLElement>('[role=tab]')!.focus();
    await sendKeys({ press: 'End' });
    await element.updateComplete;
    expect(element.tab).to.equal('sink');
    await showTab(element, 'Log');
    source.snapshot = busy();
    source.batch();
    await until(() => !tabs().includes('Sink'));
  });

  it('says why the Sink tab, asked for, has nothing: the site has no sink', async () => {
    const element = await mount(new TestSource(busy()), { tab: 'sink' });
    expect(selectedTab(element)).to.equal('Sink');
    expect(text(root(element).querySelector('[part=message]'))).to.equal(
      'This site ships no events: it has no sink, or the leader tab did not answer.',
    );
  });

  it('names every state of the sink in words, and says when no request failed', async () => {
    const source = new TestSource({ ...busy(), sink: sinkStatus({ lastError: null }) });
    const element = await mount(source, { tab: 'sink', refresh: '60000' });
    expect(text(root(element).querySelector('[part=sink-error]'))).to.equal('No failed requests.');
    const words: Record<SinkState, string> = {
      running: 'Running',
      'waiting-online': 'Waiting for the network',
      'backing-off': 'Backing off',
      'not-allowed': 'Not allowed (privacy)',
      stopped: 'Stopped',
      'stopped-fatal': 'Stopped: error',
    };
    for (const [state, word] of Object.entries(words)) {
      source.snapshot = { ...busy(), sink: sinkStatus({ state: state as SinkState }) };
      source.batch();
      await until(() => text(root(element).querySelector('.facts div')) === `State ${word}`);
    }
  });

  describe('at narrow widths (DevTools docked at 554 px, a phone at 360 px)', () => {
    /** Each view, how to reach it, and the columns it must show at any width. */
    const VIEWS: readonly (readonly [string, (e: TabstreamMonitor) => Promise<void>, string[]])[] =
      [
        [
          'Jobs',
          (e) => showTab(e, 'Jobs'),
          ['Job Id', 'Description', 'Tasks: Succeeded/Total', 'Status'],
        ],
        [
          'Stages',
          (e) => showTab(e, 'Stages'),
          ['Stage Id', 'Name', 'Tasks: Succeeded/Total', 'Status'],
        ],
        [
          'the stage page',
          async (e) => {
            await showTab(e, 'Stages');
            await click(e, '3.0');
          },
          ['Metric', 'Median', 'Max'],
        ],
        ['Executors', (e) => showTab(e, 'Executors'), ['Executor ID', 'Status', 'Completed tasks']],
        ['Log', (e) => showTab(e, 'Log'), ['Partition', 'End offset', 'Committed offset', 'Lag']],
        ['Streaming', (e) => showTab(e, 'Streaming'), ['Batch', 'Input events', 'Total delay']],
        ['Sink', (e) => showTab(e, 'Sink'), ['Partition', 'Shipped offset', 'End offset', 'Lag']],
      ];
    const inside = (box: DOMRect, outer: DOMRect) =>
      box.left >= outer.left - 0.5 && box.right <= outer.right + 0.5;
    const shown = (cell: Element) => getComputedStyle(cell).display !== 'none';

    for (const width of [554, 530, 360]) {
      it(`fits every view in ${width} px: the first and the key columns in view, the rest hidden or scrolled`, async () => {
        const element = await mount(new TestSource({ ...busy(), sink: sinkStatus() }));
        element.style.width = `${width}px`;
        for (const [view, go, keys] of VIEWS) {
          await go(element);
          const host = element.getBoundingClientRect();
          // Nothing sticks out of the element but inside a scroll container of its own.
          expect(element.scrollWidth, view).to.be.at.most(element.clientWidth);
          for (const part of root(element).querySelectorAll('*')) {
            if (part.getBoundingClientRect().right <= host.right + 0.5) continue;
            const scroller = part.closest('.scroll, [role=tablist]');
            expect(scroller, `${view}: ${part.outerHTML.slice(0, 80)}`).to.not.equal(null);
            expect(inside(scroller!.getBoundingClientRect(), host), view).to.equal(true);
          }
          for (const table of root(element).querySelectorAll('table')) {
            const firsts = [
              ...table.querySelectorAll(
                ':is(thead tr:first-child, tbody tr, tfoot tr) > :first-child',
              ),
            ];
            for (const cell of firsts)
              expect(inside(cell.getBoundingClientRect(), host), `${view}: ${text(cell)}`).to.equal(
                true,
              );
          }
          const headers = [...root(element).querySelectorAll('thead th')];
          for (const key of keys) {
            // A consumer group's columns come once per group: the first group's must show,
            // the others may scroll (two groups are more than 360 px of figures).
            const th = headers.find((header) => text(header) === key);
            expect(th, `${view}: ${key}`).to.not.equal(undefined);
            expect(shown(th!), `${view}: ${key} shown`).to.equal(true);
            expect(inside(th!.getBoundingClientRect(), host), `${view}: ${key} in view`).to.equal(
              true,
            );
          }
        }
      });
    }

    it('hides the least important columns first, and keeps the first column as the rest scrolls', async () => {
      const element = await mount(new TestSource(busy()));
      const jobs = () =>
        [...table(element, 'Jobs').querySelectorAll('thead th')].filter(shown).map(text);
      element.style.width = '900px';
      await element.updateComplete;
      expect(jobs()).to.have.length(8);
      element.style.width = '554px';
      expect(jobs()).to.deep.equal([
        'Job Id',
        'Description',
        'Duration',
        'Tasks: Succeeded/Total',
        'Status',
      ]);
      element.style.width = '360px';
      expect(jobs()).to.deep.equal(['Job Id', 'Description', 'Tasks: Succeeded/Total', 'Status']);
      // Narrower than even the key columns: they scroll, under the first, which stays.
      element.style.width = '200px';
      const scroller = table(element, 'Jobs').closest('.scroll')!;
      expect(scroller.scrollWidth).to.be.above(scroller.clientWidth);
      scroller.scrollLeft = scroller.scrollWidth;
      const first = table(element, 'Jobs').querySelector('tbody th')!;
      expect(first.getBoundingClientRect().left).to.be.closeTo(
        scroller.getBoundingClientRect().left,
        1,
      );
      expect(element.scrollWidth).to.be.at.most(element.clientWidth);
    });
  });

  it('switches tabs by click: one tab selected, its panel shown, `tab` reflected', async () => {
    const element = await mount(new TestSource(busy()));
    await showTab(element, 'Executors');
    expect(element.getAttribute('tab')).to.equal('executors');
    const tabs = [...root(element).querySelectorAll('[role=tab]')];
    expect(tabs.map((tab) => tab.getAttribute('aria-selected'))).to.deep.equal([
      'false',
      'false',
      'true',
      'false',
      'false',
    ]);
    expect(tabs.map((tab) => tab.getAttribute('tabindex'))).to.deep.equal([
      '-1',
      '-1',
      '0',
      '-1',
      '-1',
    ]);
    const panel = root(element).querySelector('[role=tabpanel]')!;
    expect(panel.getAttribute('aria-labelledby')).to.equal(tabs[2]!.id);
    expect(tabs[2]!.getAttribute('aria-controls')).to.equal(panel.id);
    expect(root(element).querySelectorAll('table')).to.have.length(1);
    table(element, 'Executors');
  });

  it('moves between tabs with the arrow keys, Home and End', async () => {
    const element = await mount(new TestSource(busy()));
    root(element).querySelector<HTMLElement>('[role=tab]')!.focus();
    const focused = () => text(root(element).activeElement);
    const press = async (key: string) => {
      await sendKeys({ press: key });
      await element.updateComplete;
    };
    await press('ArrowRight');
    expect([selectedTab(element), focused()]).to.deep.equal(['Stages', 'Stages']);
    table(element, 'Stages');
    await press('ArrowLeft');
    await press('ArrowLeft');
    expect([selectedTab(element), focused()]).to.deep.equal(['Streaming', 'Streaming']);
    await press('ArrowRight');
    expect([selectedTab(element), focused()]).to.deep.equal(['Jobs', 'Jobs']);
    await press('End');
    expect(element.tab).to.equal('streaming');
    await press('Home');
    expect([element.tab, focused()]).to.deep.equal(['jobs', 'Jobs']);
  });

  it('starts on the tab its `tab` attribute names, and on Jobs for an unknown one', async () => {
    const element = await mount(new TestSource(busy()), { tab: 'log' });
    expect(selectedTab(element)).to.equal('Log');
    element.setAttribute('tab', 'nonsense');
    await element.updateComplete;
    await element.updateComplete;
    expect([selectedTab(element), element.getAttribute('tab')]).to.deep.equal(['Jobs', 'jobs']);
  });

  it('says the job runs in another tab when the engine did not answer; Log and Streaming work', async () => {
    const element = await mount(new TestSource({ ...busy(), engine: null }));
    const remote = 'The streaming job runs in another tab, which did not answer.';
    for (const tab of ['Jobs', 'Stages', 'Executors']) {
      await showTab(element, tab);
      expect(text(root(element).querySelector('[part=message]'))).to.equal(remote);
      expect(root(element).querySelector('table')).to.equal(null);
    }
    await showTab(element, 'Log');
    table(element, 'Topic clicks');
    await showTab(element, 'Streaming');
    expect(root(element).querySelectorAll('svg circle')).to.have.length(12);
  });

  it('shows an empty state on every tab', async () => {
    const element = await mount(new TestSource(empty()));
    const shown: Record<string, string> = {};
    for (const tab of ['Jobs', 'Stages', 'Executors', 'Log', 'Streaming']) {
      await showTab(element, tab);
      shown[tab] = text(root(element).querySelector('.empty, [part=message]'));
    }
    expect(shown).to.deep.equal({
      Jobs: 'No jobs yet.',
      Stages: 'No stages yet.',
      Executors: 'No executors yet.',
      Log: 'No topics yet.',
      Streaming: 'No batches yet.',
    });
    expect(root(element).querySelector('svg')).to.equal(null);
  });

  it('shows why a refresh failed, logs it once, and recovers', async () => {
    const source = new TestSource(busy());
    source.failure = new Error('the leader went away');
    const logged: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const element = await mount(source, { refresh: '20' });
      await until(() => source.calls >= 4);
      await element.updateComplete;
      const error = root(element).querySelector('[part=error]');
      expect(text(error)).to.equal('Could not read the status: the leader went away');
      expect(error!.getAttribute('role')).to.equal('alert');
      expect(logged).to.have.length(1);
      expect(logged[0]![1]).to.equal(source.failure);
      source.failure = null;
      await until(() => root(element).querySelector('[part=error]') === null);
      table(element, 'Jobs (3)');
    } finally {
      console.error = consoleError;
    }
  });

  it('renders hostile names and messages as text, never as markup', async () => {
    const snapshot = busy();
    const hostile: StatusSnapshot = {
      ...snapshot,
      engine: {
        ...snapshot.engine!,
        jobs: [
          job(7, {
            description: HOSTILE,
            group: HOSTILE,
            status: 'failed',
            failureReason: HOSTILE,
          }),
        ],
        stages: [stage(9, 7, { name: HOSTILE, status: 'failed', failureReason: HOSTILE })],
      },
      log: [
        {
          topic: HOSTILE,
          partitions: [
            {
              partition: 0,
              logStartOffset: 0,
              highWatermark: 1,
              bytes: 1,
              batches: 1,
              groups: [{ group: HOSTILE, offset: 0, lag: 1 }],
            },
          ],
        } satisfies TopicStatus,
      ],
    };
    const element = await mount(new TestSource(hostile));
    const noMarkup = () => expect(root(element).querySelector('img')).to.equal(null);
    expect(cells(table(element, 'Jobs'))[0]!.slice(1, 3)).to.deep.equal([HOSTILE, HOSTILE]);
    expect(cells(table(element, 'Jobs'))[0]![7]).to.equal(`Failed ${HOSTILE}`);
    noMarkup();
    await showTab(element, 'Stages');
    expect(cells(table(element, 'Stages'))[0]![2]).to.equal(HOSTILE);
    noMarkup();
    await click(element, '9.0');
    expect(panelText(element)).to.contain(`Name ${HOSTILE}`);
    noMarkup();
    await showTab(element, 'Log');
    expect(text(table(element, 'Topic').caption)).to.equal(`Topic ${HOSTILE} (1 partition)`);
    expect(cells(table(element, 'Topic'), 'thead')[0]).to.contain(`Group ${HOSTILE}`);
    noMarkup();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alerts).to.equal(0);
  });

  it('refreshes right after each batch', async () => {
    const source = new TestSource(empty());
    const element = await mount(source, { refresh: '60000' });
    expect(cells(table(element, 'Jobs'))).to.deep.equal([['No jobs yet.']]);
    source.snapshot = busy();
    source.batch();
    await settle(element);
    expect(cells(table(element, 'Jobs (3)'))).to.have.length(3);
    expect(source.calls).to.equal(2);
  });

  it('refreshes every `refresh` ms', async () => {
    const source = new TestSource(empty());
    const element = await mount(source, { refresh: '30' });
    source.snapshot = busy();
    await until(() => root(element).querySelector('tbody tr th button') !== null, 2000);
    await until(() => source.calls >= 4, 2000);
  });

  it('never asks while an answer is pending, and asks once more for the batches meanwhile', async () => {
    const source = new TestSource(empty());
    source.slow = true;
    const element = await mount(source, { refresh: '10' });
    await new Promise((resolve) => setTimeout(resolve, 100)); // ten ticks
    expect(source.calls).to.equal(1);
    expect(panelText(element)).to.equal('Loading…');
    element.refresh = 60000; // from here on, only batches ask
    await element.updateComplete;
    source.batch();
    source.batch();
    expect(source.calls).to.equal(1);
    source.snapshot = busy();
    source.release();
    await until(() => source.calls === 2);
    source.release();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([source.calls, source.maxInFlight]).to.deep.equal([2, 1]);
    table(element, 'Jobs (3)');
  });

  it('waits for window.tabstream to appear, then follows it', async () => {
    const element = await mount(undefined, { refresh: '20' });
    expect(panelText(element)).to.equal('Waiting for tabstream to load…');
    const source = new TestSource(busy());
    (globalThis as { tabstream?: StatusSource }).tabstream = source;
    try {
      await until(() => root(element).querySelector('table') !== null, 2000);
      table(element, 'Jobs (3)');
      expect(source.listening).to.equal(1);
    } finally {
      delete (globalThis as { tabstream?: StatusSource }).tabstream;
    }
  });

  it('reads once while the document is hidden, refreshes no more, and does when shown again', async () => {
    let hidden = true;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    try {
      const source = new TestSource(busy());
      const element = await mount(source, { refresh: '10' });
      await settle(element);
      expect(source.calls).to.equal(1); // what it shows when the page is shown
      source.batch();
      document.dispatchEvent(new Event('visibilitychange')); // hidden again: nothing to show
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(source.calls).to.equal(1);
      hidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
      await settle(element);
      expect(source.calls).to.be.greaterThan(1);
      table(element, 'Jobs (3)');
    } finally {
      delete (document as { hidden?: boolean }).hidden;
    }
  });

  it('stops asking and listening once removed from the page', async () => {
    const source = new TestSource(busy());
    const element = await mount(source, { refresh: '10' });
    expect(source.listening).to.equal(1);
    element.remove();
    const calls = source.calls;
    source.batch();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([source.calls, source.listening]).to.deep.equal([calls, 0]);
  });
});
