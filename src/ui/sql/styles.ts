import { css } from 'lit';

/** `<tabstream-sql>`'s look, in the colours of the `--tabstream-*` properties. */
export const sqlStyles = css`
  :host {
    --accent: var(--tabstream-accent, #4f6bed);
    --rule: var(--tabstream-rule, #e3e3e8);
    --muted: var(--tabstream-muted, #6b6b76);
    --ok: var(--tabstream-ok, #2e7d32);
    --error: var(--tabstream-error, #c62828);
    --row-height: var(--tabstream-row-height, 1.75rem);
    --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    display: block;
    font: var(--tabstream-font, 14px/1.4 system-ui, sans-serif);
    color: var(--tabstream-color, CanvasText);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: -2px;
  }
  textarea {
    box-sizing: border-box;
    width: 100%;
    /* As high as the query, from 4 lines to 20, then it scrolls; a user may pull it higher. */
    field-sizing: content;
    min-height: calc(4lh + 1em);
    max-height: calc(20lh + 1em);
    padding: 0.5em;
    resize: vertical;
    border: 1px solid var(--rule);
    border-radius: 4px;
    background: var(--tabstream-background, Canvas);
    color: inherit;
    font: 0.9em/1.45 var(--mono);
    tab-size: 2;
  }
  .actions,
  .footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin: 0.4em 0;
  }
  .actions select {
    flex: 1 1 10em;
    min-width: 0;
    max-width: 24em;
  }
  button,
  select {
    font: inherit;
    color: inherit;
    background: var(--tabstream-background, Canvas);
    border: 1px solid var(--rule);
    border-radius: 4px;
    padding: 0.15em 0.7em;
  }
  button {
    cursor: pointer;
  }
  button[part~='run'] {
    border-color: var(--accent);
    background: var(--accent);
    color: var(--tabstream-background, Canvas);
    font-weight: 600;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  button.link {
    padding: 0;
    border: 0;
    background: none;
    color: var(--accent);
    text-decoration: underline;
  }
  .hint,
  .muted,
  .iso,
  .reason,
  caption,
  [part~='summary'] {
    color: var(--muted);
  }
  .hint,
  .iso {
    font-size: 0.85em;
  }
  pre {
    margin: 0.4em 0;
    padding: 0.5em;
    overflow: auto;
    font: 0.85em/1.4 var(--mono);
    white-space: pre;
  }
  .error {
    color: var(--error);
  }
  pre.error {
    border-left: 3px solid var(--error);
  }
  pre.query,
  [part~='plan'] pre {
    background: color-mix(in srgb, var(--rule) 35%, transparent);
  }
  .scroll {
    overflow: auto;
    max-height: var(--tabstream-max-height, min(24rem, 60vh));
    border: 1px solid var(--rule);
    border-radius: 4px;
  }
  .scroll.small {
    max-height: 12rem;
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  .scroll table {
    min-width: 100%;
  }
  caption {
    padding: 0.25em 0.5em;
    text-align: start;
    font-size: 0.85em;
  }
  th,
  td {
    padding: 0 0.6em;
    border-bottom: 1px solid var(--rule);
    text-align: start;
    vertical-align: top;
  }
  [part~='result'] td,
  [part~='result'] th,
  .small td,
  .small th {
    height: var(--row-height);
    max-width: 24em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    vertical-align: middle;
    font-family: var(--mono);
    font-size: 0.85em;
  }
  thead th {
    position: sticky;
    top: 0;
    background: var(--tabstream-background, Canvas);
    font-family: inherit;
    font-weight: 600;
  }
  .num {
    text-align: end;
  }
  td.null {
    color: var(--muted);
    font-style: italic;
  }
  .spacer td {
    padding: 0;
    border: 0;
  }
  details {
    margin: 0.75em 0;
  }
  summary {
    cursor: pointer;
    font-weight: 600;
  }
  .wide {
    overflow-x: auto;
  }
  table[part~='jobs'],
  table[part~='stages'] {
    width: 100%;
    margin-bottom: 0.5em;
  }
  table[part~='jobs'] :is(th, td),
  table[part~='stages'] :is(th, td) {
    white-space: nowrap;
  }
  table[part~='jobs'] td.wrap,
  table[part~='stages'] td.wrap {
    min-width: 10em;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .status.succeeded {
    color: var(--ok);
  }
  .status.failed {
    color: var(--error);
  }
  .status.running {
    color: var(--accent);
  }
  h3 {
    margin: 1.25em 0 0.4em;
    font-size: 1em;
  }
  h4 {
    margin: 0.75em 0 0.25em;
    font-size: 0.95em;
  }
`;
