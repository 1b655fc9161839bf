import { TabstreamCounts } from './counts';
import { TabstreamMonitor } from './monitor';
import { TabstreamSql } from './sql';

export { TabstreamCounts } from './counts';
export type { CountsSource } from './counts';
export { TabstreamMonitor } from './monitor';
export { showMonitor, showPanel } from './panel';
export { TabstreamSql } from './sql';
export type { SqlResult, SqlSource, SqlStream } from './sql';

/**
 * Defines tabstream's elements, once: `<tabstream-counts>`, `<tabstream-monitor>` and the
 * `<tabstream-sql>` of its SQL tab.
 */
export function defineElements(): void {
  if (!customElements.get('tabstream-counts'))
    customElements.define('tabstream-counts', TabstreamCounts);
  if (!customElements.get('tabstream-monitor'))
    customElements.define('tabstream-monitor', TabstreamMonitor);
  if (!customElements.get('tabstream-sql')) customElements.define('tabstream-sql', TabstreamSql);
}
