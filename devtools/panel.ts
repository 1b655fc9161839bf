// The panel page: the inspected page's counts and monitor, fetched from its window.tabstream.
import { render } from 'lit';
import { defineElements } from '../src/ui';
import { devtools } from './chrome';
import { NoTabstreamError } from './inspected-page';
import { InspectedCounts, InspectedStatus } from './sources';
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

const watcher = new Watcher(
  (page) => update({ page, lookError: null }),
  (error) => update({ lookError: `Could not look at the page: ${messageOf(error)}` }),
);

const actions: PanelActions = {
  counts: new InspectedCounts(watcher, (error) => {
    // A page without tabstream (it navigated meanwhile) is no error: the panel says so.
    const refreshError =
      error === null || error instanceof NoTabstreamError ? null : messageOf(error);
    if (refreshError !== state.refreshError) update({ refreshError });
  }),
  status: new InspectedStatus(watcher),
  choose: (tab) => update({ tab }),
};

function update(change: Partial<PanelState>): void {
  state = { ...state, ...change };
  render(panelView(state, actions), document.body);
}

// A navigation drops the elements (and their subscriptions) until the new page's tabstream is seen.
devtools.network.onNavigated.addListener((url) => {
  update({ page: { url, tabstream: null }, lookError: null, refreshError: null });
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
