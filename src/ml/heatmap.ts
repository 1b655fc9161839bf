import type { EngineContext } from '../engine';
import type { Band, Heatmap, HeatmapOptions } from './types';

// CONTRACT STUB (issue 20): replaced by the ml engineer.
export function bandOf(viewportWidth: number): Band {
  return viewportWidth < 768 ? 'mobile' : viewportWidth < 1024 ? 'tablet' : 'desktop';
}

export function heatmap(
  context: EngineContext,
  options: HeatmapOptions & { readonly page: string; readonly band: Band },
): Promise<Heatmap> {
  throw new Error(`not yet: heatmap ${context.log} ${JSON.stringify(options)}`);
}
