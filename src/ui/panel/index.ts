// What tabstream shows over a page: the floating counts panel (`data-panel`) and the monitor
// overlay (`tabstream.monitor()`).
export { showMonitor } from './overlay';
export { showPanel } from './panel';
export type { AnalyticsSources, PanelView } from './views';
