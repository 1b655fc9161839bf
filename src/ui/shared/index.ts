// What the elements share: number, byte, duration and time formats, finding the page's
// `window.tabstream`, CSV and downloads, which rows of a virtualised table to render, and how a
// URL is written in a cell.
export { csvCell, csvLines, csvQuoted } from './csv';
export { download } from './download';
export { formatBytes, formatCount, formatDuration, formatRate, formatTime, plural } from './format';
export { pageTabstream } from './page-tabstream';
export { rowRange, type RowRange } from './virtual';
export { fitText, middleEllipsis, TextFitter, urlText } from './url-text';
