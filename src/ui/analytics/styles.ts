import { css } from 'lit';

/** The look the analytics elements share, in the colours of the `--tabstream-*` properties. */
export const analyticsStyles = css`
  :host {
    --accent: var(--tabstream-accent, #4f6bed);
    --rule: var(--tabstream-rule, #c8c8d0);
    --muted: var(--tabstream-muted, #6b6b76);
    --error: var(--tabstream-error, #c62828);
    display: block;
    font: var(--tabstream-font, 14px/1.4 system-ui, sans-serif);
    color: var(--tabstream-color, CanvasText);
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 1px;
  }
  button,
  select,
  input {
    font: inherit;
    color: inherit;
    background: var(--tabstream-background, Canvas);
    border: 1px solid var(--rule);
    border-radius: 4px;
    padding: 0.1em 0.4em;
  }
  button {
    cursor: pointer;
  }
  button[aria-pressed='true'] {
    background: var(--accent);
    color: #fff;
  }
  fieldset {
    margin: 0.4em 0;
    padding: 0.3em 0.6em;
    border: 1px solid var(--rule);
    border-radius: 4px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em;
    margin: 0.3em 0;
  }
  .muted {
    color: var(--muted);
  }
  .error {
    color: var(--error);
  }
`;
