export { engineStatus, lastAttempts } from './engine-status';
export type { EngineState } from './engine-status';
export { logStatus } from './log-status';
export { checkedSnapshot } from './check-snapshot';
export { quantiles } from './quantiles';
export type * from './snapshot';
