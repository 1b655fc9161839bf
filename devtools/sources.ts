import type {
  Counts,
  CountsSource,
  CountsView,
  Funnel,
  FunnelOptions,
  Heatmap,
  Paths,
  PathsOptions,
  StatusSnapshot,
  StatusSource,
} from '../src/entries/index';
import type {
  FunnelSource,
  HeatmapShowOptions,
  HeatmapSource,
  PathsSource,
  SqlResult,
  SqlSource,
  SqlStream,
} from '../src/ui';
import { call } from './inspected-page';
import type { Watcher } from './watcher';

/**
 * The inspected page's counts, for `<tabstream-counts>`: fetched again after each batch. The
 * element shows a failure of `counts()`; one of a refetch after a batch goes to `onRefresh`
 * (null after one that worked).
 */
export class InspectedCounts implements CountsSource {
  constructor(
    private readonly watcher: Watcher,
    private readonly onRefresh: (error: unknown) => void,
  ) {}

  counts(view?: CountsView): Promise<Counts> {
    return call('counts', view) as Promise<Counts>;
  }

  /** Must not call `listener` once unsubscribed, though a refetch is still on its way. */
  subscribe(listener: (counts: Readonly<Counts>) => void, view?: CountsView): () => void {
    let asked = 0;
    let closed = false;
    const stop = this.watcher.onBatch(() => {
      // Only the answer to the last question: an earlier one may arrive after it.
      const ask = ++asked;
      this.counts(view).then(
        (counts) => {
          this.onRefresh(null);
          if (!closed && ask === asked) listener(counts);
        },
        (error: unknown) => this.onRefresh(error),
      );
    });
    return () => {
      closed = true;
      stop();
    };
  }
}

/** The inspected page's status, for `<tabstream-monitor>` (which shows a failure itself). */
export class InspectedStatus implements StatusSource {
  constructor(private readonly watcher: Watcher) {}

  status(): Promise<StatusSnapshot> {
    return call('status') as Promise<StatusSnapshot>;
  }

  onBatch(listener: () => void): () => void {
    return this.watcher.onBatch(listener);
  }
}

/**
 * The inspected page's `tabstream.sql`, for `<tabstream-sql>`: each call crosses as JSON (a
 * value JSON cannot hold, such as NaN, comes as null), and an error as its message, whose
 * caret lines it keeps.
 */
export class InspectedSql implements SqlSource {
  sql(text: string, params?: unknown): Promise<SqlResult> {
    return call('sql', text, params) as Promise<SqlResult>;
  }

  explain(text: string): Promise<string> {
    return call('sql.explain', text) as Promise<string>;
  }

  /** [] when the page's tabstream has no continuous queries to list (an older version). */
  async streams(): Promise<readonly SqlStream[]> {
    try {
      return (await call('sql.streams')) as SqlStream[];
    } catch (error) {
      if (error instanceof Error && / has no sql\.streams\(\)$/.test(error.message)) return [];
      throw error;
    }
  }

  results(name: string): Promise<SqlResult> {
    return call('sql.results', name) as Promise<SqlResult>;
  }
}

/**
 * The inspected page's `tabstream.heatmap`, for the Heatmap tab: it computes the heatmap and
 * shows it over the inspected page (the overlay is the page's: DevTools only asks for it).
 */
export class InspectedHeatmap implements HeatmapSource {
  show(options: HeatmapShowOptions): Promise<Heatmap> {
    return call('heatmap', options) as Promise<Heatmap>;
  }

  async hide(): Promise<void> {
    await call('heatmap.hide');
  }
}

/** The inspected page's `tabstream.paths`, for the Paths tab. */
export class InspectedPaths implements PathsSource {
  paths(options: PathsOptions): Promise<Paths> {
    return call('paths', options) as Promise<Paths>;
  }
}

/** The inspected page's `tabstream.funnel`, for the Funnels tab. */
export class InspectedFunnel implements FunnelSource {
  funnel(options: FunnelOptions): Promise<Funnel> {
    return call('funnel', options) as Promise<Funnel>;
  }
}
