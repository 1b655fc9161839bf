// The npm package's `tabstream/elements` (dist/elements.mjs): importing it defines
// <tabstream-counts> and <tabstream-monitor>. Apart from the main entry, which must import
// where there is no DOM (Node, a worker): Lit's element classes need one when they are evaluated.
import { defineElements, type TabstreamCounts, type TabstreamMonitor } from '../ui';

defineElements();

export { defineElements, TabstreamCounts, TabstreamMonitor } from '../ui';
export type { CountsSource } from '../ui';

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-counts': TabstreamCounts;
    'tabstream-monitor': TabstreamMonitor;
  }
}
