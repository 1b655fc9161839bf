export { funnel } from './funnel';
export type { Funnel, FunnelOptions, FunnelStep, FunnelStepResult, StepMatch } from './types';
