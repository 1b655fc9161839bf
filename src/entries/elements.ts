// The npm package's `tabstream/elements`: importing it defines <tabstream-counts>,
// <tabstream-monitor> and <tabstream-sql> (the monitor's SQL tab). Apart from the main entry, which imports without Lit. Built twice (see
// vite.config.ts): dist/elements.mjs for a page, or a worker, where its classes exist but there
// is no element registry to define them in; dist/elements.server.mjs for a server, where they are
// defined in the registry of Lit's DOM shim.
import {
  defineElements,
  type TabstreamCounts,
  type TabstreamMonitor,
  type TabstreamSql,
} from '../ui';

if (globalThis.customElements) defineElements();

export { defineElements, TabstreamCounts, TabstreamMonitor, TabstreamSql } from '../ui';
export type { CountsSource, SqlResult, SqlSource, SqlStream } from '../ui';

declare global {
  interface HTMLElementTagNameMap {
    'tabstream-counts': TabstreamCounts;
    'tabstream-monitor': TabstreamMonitor;
    'tabstream-sql': TabstreamSql;
  }
}
