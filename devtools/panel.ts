// The panel page: the inspected page's counts, monitor and SQL, fetched from its window.tabstream.
import { render } from 'lit';
import { defineElements } from '../src/ui';
import { devtools } from './chrome';
import { EvalFailedError } from './eval-error';
import { NoTabstreamError } from './inspected-page';
import {
  InspectedCounts,
  InspectedFunnel,
  InspectedHeatmap,
  InspectedPaths,
  InspectedSql,
  InspectedStatus,
} from './sources';
import { panelView, type PanelActions, type PanelState } from './view';
import { HIDDEN, SHOWN } from './visibility';
import { Watcher } from './watcher';
import './panel.css';

defineElements();

// The elements' colours follow DevTools' theme (panel.css).
const applyTheme = (themeName: string) =>
  (document.documentElement.dataset.theme = themeName === 'dark' ? 'dark' : 'light');
applyTheme(devtools.panels.themeName);
devtools.panels.setThemeChangeHandler(applyTheme);

// This page loads when the panel is first shown.
let state: PanelState = {
  shown: true,
  page: null,
  tab: 'counts',
  lookError: null,
  refreshError: null,
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Why the page could not be looked at, and when that is DevTools' rule, which rule. */
const lookErrorOf = (error: unknown): string =>
  error instanceof EvalFailedError && error.denied
    ? `DevTools let no extension look into this page (${error.message}): ` +
      'tabstream can only be inspected on web pages, not about:blank, chrome:// or data: URLs.'
    : `Could not look at the page: ${messageOf(error)}`;

const watcher = new Watcher(
  (page) => {
    // URLs of the inspected page's origin show as paths (this page's own is the extension's).
    counts.origin = paths.origin = URL.parse(page.url)?.origin;
    update({ page, lookError: null });
  },
  (error) => update({ lookError: lookErrorOf(error) }),
);

// The elements are made once and kept for as long as the panel page lives, so what the
// user chose in them (the counts' by, window, sort, order, filter and show-all; the monitor's
// tab; the SQL tab's query and result; the heatmap's layers, the paths' and funnel's fields
// and answers) stays when they switch tabs and while DevTools hide the
// panel. The view appends only the one shown: a disconnected element follows nothing, so the
// others poll no page. The SQL tab's history is kept in this page's localStorage (the
// extension's origin), for every page inspected.
const counts = document.createElement('tabstream-counts');
counts.source = new InspectedCounts(watcher, (error) => {
  // A page without tabstream (it navigated meanwhile) is no error: the panel says so.
  const refreshError =
    error === null || error instanceof NoTabstreamError ? null : messageOf(error);
  if (refreshError !== state.refreshError) update({ refreshError });
});
const monitor = document.createElement('tabstream-monitor');
monitor.source = new InspectedStatus(watcher);
const sql = document.createElement('tabstream-sql');
sql.source = new InspectedSql();
sql.status = monitor.source;

// The analytics tabs ask the page, which computes them on its engine; the heatmap is drawn
// over the inspected page itself.
const heatmap = document.createElement('tabstream-heatmap-controls');
heatmap.source = new InspectedHeatmap();
const paths = document.createElement('tabstream-paths-explorer');
paths.source = new InspectedPaths();
const funnels = document.createElement('tabstream-funnel-explorer');
funnels.source = new InspectedFunnel();

const actions: PanelActions = {
  counts,
  monitor,
  sql,
  heatmap,
  paths,
  funnels,
  choose: (tab) => update({ tab }),
};

function update(change: Partial<PanelState>): void {
  state = { ...state, ...change };
  render(panelView(state, actions), document.body);
}

// A navigation takes the elements out (and so their subscriptions) until the new page's
// tabstream is seen. They keep the user's choices: a reload is a navigation too, and how to look
// at the counts is the user's, not the page's (a filter that matches none of the new page's URLs
// says so in the table). Back, the counts element reads the counts afresh; the monitor gets a
// new source, which makes it drop the last page's snapshot rather than show it until the new
// page's comes.
devtools.network.onNavigated.addListener((url) => {
  update({ page: { url, tabstream: null }, lookError: null, refreshError: null });
  monitor.source = new InspectedStatus(watcher);
  sql.status = monitor.source;
  heatmap.source = new InspectedHeatmap(); // the new page shows no heatmap
  watcher.reset();
});
addEventListener(SHOWN, () => {
  update({ shown: true });
  watcher.show();
});
addEventListener(HIDDEN, () => {
  update({ shown: false });
  watcher.hide();
});
update({});
watcher.show();
