import type { StatusSource } from '../../status';

const OVERLAY_ID = 'tabstream-monitor-overlay';

/**
 * Opens `<tabstream-monitor>` of `source` over the page, as a modal dialog (`tabstream.monitor()`),
 * once: calling it again while open returns the same close. Escape or its Close button closes
 * it; clicks inside are not recorded. Returns the function that closes it.
 */
export function showMonitor(source: StatusSource): () => void {
  const open = document.getElementById(OVERLAY_ID) as HTMLDialogElement | null;
  if (open) return () => open.close();
  const dialog = document.createElement('dialog');
  dialog.id = OVERLAY_ID;
  dialog.setAttribute('data-tabstream-ignore', '');
  dialog.setAttribute('aria-label', 'tabstream monitor');
  Object.assign(dialog.style, {
    width: 'min(1100px, calc(100vw - 32px))',
    height: 'min(760px, calc(100vh - 32px))',
    padding: '0',
    border: '1px solid GrayText',
    borderRadius: '8px',
    background: 'Canvas',
    color: 'CanvasText',
    font: '13px system-ui, sans-serif',
  });
  dialog.style.setProperty('--tabstream-font', '13px/1.4 system-ui, sans-serif');
  const header = document.createElement('header');
  Object.assign(header.style, {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    padding: '8px 12px',
    borderBottom: '1px solid GrayText',
  });
  const title = document.createElement('strong');
  title.textContent = 'tabstream monitor';
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Close';
  close.addEventListener('click', () => dialog.close());
  header.append(title, close);
  const monitor = document.createElement('tabstream-monitor');
  monitor.source = source;
  monitor.style.display = 'block';
  monitor.style.padding = '8px 12px';
  dialog.append(header, monitor);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return () => dialog.close();
}
