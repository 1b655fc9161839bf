import type { CountsSource } from '../counts';

const PANEL_ID = 'tabstream-panel';

/**
 * Shows the live counts of `source` in a small floating panel at the bottom right of the page
 * (the script tag's `data-panel`), once; clicks inside it are not recorded. Before the page has
 * a body (a script in the head, without `defer`), it waits for the document to be parsed.
 */
export function showPanel(source: CountsSource): void {
  if (!document.body) {
    document.addEventListener('DOMContentLoaded', () => showPanel(source), { once: true });
    return;
  }
  if (document.getElementById(PANEL_ID)) return;
  const panel = document.createElement('aside');
  panel.id = PANEL_ID;
  panel.setAttribute('data-tabstream-ignore', '');
  panel.setAttribute('aria-label', 'tabstream: clicks per page');
  Object.assign(panel.style, {
    position: 'fixed',
    right: '12px',
    bottom: '12px',
    zIndex: '2147483000',
    width: 'min(420px, calc(100vw - 24px))',
    padding: '8px',
    background: 'Canvas',
    color: 'CanvasText',
    border: '1px solid GrayText',
    borderRadius: '8px',
    boxShadow: '0 4px 16px rgb(0 0 0 / 0.2)',
    font: '13px system-ui, sans-serif',
  });
  const counts = document.createElement('tabstream-counts');
  counts.source = source;
  // The element scrolls its own rows: the panel only caps how tall they get.
  counts.style.setProperty('--tabstream-max-height', 'calc(40vh - 7rem)');
  panel.append(counts);
  document.body.append(panel);
}
