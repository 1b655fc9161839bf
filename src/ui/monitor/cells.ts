import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { JobSummary, RunStatus } from '../../status';
import { formatTime } from '../shared';

const STATUS_TEXT: Readonly<Record<RunStatus, string>> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
};

/** The tasks of a job or a stage attempt. */
type Tasks = Pick<JobSummary, 'numTasks' | 'succeededTasks' | 'runningTasks' | 'failedTasks'>;

/**
 * Spark's progress bar of a job's or stage's tasks: the succeeded and running shares as coloured
 * bands behind the counts as text, so that the bar is never narrower than its text.
 */
export function tasksBar({
  numTasks: total,
  succeededTasks: succeeded,
  runningTasks: running,
  failedTasks: failed,
}: Tasks): TemplateResult {
  const share = (count: number) => `${total === 0 ? 0 : (100 * count) / total}%`;
  const text =
    `${succeeded}/${total}` +
    (running > 0 ? ` (${running} running)` : '') +
    (failed > 0 ? ` (${failed} failed)` : '');
  return html`<div
    class="progress"
    part="progress"
    style=${styleMap({ '--done': share(succeeded), '--running': share(running) })}
  >
    ${text}
  </div>`;
}

/** A run's status, coloured, with its failure reason under it. */
export function statusCell(status: RunStatus, failureReason: string | null): TemplateResult {
  const reason =
    failureReason === null ? nothing : html`<div class="reason">${failureReason}</div>`;
  return html`<span class="status ${status}">${STATUS_TEXT[status]}</span> ${reason}`;
}

/** A time of day, with the full date and time for machines. */
export const timeCell = (ms: number): TemplateResult =>
  html`<time datetime=${new Date(ms).toISOString()}>${formatTime(ms)}</time>`;

/** A job's id as a button that shows the job's stages. */
export const jobButton = (jobId: number, showJob: (jobId: number) => void): TemplateResult =>
  html`<button
    type="button"
    class="link"
    aria-label="Stages of job ${jobId}"
    @click=${() => showJob(jobId)}
  >
    ${jobId}
  </button>`;

/** A sentence in place of a table or a page: an empty state, or why there is nothing. */
export const message = (text: string): TemplateResult =>
  html`<p class="message" part="message">${text}</p>`;

/** Facts as a description list of label and value pairs, laid out in a row that wraps. */
export const facts = (pairs: readonly (readonly [string, unknown])[]): TemplateResult =>
  html`<dl class="facts">
    ${pairs.map(
      ([label, value]) =>
        html`<div>
          <dt>${label}</dt>
          <dd>${value}</dd>
        </div>`,
    )}
  </dl>`;
