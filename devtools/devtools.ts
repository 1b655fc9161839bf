// The extension's devtools_page: adds the panel, and tells it when it is shown or hidden (which
// only this page hears).
import { devtools } from './chrome';
import { HIDDEN, SHOWN } from './visibility';

devtools.panels.create('tabstream', 'icon.png', 'panel.html', (panel) => {
  let panelWindow: Window | null = null;
  panel.onShown.addListener((shown) => {
    panelWindow = shown;
    shown.dispatchEvent(new Event(SHOWN));
  });
  panel.onHidden.addListener(() => panelWindow?.dispatchEvent(new Event(HIDDEN)));
});
