import { expect } from 'chai';
import type { StatusSnapshot, StatusSource } from '../../../src/status';
import { TabstreamMonitor } from '../../../src/ui/monitor/monitor';
import { until } from '../helpers';

if (!customElements.get('tabstream-monitor'))
  customElements.define('tabstream-monitor', TabstreamMonitor);

const snapshot = (fields: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  takenAt: Date.now(),
  engine: { jobs: [], stages: [], executors: [] },
  log: [],
  streaming: { batchIntervalMs: 1000, active: true, batches: [] },
  damage: { count: 0, recent: [] },
  ...fields,
});

/** A source that answers `answer` (whatever it is) to every status(). */
const sourceOf = (answer: unknown): StatusSource => ({
  status: () => Promise.resolve(answer as StatusSnapshot),
});

async function mount(source: StatusSource, tab = 'jobs'): Promise<TabstreamMonitor> {
  const element = document.createElement('tabstream-monitor');
  element.setAttribute('tab', tab);
  element.source = source;
  document.body.append(element);
  await until(() => !element.shadowRoot!.textContent.includes('Loading'));
  await element.updateComplete;
  return element;
}

const text = (element: TabstreamMonitor): string =>
  element.shadowRoot!.textContent.replace(/\s+/g, ' ');

describe('faults: a status source that answers a malformed status', () => {
  let error: typeof console.error;
  beforeEach(() => {
    error = console.error;
    console.error = () => {};
  });
  afterEach(() => {
    console.error = error;
    document.querySelectorAll('tabstream-monitor').forEach((e) => e.remove());
  });

  const malformed: [string, unknown, RegExp][] = [
    ['null', null, /it is no object/],
    ['an empty object', {}, /takenAt is no time/],
    ['a string time', { ...snapshot(), takenAt: 'now' }, /takenAt is no time/],
    ['no log list', { ...snapshot(), log: 5 }, /log is no list/],
    ['no batches', { ...snapshot(), streaming: {} }, /no list of batches/],
    ['an engine of no lists', { ...snapshot(), engine: { jobs: 1 } }, /engine has no lists/],
    ['no damage count', { ...snapshot(), damage: null }, /damage has no count/],
  ];
  /** A sink's status that passes, for the malformed ones below to break one field of. */
  const sink = {
    state: 'running',
    partitions: [{ topic: 'clicks', partition: 0, shipped: 1, highWatermark: 2, lag: 1 }],
    requests: 1,
    retries: 0,
    recordsShipped: 1,
    lastError: null,
  };
  const withSink = (fields: Record<string, unknown>) => ({
    ...snapshot(),
    sink: { ...sink, ...fields },
  });
  const partition = (fields: Record<string, unknown>) =>
    withSink({ partitions: [{ ...sink.partitions[0], ...fields }] });
  const malformedSinks: [string, unknown, RegExp][] = [
    ['a sink that is a string', { ...snapshot(), sink: 'running' }, /sink is no object/],
    ['a sink of an unknown state', withSink({ state: '<b>on</b>' }), /sink has no known state/],
    ['a string count of requests', withSink({ requests: '1' }), /sink's requests is no count/],
    ['an infinite count of retries', withSink({ retries: Infinity }), /sink's retries is no count/],
    [
      'a NaN count of records shipped',
      withSink({ recordsShipped: NaN }),
      /sink's recordsShipped is no count/,
    ],
    ['no list of partitions', withSink({ partitions: {} }), /sink has no list of partitions/],
    [
      'a huge list of partitions',
      withSink({ partitions: Array(1001).fill(sink.partitions[0]) }),
      /sink has more than 1000 partitions/,
    ],
    ['a partition that is null', withSink({ partitions: [null] }), /a partition without/],
    ['a partition of no topic', partition({ topic: 7 }), /a partition without a topic/],
    ['a huge topic', partition({ topic: 'x'.repeat(10_001) }), /a partition without a topic/],
    ['a negative shipped offset', partition({ shipped: -1 }), /a partition without/],
    ['an infinite lag', partition({ lag: -Infinity }), /a partition without/],
    ['a string end offset', partition({ highWatermark: '2' }), /a partition without/],
    ['no last error', withSink({ lastError: undefined }), /last error has no message/],
    [
      'a last error of an object message',
      withSink({ lastError: { message: { toString: () => 'x' }, at: 1 } }),
      /last error has no message/,
    ],
    [
      'a huge last error',
      withSink({ lastError: { message: 'x'.repeat(10_001), at: 1 } }),
      /last error has no message/,
    ],
    [
      'a last error of no time',
      withSink({ lastError: { message: 'HTTP 500', at: 'now' } }),
      /last error has no time/,
    ],
  ];
  for (const [what, answer, said] of [...malformed, ...malformedSinks]) {
    it(`says why, not "Loading…", for ${what}`, async () => {
      const element = await mount(sourceOf(answer));
      const alert = element.shadowRoot!.querySelector('[role="alert"]');
      expect(alert?.textContent).to.match(/Could not read the status: the status is malformed/);
      expect(alert?.textContent).to.match(said);
    });
  }

  it('shows a sink that is well formed, on its tab', async () => {
    const element = await mount(
      sourceOf(withSink({ lastError: { message: 'HTTP 500', at: Date.now() } })),
      'sink',
    );
    expect(element.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(text(element)).to.match(/Last error, at [\d:]+: HTTP 500/);
  });

  it('says why for a job that is null, and the other tabs still show', async () => {
    const element = await mount(
      sourceOf(snapshot({ engine: { jobs: [null as never], stages: [], executors: [] } })),
    );
    expect(text(element)).to.match(/Could not show the status/);
    element.setAttribute('tab', 'streaming');
    await element.updateComplete;
    expect(text(element)).not.to.match(/Could not show the status/);
  });
});

describe('the damage found in storage, on the Log tab', () => {
  afterEach(() => document.querySelectorAll('tabstream-monitor').forEach((e) => e.remove()));

  it('is counted and named, as text', async () => {
    const damage = {
      count: 3,
      recent: [
        {
          database: 'tabstream',
          store: 'partitions',
          at: 'clicks-0',
          problem: '<b>highWatermark</b> is a string',
        },
      ],
    };
    const element = await mount(sourceOf(snapshot({ damage })), 'log');
    const part = element.shadowRoot!.querySelector('[part="damage"]')!;
    expect(part.textContent).to.match(/Damage found in storage: 3/);
    expect(part.textContent).to.include(
      'tabstream / partitions / clicks-0: <b>highWatermark</b> is a string',
    );
    expect(part.querySelector('b')).to.equal(null);
  });

  it('says there is none', async () => {
    const element = await mount(sourceOf(snapshot()), 'log');
    expect(element.shadowRoot!.querySelector('[part="damage"]')!.textContent).to.match(
      /No damage found in storage/,
    );
  });
});
