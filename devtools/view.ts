import { html, nothing, type TemplateResult } from 'lit';
import type {
  TabstreamCounts,
  TabstreamFunnelExplorer,
  TabstreamHeatmapControls,
  TabstreamMonitor,
  TabstreamPathsExplorer,
  TabstreamSql,
} from '../src/ui';
import type { Probe } from './page-side';

export type Tab = 'counts' | 'monitor' | 'sql' | 'heatmap' | 'paths' | 'funnels';

/** What the panel shows. */
export interface PanelState {
  /** Whether DevTools show the panel: the elements (and their polling) are out while not. */
  readonly shown: boolean;
  /** The inspected page's URL and tabstream; null until first looked at. */
  readonly page: Probe | null;
  readonly tab: Tab;
  /** Why the page could not be looked at, or its counts refetched; null once they could. */
  readonly lookError: string | null;
  readonly refreshError: string | null;
}

export interface PanelActions {
  /**
   * The elements, made once with their sources: the view puts the one shown in the panel, and
   * takes it out (it then follows nothing) while it is not, keeping its state and choices.
   */
  readonly counts: TabstreamCounts;
  readonly monitor: TabstreamMonitor;
  readonly sql: TabstreamSql;
  readonly heatmap: TabstreamHeatmapControls;
  readonly paths: TabstreamPathsExplorer;
  readonly funnels: TabstreamFunnelExplorer;
  readonly choose: (tab: Tab) => void;
}

const TABS: Record<Tab, string> = {
  counts: 'Counts',
  monitor: 'Monitor',
  sql: 'SQL',
  heatmap: 'Heatmap',
  paths: 'Paths',
  funnels: 'Funnels',
};

function header({ page }: PanelState): TemplateResult {
  const tabstream = page?.tabstream;
  return html`<header>
    <h1>tabstream — <span class="url">${page?.url ?? '…'}</span></h1>
    ${
      tabstream
        ? html`<span class="badge">${tabstream.isLeader ? 'leader' : 'follower'}</span>
            <span class="badge">v${tabstream.version}</span>`
        : nothing
    }
  </header>`;
}

function tabs(state: PanelState, { choose }: PanelActions): TemplateResult {
  return html`<nav>
    ${Object.entries<string>(TABS).map(
      ([tab, text]) =>
        html`<button
          type="button"
          data-tab=${tab}
          aria-pressed=${tab === state.tab}
          @click=${() => choose(tab as Tab)}
        >
          ${text}
        </button>`,
    )}
  </nav>`;
}

function body(
  state: PanelState,
  actions: PanelActions,
): TemplateResult | HTMLElement | typeof nothing {
  if (!state.shown) return nothing;
  if (state.page === null)
    return html`<p class="note">
      ${
        state.lookError === null
          ? 'Looking at the page…'
          : 'No tabstream on this page that the panel can see. It keeps checking, every second.'
      }
    </p>`;
  if (state.page.tabstream === null)
    return html`<p class="note">
      No tabstream on this page. The panel keeps checking, every second.
    </p>`;
  return actions[state.tab];
}

/** The whole panel. Everything from the page (its URL, its counts) is rendered as text. */
export function panelView(state: PanelState, actions: PanelActions): TemplateResult {
  const error = state.lookError ?? state.refreshError;
  return html`${header(state)} ${tabs(state, actions)}
    ${error === null ? nothing : html`<p class="error" role="alert">${error}</p>`}
    <main>${body(state, actions)}</main>`;
}
