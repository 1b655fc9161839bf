import type { Funnel, FunnelOptions } from '../../funnels';
import { pageTabstream } from '../shared';

/**
 * What the panels' Funnels tab asks: the page's `tabstream.funnel`, or the DevTools panel's
 * stand-in for it. Everything it answers must be JSON-safe data.
 */
export interface FunnelSource {
  /** Must resolve with the funnel of `options`, or reject with why. */
  funnel(options: FunnelOptions): Promise<Funnel>;
}

type PageFunnel = (options: FunnelOptions) => Promise<Funnel>;

/** The page's `window.tabstream.funnel` as a source, once it is there; undefined until then. */
export function pageFunnelSource(): FunnelSource | undefined {
  const funnel = pageTabstream<{ funnel: PageFunnel }>(
    (t) => typeof t.funnel === 'function',
  )?.funnel;
  return funnel && { funnel: (options) => funnel(options) };
}
