// The ES module entry, for bundlers: the same API as window.tabstream, started by `init`.
export { init } from './api';
export type { Counts, Tabstream, TabstreamConfig } from './api';
export { defineElements, TabstreamCounts } from './ui';
export type { CountsSource } from './ui';
export { VERSION } from './version';
