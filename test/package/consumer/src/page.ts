// A page: the elements, typed through HTMLElementTagNameMap, the tab's pipeline started by
// `init`, and the log in a module worker. Its outcome goes to `document.title` as JSON.
import { init, type Tabstream } from 'tabstream';
import { defineElements, TabstreamCounts, type CountsSource } from 'tabstream/elements';
import { useLog } from './use-log.js';

declare global {
  interface Window {
    tabstream?: Tabstream;
  }
}

/** The worker's result, or its failure. */
function inWorker(): Promise<unknown> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.addEventListener(
      'message',
      (event: MessageEvent<{ result?: unknown; error?: string }>) =>
        event.data.error ? reject(new Error(event.data.error)) : resolve(event.data.result),
    );
    worker.addEventListener('error', (event) => reject(new Error(event.message)));
  });
}

/** Never called: the tag map must type each tag as its own class, not `any`. */
export function typedTags(): TabstreamCounts {
  // @ts-expect-error: <tabstream-monitor> is a TabstreamMonitor, not a TabstreamCounts
  return document.createElement('tabstream-monitor');
}

async function main(): Promise<unknown> {
  defineElements(); // already defined by the import: must be harmless
  const counts: TabstreamCounts = document.createElement('tabstream-counts');
  counts.by = 'target';
  const source: CountsSource | undefined = counts.source;
  document.body.append(counts);
  const monitor = document.createElement('tabstream-monitor');
  monitor.tab = 'log';
  document.body.append(monitor);

  const tab = (window.tabstream = init({ log: 'consumer-page-log', panel: false }));
  await tab.ready;
  const link = Object.assign(document.createElement('a'), { href: '#clicked', textContent: 'x' });
  document.body.append(link);
  link.click();
  await tab.flush();
  return {
    elements: {
      counts: counts instanceof TabstreamCounts && counts.shadowRoot !== null,
      monitor: customElements.get('tabstream-monitor') === monitor.constructor,
      sourceBefore: source ?? null,
    },
    clicks: Object.values(await tab.counts()).reduce((a, b) => a + b, 0),
    page: await useLog('consumer-page-orders'),
    worker: await inWorker(),
  };
}

main().then(
  (result) => (document.title = JSON.stringify({ result })),
  (error: unknown) => (document.title = JSON.stringify({ error: String(error) })),
);
