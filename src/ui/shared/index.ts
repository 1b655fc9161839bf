// What the elements share: number, byte, duration and time formats, finding the page's
// `window.tabstream`, CSV and downloads, and which rows of a virtualised table to render.
export { csvCell, csvLines, csvQuoted } from './csv';
export { download } from './download';
export { formatBytes, formatCount, formatDuration, formatRate, formatTime, plural } from './format';
export { pageTabstream } from './page-tabstream';
export { rowRange, type RowRange } from './virtual';
