import { css } from 'lit';

/** `<tabstream-monitor>`'s look: Spark UI's, in the colours of the `--tabstream-*` properties. */
export const monitorStyles = css`
  :host {
    --accent: var(--tabstream-accent, #4f6bed);
    --rule: var(--tabstream-rule, #e3e3e8);
    --muted: var(--tabstream-muted, #6b6b76);
    --ok: var(--tabstream-ok, #2e7d32);
    --error: var(--tabstream-error, #c62828);
    display: block;
    container-type: inline-size;
    font: var(--tabstream-font, 14px/1.4 system-ui, sans-serif);
    color: var(--tabstream-color, CanvasText);
    background: var(--tabstream-background, Canvas);
  }
  [hidden] {
    display: none !important;
  }
  [role='tablist'] {
    display: flex;
    overflow-x: auto;
    border-bottom: 1px solid var(--rule);
  }
  [role='tab'] {
    flex: none;
    padding: 0.55em 0.9em;
    border: 0;
    border-bottom: 3px solid transparent;
    background: none;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  @container (max-width: 480px) {
    [role='tab'] {
      padding-inline: 0.55em;
    }
  }
  [role='tab']:hover {
    color: var(--accent);
  }
  [role='tab'][aria-selected='true'] {
    border-bottom-color: var(--accent);
    font-weight: 600;
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: -2px;
  }
  [role='tabpanel'] {
    padding: 0.75em 0.25em;
  }
  .error {
    overflow-wrap: anywhere;
    margin: 0.75em 0 0;
    padding: 0.5em 0.75em;
    border-left: 3px solid var(--error);
    color: var(--error);
  }
  .message,
  .empty,
  .as-of,
  .average,
  .x-axis,
  .y-axis,
  .reason {
    color: var(--muted);
  }
  .as-of {
    margin: 0.75em 0 0;
    font-size: 0.85em;
  }
  /* The sink's last error, between its figures and its tables. */
  [part='sink-error'] {
    margin: 0 0 1em;
  }
  .facts {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em 2em;
    margin: 0 0 1em;
  }
  .facts dt {
    font-size: 0.85em;
    color: var(--muted);
  }
  .facts dd {
    margin: 0;
    font-weight: 600;
  }
  .crumbs ol {
    display: flex;
    flex-wrap: wrap;
    margin: 0 0 0.75em;
    padding: 0;
    list-style: none;
  }
  .crumbs li + li::before {
    content: '›';
    padding: 0 0.5em;
    color: var(--muted);
  }
  .crumbs [aria-current] {
    font-weight: 600;
  }
  .scroll {
    overflow-x: auto;
    margin-bottom: 1.25em;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: 0.4em;
  }
  th,
  td {
    padding: 0.35em 0.6em;
    border-bottom: 1px solid var(--rule);
    text-align: left;
    vertical-align: top;
    white-space: nowrap;
  }
  .wrap {
    min-width: 12em;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  thead th {
    font-size: 0.85em;
    white-space: normal;
    vertical-align: bottom;
    border-bottom-width: 2px;
  }
  thead th[scope='colgroup'] {
    text-align: center;
    border-bottom-width: 1px;
  }
  tbody th {
    font-weight: normal;
  }
  tfoot th,
  tfoot td {
    font-weight: 600;
  }
  /* The first column (a job's, a stage's, a partition's id) stays as the rest scrolls under it. */
  thead tr:first-child > th:first-child,
  tbody > tr > th:first-child,
  tfoot > tr > :first-child {
    position: sticky;
    left: 0;
    z-index: 1;
    background: var(--tabstream-background, Canvas);
    box-shadow: inset -1px 0 var(--rule);
  }
  .num {
    text-align: right;
  }
  .reason {
    min-width: 20ch;
    max-width: 40ch;
    font-size: 0.85em;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .link {
    padding: 0;
    border: 0;
    background: none;
    color: var(--accent);
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  .status {
    font-weight: 600;
  }
  .running {
    color: var(--accent);
  }
  .succeeded,
  .active {
    color: var(--ok);
  }
  .failed,
  .dead {
    color: var(--error);
  }
  .skipped {
    color: var(--muted);
  }
  .progress {
    --end: calc(var(--done) + var(--running));
    min-width: 8em;
    padding: 0 0.4em;
    border-radius: 3px;
    background: linear-gradient(
      to right,
      color-mix(in srgb, var(--ok) 35%, transparent) 0 var(--done),
      color-mix(in srgb, var(--accent) 35%, transparent) var(--done) var(--end),
      color-mix(in srgb, var(--rule) 60%, transparent) var(--end)
    );
    text-align: center;
    font-size: 0.85em;
    white-space: nowrap;
  }
  .metrics {
    display: grid;
    gap: 1em 2em;
    margin-bottom: 1.25em;
  }
  @container (min-width: 720px) {
    .metrics {
      grid-template-columns: repeat(3, minmax(0, 1fr));
    }
  }
  .metric h3 {
    display: inline;
    margin: 0 0.5em 0 0;
    font-size: 1em;
  }
  .metric .average {
    display: inline;
    margin: 0;
  }
  .chart {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    grid-template-rows: 7.5em auto;
    gap: 0.2em 0.5em;
    margin: 0.5em 0 0;
    font-size: 0.8em;
  }
  .y-axis {
    display: flex;
    flex-direction: column;
    justify-content: space-between;
    text-align: right;
    margin: -0.6em 0;
  }
  .chart svg {
    width: 100%;
    height: 100%;
    overflow: visible;
  }
  .chart .axis {
    stroke: var(--rule);
  }
  .chart .mean {
    stroke: var(--muted);
    stroke-dasharray: 4 3;
  }
  .chart .trend {
    stroke: var(--accent);
    stroke-width: 1.5;
  }
  .chart circle {
    fill: var(--accent);
  }
  .x-axis {
    grid-column: 2;
    display: flex;
    justify-content: space-between;
  }
  /* Narrower, the less important columns hide (see Column.priority), prose wraps sooner. */
  @container (width < 48rem) {
    .p3 {
      display: none;
    }
    .wrap {
      min-width: 7em;
    }
    .progress {
      min-width: 5em;
    }
    .reason {
      min-width: 12ch;
    }
  }
  @container (width < 30rem) {
    .p2 {
      display: none;
    }
    th,
    td {
      padding-inline: 0.4em;
    }
    .wrap {
      min-width: 5em;
    }
    .progress {
      min-width: 4em;
      white-space: normal;
    }
    .reason {
      min-width: 8ch;
    }
  }
`;
