import type { Paths, PathsOptions } from '../../graph';
import { pageTabstream } from '../shared';

/**
 * What the panels' Paths tab asks: the page's `tabstream.paths`, or the DevTools panel's
 * stand-in for it. Everything it answers must be JSON-safe data.
 */
export interface PathsSource {
  /** Must resolve with the paths of `options`, or reject with why. */
  paths(options: PathsOptions): Promise<Paths>;
}

type PagePaths = (options: PathsOptions) => Promise<Paths>;

/** The page's `window.tabstream.paths` as a source, once it is there; undefined until then. */
export function pagePathsSource(): PathsSource | undefined {
  const paths = pageTabstream<{ paths: PagePaths }>((t) => typeof t.paths === 'function')?.paths;
  return paths && { paths: (options) => paths(options) };
}
