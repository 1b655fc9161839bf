import type { EngineContext } from '../engine';
import type { Funnel, FunnelOptions } from './types';

// CONTRACT STUB (issue 20): replaced by the funnels engineer.
export function funnel(context: EngineContext, options: FunnelOptions): Promise<Funnel> {
  throw new Error(`not yet: funnel ${context.log} ${JSON.stringify(options)}`);
}
