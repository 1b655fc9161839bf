// <tabstream-funnel> (the bars) and <tabstream-funnel-explorer> (the step list editor) in real
// Chromium.
import { expect } from 'chai';
import type { Funnel, FunnelOptions, FunnelStepResult } from '../../src/funnels';
import { defineElements, type FunnelSource, type TabstreamFunnel } from '../../src/ui';

defineElements();

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Hand-computed: 20 entered, 10 viewed a product (optional), 8 added to the cart, 2 bought. */
const FUNNEL: Funnel = {
  entered: 20,
  steps: [
    {
      step: 0,
      name: 'Home',
      optional: false,
      count: 20,
      conversion: 1,
      fromPrevious: 1,
      dropOff: 0,
    },
    {
      step: 1,
      name: HOSTILE,
      optional: true,
      count: 10,
      conversion: 0.5,
      fromPrevious: 0.5,
      dropOff: 0,
    },
    {
      step: 2,
      name: 'Cart',
      optional: false,
      count: 8,
      conversion: 0.4,
      fromPrevious: 0.4,
      dropOff: 12,
    },
    {
      step: 3,
      name: 'Buy',
      optional: false,
      count: 2,
      conversion: 0.1,
      fromPrevious: 0.25,
      dropOff: 6,
    },
  ],
};

const rows = (root: ShadowRoot) => [...root.querySelectorAll<HTMLElement>('[part="step"]')];

async function bars(data: Funnel): Promise<TabstreamFunnel> {
  const element = document.createElement('tabstream-funnel');
  element.data = data;
  element.style.width = '500px';
  document.body.append(element);
  await element.updateComplete;
  return element;
}

/**
 * A funnel source that computes from sessions given as lists of pages (each step a page glob
 * without wildcards here, or an OR of them): enough to check what the editor asks for.
 */
class SessionsSource implements FunnelSource {
  asked: FunnelOptions[] = [];
  constructor(private readonly sessions: readonly (readonly string[])[]) {}
  funnel(options: FunnelOptions): Promise<Funnel> {
    this.asked.push(options);
    const matches = (step: FunnelOptions['steps'][number], page: string) =>
      (Array.isArray(step.match) ? step.match : [step.match]).some(
        (m: { page?: string }) => m.page === page,
      );
    const reached = options.steps.map(
      (step) => this.sessions.filter((pages) => pages.some((page) => matches(step, page))).length,
    );
    const first = reached[0] ?? 0;
    const steps: FunnelStepResult[] = options.steps.map((step, i) => ({
      step: i,
      name: step.name ?? `Step ${i + 1}`,
      optional: step.optional ?? false,
      count: reached[i]!,
      conversion: first ? reached[i]! / first : 0,
      fromPrevious: i === 0 ? 1 : reached[i - 1] ? reached[i]! / reached[i - 1]! : 0,
      dropOff: i === 0 ? 0 : reached[i - 1]! - reached[i]!,
    }));
    return Promise.resolve({ entered: first, steps });
  }
}

describe('<tabstream-funnel>', () => {
  afterEach(() =>
    document
      .querySelectorAll('tabstream-funnel, tabstream-funnel-explorer')
      .forEach((e) => e.remove()),
  );

  it('draws a bar per step, as long as its conversion, with its figures', async () => {
    const element = await bars(FUNNEL);
    const shown = rows(element.shadowRoot!);
    expect(shown).to.have.length(4);
    const widths = shown.map(
      (row) => row.querySelector<HTMLElement>('[part="bar"]')!.getBoundingClientRect().width,
    );
    const track = shown[0]!.querySelector('.track')!.getBoundingClientRect().width;
    expect(widths.map((w) => w / track)).to.deep.equal(FUNNEL.steps.map((s) => s.conversion));
    expect(shown[3]!.textContent)
      .to.contain('10.0% of the first step')
      .and.contain('25.0% from the previous')
      .and.contain('6 dropped off');
    expect(shown[0]!.querySelector('.drop'), 'no drop-off at the first step').to.equal(null);
  });

  it('marks optional steps, and renders names as text', async () => {
    const element = await bars(FUNNEL);
    const shown = rows(element.shadowRoot!);
    expect(shown.map((row) => row.classList.contains('optional'))).to.deep.equal([
      false,
      true,
      false,
      false,
    ]);
    expect(shown[1]!.textContent).to.contain('(optional)').and.contain(HOSTILE);
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
  });
});

describe('<tabstream-funnel-explorer>', () => {
  afterEach(() =>
    document.querySelectorAll('tabstream-funnel-explorer').forEach((e) => e.remove()),
  );

  const type = (input: HTMLInputElement, text: string) => {
    input.value = text;
    input.dispatchEvent(new Event('input'));
  };

  it('asks for the steps it is given (OR, optional, window) and shows the bars', async () => {
    const source = new SessionsSource([['/', '/a', '/buy'], ['/', '/b'], ['/', '/a'], ['/x']]);
    const element = document.createElement('tabstream-funnel-explorer');
    element.source = source;
    document.body.append(element);
    await element.updateComplete;
    const root = element.shadowRoot!;
    const button = (text: string) =>
      [...root.querySelectorAll('button')].find((b) => b.textContent.trim() === text)!;
    button('Add a step').click();
    await element.updateComplete;
    const steps = () => [...root.querySelectorAll('li.step')];
    expect(steps()).to.have.length(3);
    type(steps()[0]!.querySelector('.match input')!, '/');
    // Step 2: /a OR /b, optional.
    steps()[1]!.querySelector<HTMLButtonElement>('button.or')!.click();
    await element.updateComplete;
    const [a, b] = steps()[1]!.querySelectorAll<HTMLInputElement>('.match input');
    type(a!, '/a');
    type(b!, '/b');
    const optional = steps()[1]!.querySelector<HTMLInputElement>('input.optional')!;
    optional.checked = true;
    optional.dispatchEvent(new Event('change'));
    type(steps()[2]!.querySelector('.match input')!, '/buy');
    type(root.querySelector<HTMLInputElement>('input[name="window"]')!, '30');
    await element.updateComplete;
    button('Show the funnel').click();
    const bars = await new Promise<TabstreamFunnel>((resolve) => {
      const look = () => {
        const found = root.querySelector('tabstream-funnel');
        if (found) resolve(found);
        else requestAnimationFrame(look);
      };
      look();
    });
    expect(source.asked).to.deep.equal([
      {
        steps: [
          { match: { page: '/' } },
          { match: [{ page: '/a' }, { page: '/b' }], optional: true },
          { match: { page: '/buy' } },
        ],
        window: 30 * 60_000,
        by: 'session',
      },
    ]);
    await bars.updateComplete;
    expect(
      rows(bars.shadowRoot!).map((row) => row.querySelector('strong')!.textContent),
    ).to.deep.equal(['1. Step 1', '2. Step 2', '3. Step 3']);
    expect(bars.data!.steps.map((s) => s.count)).to.deep.equal([3, 3, 1]);
  });

  it('says why when no step has a match, and asks nothing', async () => {
    const source = new SessionsSource([]);
    const element = document.createElement('tabstream-funnel-explorer');
    element.source = source;
    document.body.append(element);
    await element.updateComplete;
    element.shadowRoot!.querySelector('form')!.requestSubmit();
    await element.updateComplete;
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain(
      'at least one step',
    );
    expect(source.asked).to.have.length(0);
  });
});
