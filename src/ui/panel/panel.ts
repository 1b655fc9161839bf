import { CountsFeed, type CountsSource } from '../counts';
import { plural } from '../shared';
import { keepMinimised, wasMinimised } from './minimised';
import { siteColours } from './site-colours';
import { analyticsElement, PANEL_VIEWS, type AnalyticsSources, type PanelView } from './views';

const PANEL_ID = 'tabstream-panel';

/** Set inline: the page's own rules for `button` or `aside` must not restyle the panel. */
const BUTTON_STYLE: Partial<CSSStyleDeclaration> = {
  margin: '0',
  padding: '0.1em 0.5em',
  font: 'inherit',
  lineHeight: '1.4',
  color: 'inherit',
  background: 'transparent',
  border: '1px solid var(--tabstream-rule, GrayText)',
  borderRadius: '4px',
  cursor: 'pointer',
};

function button(text: string, label: string | null, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  if (label !== null) {
    element.setAttribute('aria-label', label);
    element.title = label;
  }
  Object.assign(element.style, BUTTON_STYLE);
  element.addEventListener('click', onClick);
  return element;
}

/**
 * Shows the live counts of `source` in a small floating panel at the bottom right of the page
 * (the script tag's `data-panel`), once; clicks inside it are not recorded. Its tabs show the
 * counts, or the heatmap (a toggle of the overlay), paths and funnels of `sources` (by default
 * the page's `window.tabstream`), each kept with the reader's choices. Its buttons close
 * it (until the page loads again) or minimise it to a tab with the total clicks, which restores
 * it; minimised, it stays so on the site's other pages (localStorage `tabstream:panel`). It
 * wears the site's colours and font (`siteColours`), unless the page sets the `--tabstream-*`
 * properties. Before the page has a body (a script in the head, without `defer`), it waits for
 * the document to be parsed.
 */
export function showPanel(source: CountsSource, sources: AnalyticsSources = {}): void {
  if (!document.body) {
    document.addEventListener('DOMContentLoaded', () => showPanel(source, sources), {
      once: true,
    });
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
    boxSizing: 'border-box',
    maxWidth: 'calc(100vw - 24px)',
    margin: '0',
    padding: '8px',
    background: 'var(--tabstream-background, Canvas)',
    color: 'var(--tabstream-color, CanvasText)',
    border: '1px solid var(--tabstream-rule, GrayText)',
    borderRadius: '8px',
    boxShadow: '0 4px 16px rgb(0 0 0 / 0.2)',
    font: 'var(--tabstream-font, 13px/1.4 system-ui, sans-serif)',
    textAlign: 'left',
  });

  const counts = document.createElement('tabstream-counts');
  counts.source = source;
  // The element scrolls its own rows: the panel only caps how tall they get.
  counts.style.setProperty('--tabstream-max-height', 'calc(40vh - 9rem)');

  const title = document.createElement('strong');
  title.textContent = 'tabstream';
  title.style.flex = '1';
  const header = document.createElement('div');
  Object.assign(header.style, {
    display: 'flex',
    gap: '6px',
    alignItems: 'center',
    marginBottom: '6px',
  });
  const minimise = button('–', 'Minimise the tabstream panel', () => show(true));
  const close = button('×', 'Close the tabstream panel', () => {
    total.close();
    panel.remove();
  });
  header.append(title, minimise, close);

  // The tabs: the counts, made at once; the others when first chosen, then kept.
  let view: PanelView = 'counts';
  const views = new Map<PanelView, HTMLElement>([['counts', counts]]);
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'tabstream');
  Object.assign(nav.style, { display: 'flex', gap: '4px', marginBottom: '6px' });
  const tabs = Object.entries(PANEL_VIEWS).map(([name, text]) => {
    const tab = button(text, null, () => choose(name as PanelView));
    tab.dataset.view = name;
    return tab;
  });
  nav.append(...tabs);
  const shown = (): HTMLElement => {
    let element = views.get(view);
    if (!element) {
      element = analyticsElement(view as Exclude<PanelView, 'counts'>, sources);
      element.style.maxHeight = 'calc(60vh - 6rem)';
      element.style.overflow = 'auto';
      views.set(view, element);
    }
    return element;
  };
  function choose(chosen: PanelView): void {
    views.get(view)?.remove(); // out of the page, an element follows nothing
    view = chosen;
    for (const tab of tabs) {
      const selected = tab.dataset.view === view;
      tab.setAttribute('aria-pressed', String(selected));
      tab.style.fontWeight = selected ? 'bold' : '';
    }
    panel.append(shown());
  }

  // Minimised: a tab with the total clicks, which restores the panel.
  const restore = button('tabstream', null, () => show(false));
  restore.setAttribute('aria-expanded', 'false');
  restore.title = 'Show the tabstream panel';
  restore.style.border = '0';
  const total = new CountsFeed(
    (counts) => {
      const clicks = Object.values(counts).reduce((sum, n) => sum + n, 0);
      restore.textContent = `tabstream: ${plural(clicks, 'click')}`;
    },
    () => (restore.textContent = 'tabstream'),
  );

  /** Shows the panel open or minimised, and remembers which; `focus` follows the change. */
  function show(minimised: boolean, focus = true): void {
    keepMinimised(minimised);
    if (minimised) {
      header.remove();
      nav.remove();
      shown().remove(); // out of the page, it follows nothing; it keeps the reader's choices
      panel.style.width = '';
      panel.style.padding = '2px';
      panel.append(restore);
      total.follow(source, { by: 'page', window: 'all' });
    } else {
      total.close();
      restore.remove();
      panel.style.width = 'min(420px, calc(100vw - 24px))';
      panel.style.padding = '8px';
      panel.append(header, nav);
      choose(view);
    }
    if (focus) (minimised ? restore : minimise).focus();
  }

  document.body.append(panel);
  show(wasMinimised(), false);
  // The site's colours, where the page sets none of its own for tabstream (inherited here).
  const inherited = getComputedStyle(panel);
  for (const [property, value] of Object.entries(siteColours() ?? {}))
    if (inherited.getPropertyValue(property).trim() === '')
      panel.style.setProperty(property, value);
}
