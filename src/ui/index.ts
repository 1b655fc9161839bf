import { TabstreamCounts } from './counts';

export { TabstreamCounts } from './counts';
export type { CountsSource } from './counts';
export { showMonitor } from './overlay';
export { showPanel } from './panel';

/** Defines tabstream's elements, once: `<tabstream-counts>`. */
export function defineElements(): void {
  if (!customElements.get('tabstream-counts'))
    customElements.define('tabstream-counts', TabstreamCounts);
}
