// What the elements share: number, byte, duration and time formats, and finding the page's
// `window.tabstream`.
export { formatBytes, formatCount, formatDuration, formatRate, formatTime, plural } from './format';
export { pageTabstream } from './page-tabstream';
