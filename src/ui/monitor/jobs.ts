import { html, type TemplateResult } from 'lit';
import {
  lastAttempts,
  type EngineStatus,
  type JobSummary,
  type RunStatus,
  type StageSummary,
} from '../../status';
import { facts, jobButton, statusCell, tasksBar, timeCell } from './cells';
import { formatDuration } from '../shared';
import { dataTable, type Column } from './table';

/** The Jobs page: how many jobs are active, completed and failed, then every retained job. */
export function jobsPage(engine: EngineStatus, showJob: (jobId: number) => void): TemplateResult {
  const last = lastAttempts(engine.stages);
  const count = (status: RunStatus) => engine.jobs.filter((job) => job.status === status).length;
  const columns: Column<JobSummary>[] = [
    { header: 'Job Id', cell: (job) => jobButton(job.jobId, showJob) },
    { header: 'Description', wrap: true, cell: (job) => job.description },
    { header: 'Group', priority: 3, cell: (job) => job.group ?? '' },
    { header: 'Submitted', priority: 3, cell: (job) => timeCell(job.submissionTime) },
    {
      header: 'Duration',
      numeric: true,
      priority: 2,
      cell: (job) => formatDuration(job.durationMs),
    },
    { header: 'Stages: Succeeded/Total', priority: 3, cell: (job) => stagesText(job, last) },
    {
      header: 'Tasks: Succeeded/Total',
      cell: tasksBar,
    },
    { header: 'Status', cell: (job) => statusCell(job.status, job.failureReason) },
  ];
  return html`${facts([
    ['Active jobs', count('running')],
    ['Completed jobs', count('succeeded')],
    ['Failed jobs', count('failed')],
  ])}
  ${dataTable({
    caption: `Jobs (${engine.jobs.length}), newest first`,
    columns,
    rows: engine.jobs,
    key: (job) => job.jobId,
    empty: 'No jobs yet.',
  })}`;
}

/**
 * Spark's "1/2 (1 skipped)": stages marked skipped, and those a finished job did not run itself
 * (their shuffle output was there already), count as skipped.
 */
function stagesText(job: JobSummary, last: ReadonlyMap<number, StageSummary>): string {
  const ran = job.stageIds
    .map((stageId) => last.get(stageId))
    .filter((stage): stage is StageSummary => stage?.jobId === job.jobId);
  const succeeded = ran.filter((stage) => stage.status === 'succeeded').length;
  const skipped =
    ran.filter((stage) => stage.status === 'skipped').length +
    (job.status === 'running' ? 0 : job.stageIds.length - ran.length);
  return `${succeeded}/${job.stageIds.length}${skipped > 0 ? ` (${skipped} skipped)` : ''}`;
}
