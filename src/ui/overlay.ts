import type { StatusSource } from '../status';

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
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Close';
  Object.assign(close.style, { position: 'absolute', top: '8px', right: '8px', zIndex: '1' });
  close.addEventListener('click', () => dialog.close());
  const monitor = document.createElement('tabstream-monitor') as HTMLElement & {
    source?: StatusSource;
  };
  monitor.source = source;
  monitor.style.display = 'block';
  monitor.style.padding = '8px';
  dialog.append(close, monitor);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return () => dialog.close();
}
