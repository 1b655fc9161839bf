/** Events the devtools page dispatches on the panel's window as DevTools show and hide it. */
export const SHOWN = 'tabstream-panel-shown';
export const HIDDEN = 'tabstream-panel-hidden';
