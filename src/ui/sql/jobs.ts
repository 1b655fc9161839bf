import { html, nothing, type TemplateResult } from 'lit';
import type { EngineStatus, JobSummary, RunStatus, StageSummary } from '../../status';
import { formatBytes, formatCount, formatDuration } from '../shared';

/** A query run: its text, and when it was asked and answered (ms since the epoch). */
export interface QueryRun {
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/** How `tabstream.sql` names a query's job group: `sql <n>: <its text on one line, cut>`. */
const GROUP = /^sql \d+: /;
const GROUP_TEXT = 80;

/**
 * The query's jobs: those of a job group named after its text (`sql 3: SELECT …`; Spark's
 * SQL tab lists a query's jobs by its execution id) submitted while it ran, which tells it from
 * the same text run before.
 */
export function jobsOf(engine: EngineStatus, { text, from, to }: QueryRun): JobSummary[] {
  const named = text.replace(/\s+/g, ' ').trim().slice(0, GROUP_TEXT);
  return engine.jobs.filter(
    ({ group, submissionTime }) =>
      group !== null &&
      GROUP.test(group) &&
      group.replace(GROUP, '') === named &&
      submissionTime >= from &&
      submissionTime <= to,
  );
}

const STATUS_TEXT: Readonly<Record<RunStatus, string>> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
};

const status = (run: { status: RunStatus; failureReason: string | null }) =>
  html`<span class="status ${run.status}">${STATUS_TEXT[run.status]}</span>${
      run.failureReason === null ? nothing : html`<div class="reason">${run.failureReason}</div>`
    }`;

const tasks = (run: Pick<JobSummary, 'numTasks' | 'succeededTasks' | 'failedTasks'>) =>
  `${run.succeededTasks}/${run.numTasks}${run.failedTasks > 0 ? ` (${run.failedTasks} failed)` : ''}`;

/**
 * The query's jobs and their stages, as Spark UI's SQL tab lists a query's jobs: each job's id
 * a button (`showJob`: to the monitor's stages of that job, where there is a monitor).
 */
export function queryJobs(
  jobs: readonly JobSummary[],
  engine: EngineStatus,
  showJob: ((jobId: number) => void) | null,
): TemplateResult {
  if (jobs.length === 0)
    return html`<p class="muted">No job: the answer came without running one on the engine.</p>`;
  const ids = new Set(jobs.map((job) => job.jobId));
  const stages = engine.stages.filter((stage) => ids.has(stage.jobId));
  return html`<div class="wide">
    <table part="jobs">
      <caption>
        Jobs (${jobs.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">Job Id</th>
          <th scope="col">Description</th>
          <th scope="col" class="num">Duration</th>
          <th scope="col" class="num">Tasks</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        ${jobs.map(
          (job) =>
            html`<tr>
              <th scope="row">
                ${
                  showJob
                    ? html`<button
                        type="button"
                        class="link"
                        aria-label="Stages of job ${job.jobId}"
                        @click=${() => showJob(job.jobId)}
                      >
                        ${job.jobId}
                      </button>`
                    : job.jobId
                }
              </th>
              <td class="wrap">${job.description}</td>
              <td class="num">${formatDuration(job.durationMs)}</td>
              <td class="num">${tasks(job)}</td>
              <td>${status(job)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${stages.length === 0 ? nothing : stagesTable(stages)}
  </div>`;
}

function stagesTable(stages: readonly StageSummary[]): TemplateResult {
  return html`<table part="stages">
    <caption>
      Stages (${stages.length})
    </caption>
    <thead>
      <tr>
        <th scope="col">Stage Id</th>
        <th scope="col">Name</th>
        <th scope="col" class="num">Duration</th>
        <th scope="col" class="num">Tasks</th>
        <th scope="col" class="num">Input records</th>
        <th scope="col" class="num">Shuffle write</th>
        <th scope="col">Status</th>
      </tr>
    </thead>
    <tbody>
      ${stages.map(
        (stage) =>
          html`<tr>
            <th scope="row">${stage.stageId}.${stage.attempt}</th>
            <td class="wrap">${stage.name}</td>
            <td class="num">${formatDuration(stage.durationMs)}</td>
            <td class="num">${tasks(stage)}</td>
            <td class="num">${formatCount(stage.inputRecords)}</td>
            <td class="num">${formatBytes(stage.shuffleWriteBytes)}</td>
            <td>${status(stage)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
