import { TabstreamCounts } from './counts';
import { TabstreamMonitor } from './monitor';

export { TabstreamCounts } from './counts';
export type { CountsSource } from './counts';
export { TabstreamMonitor } from './monitor';
export { showMonitor, showPanel } from './panel';

/** Defines tabstream's elements, once: `<tabstream-counts>` and `<tabstream-monitor>`. */
export function defineElements(): void {
  if (!customElements.get('tabstream-counts'))
    customElements.define('tabstream-counts', TabstreamCounts);
  if (!customElements.get('tabstream-monitor'))
    customElements.define('tabstream-monitor', TabstreamMonitor);
}
