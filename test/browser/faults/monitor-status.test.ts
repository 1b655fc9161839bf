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
  for (const [what, answer, said] of malformed) {
    it(`says why, not "Loading…", for ${what}`, async () => {
      const element = await mount(sourceOf(answer));
      const alert = element.shadowRoot!.querySelector('[role="alert"]');
      expect(alert?.textContent).to.match(/Could not read the status: the status is malformed/);
      expect(alert?.textContent).to.match(said);
    });
  }

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
