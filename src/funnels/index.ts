export { funnel } from './funnel';
export { FunnelOptionsError } from './steps';
export { FUNNEL_TASK } from './tasks';
export { parseStep } from './step-language';
export type { Funnel, FunnelOptions, FunnelStep, FunnelStepResult, StepMatch } from './types';
import './sql-function';
