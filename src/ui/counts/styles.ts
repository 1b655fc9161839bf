// <tabstream-counts>'s look: custom properties to theme it, a container query to fit a sidebar.
import { css } from 'lit';

/** The element's styles; its custom properties are listed on `TabstreamCounts`. */
export const countsStyles = css`
  :host {
    --_accent: var(--tabstream-accent, #4f6bed);
    --_muted: var(--tabstream-muted, #6b6f80);
    --_rule: var(--tabstream-rule, #e3e3e8);
    --_row: var(--tabstream-row-height, 1.75rem);
    /* Sticky header and footer need an opaque background. */
    --_background: var(--tabstream-background, Canvas);
    display: block;
    container: tabstream-counts / inline-size;
    font: var(--tabstream-font, 14px/1.4 system-ui, sans-serif);
    color: var(--tabstream-color, inherit);
    background: var(--tabstream-background, transparent);
  }
  :host([hidden]) {
    display: none;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .controls,
  .footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em 0.75em;
  }
  .controls {
    margin-bottom: 0.5em;
  }
  .controls label {
    display: flex;
    align-items: center;
    gap: 0.35em;
    color: var(--_muted);
  }
  .controls .grow {
    flex: 1 1 9em;
  }
  .controls .grow input {
    flex: 1;
    min-width: 0;
  }
  select,
  input,
  button {
    font: inherit;
    color: inherit;
  }
  select,
  input {
    padding: 0.15em 0.3em;
    border: 1px solid var(--_rule);
    border-radius: 0.3em;
    background: var(--_background);
  }
  .footer {
    margin-top: 0.5em;
    color: var(--_muted);
  }
  .footer .summary {
    flex: 1 1 auto;
  }
  .footer button {
    padding: 0.15em 0.6em;
    border: 1px solid var(--_rule);
    border-radius: 0.3em;
    background: var(--_background);
    cursor: pointer;
  }
  .footer button:hover {
    border-color: var(--_accent);
  }
  .error {
    margin: 0 0 0.5em;
    color: #b3261e;
  }

  .scroll {
    position: relative;
    max-height: var(--tabstream-max-height, min(24rem, 60vh));
    overflow: auto;
    overscroll-behavior: contain;
    /* Keeps a row focused from the keyboard clear of the sticky header and footer. */
    scroll-padding-block: var(--_row);
    /* The rows are placed from scrollTop (spacers stand in for the others): the browser's
       scroll anchoring would move the view when they change, e.g. by the spacers' change of
       height when the row it anchors to (the focused one) leaves the DOM. */
    overflow-anchor: none;
  }
  table {
    font: inherit; /* a quirks-mode page's tables don't inherit it */
    width: 100%;
    border-collapse: collapse;
    table-layout: fixed;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: 0.3em;
  }
  tr {
    height: var(--_row);
  }
  th,
  td {
    padding: 0 0.5em;
    border-bottom: 1px solid var(--_rule);
    text-align: left;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  thead th,
  tfoot th,
  tfoot td {
    position: sticky;
    z-index: 1;
    background: var(--_background);
  }
  thead th {
    top: 0;
    font-weight: 600;
  }
  tfoot th,
  tfoot td {
    bottom: 0;
    border-top: 1px solid var(--_rule);
    font-weight: 600;
  }
  th button {
    all: unset;
    cursor: pointer;
    font-weight: 600;
    border-radius: 0.2em;
  }
  th button:focus-visible {
    outline: 2px solid var(--_accent);
  }
  .arrow {
    display: inline-block;
    width: 1em;
    text-align: center;
    color: var(--_accent);
  }
  th:not([aria-sort]) .arrow {
    color: var(--_muted);
    opacity: 0.5;
  }
  .count {
    width: 5.5em; /* 9,999,999 */
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .spark {
    width: 64px;
  }
  .spark svg {
    display: block;
    width: 100%;
    height: 14px;
    overflow: visible;
  }
  .spark polyline {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 1.5;
    stroke-linejoin: round;
    vector-effect: non-scaling-stroke;
  }
  .bar {
    width: 18%;
  }
  .bar span {
    display: block;
    height: 0.6em;
    min-width: 1px;
    border-radius: 0.3em;
    background: var(--_accent);
  }
  tbody th {
    font-weight: inherit; /* a row's header is its URL, as plain as the other cells */
  }
  tbody tr:hover {
    background: color-mix(in srgb, var(--_accent) 6%, transparent);
  }
  tbody tr:focus-visible {
    outline-offset: -2px;
  }
  tr.spacer,
  tr.spacer td {
    border: 0;
    padding: 0;
  }
  .empty {
    color: var(--_muted);
  }

  /* Narrow (a sidebar, the floating panel): the URL needs the room more than the pictures. */
  @container tabstream-counts (width < 32rem) {
    .bar {
      display: none;
    }
  }
  @container tabstream-counts (width < 20rem) {
    .spark {
      display: none;
    }
  }
`;
