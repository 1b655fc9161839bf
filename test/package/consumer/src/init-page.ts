// A page that calls `init` alone (no `tabstream/elements`): the elements must not load with the
// import, and must be defined, and the panel shown, once the core has loaded in idle time. Its
// outcome goes to `document.title` as JSON.
import { init } from 'tabstream';

async function main(): Promise<unknown> {
  const tab = init({ log: 'consumer-init-log', panel: true });
  // Lit's elements register their versions here when loaded.
  const litAtInit = 'litElementVersions' in globalThis;
  await tab.ready;
  await Promise.all([
    customElements.whenDefined('tabstream-counts'),
    customElements.whenDefined('tabstream-monitor'),
  ]);
  const shown = document.querySelector('tabstream-counts');
  return { litAtInit, panelShown: shown?.shadowRoot != null };
}

main().then(
  (result) => (document.title = JSON.stringify({ result })),
  (error: unknown) => (document.title = JSON.stringify({ error: String(error) })),
);
