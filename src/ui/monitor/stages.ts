import { html, type TemplateResult } from 'lit';
import type { EngineStatus, StageSummary } from '../../status';
import { jobButton, message, statusCell, tasksBar, timeCell } from './cells';
import { formatBytes, formatCount, formatDuration } from '../shared';
import { KIND_TEXT, stageKey, stagePage } from './stage';
import { dataTable, type Column } from './table';

/** Where the Stages tab is: every stage, one job's stages, or one stage attempt of a job. */
export interface StagesView {
  /** The job whose stages show; null for all. */
  readonly jobId: number | null;
  /** The stage attempt shown, as `stageId.attempt`; null for the table. */
  readonly stage: string | null;
}

/** The Stages tab's first view: every stage. */
export const ALL_STAGES: StagesView = { jobId: null, stage: null };

/** The Stages tab at `view`, with a breadcrumb trail; `go` moves to another view. */
export function stagesPage(
  engine: EngineStatus,
  view: StagesView,
  go: (view: StagesView) => void,
): TemplateResult {
  if (view.stage === null) return html`${crumbs(view, go)}${stagesTable(engine, view, go)}`;
  const stage = engine.stages.find((candidate) => stageKey(candidate) === view.stage);
  return html`${crumbs(view, go)}${
    stage ? stagePage(stage) : message(`Stage ${view.stage} is no longer retained.`)
  }`;
}

/** All stages › Job 3 › Stage 4.0: each step but the last a button back to it. */
function crumbs(view: StagesView, go: (view: StagesView) => void): TemplateResult {
  const steps: [string, StagesView][] = [['All stages', ALL_STAGES]];
  if (view.jobId !== null) steps.push([`Job ${view.jobId}`, { ...view, stage: null }]);
  if (view.stage !== null) steps.push([`Stage ${view.stage}`, view]);
  return html`<nav class="crumbs" aria-label="Stages">
    <ol>
      ${steps.map(([label, target], i) =>
        i === steps.length - 1
          ? html`<li><span aria-current="page" tabindex="-1">${label}</span></li>`
          : html`<li>
              <button type="button" class="link" @click=${() => go(target)}>${label}</button>
            </li>`,
      )}
    </ol>
  </nav>`;
}

function stagesTable(
  engine: EngineStatus,
  view: StagesView,
  go: (view: StagesView) => void,
): TemplateResult {
  const stages =
    view.jobId === null ? engine.stages : engine.stages.filter((s) => s.jobId === view.jobId);
  const columns: Column<StageSummary>[] = [
    {
      header: 'Stage Id',
      cell: (stage) =>
        html`<button
          type="button"
          class="link"
          @click=${() => go({ jobId: stage.jobId, stage: stageKey(stage) })}
        >
          ${stageKey(stage)}
        </button>`,
    },
    {
      header: 'Job Id',
      priority: 3,
      cell: (stage) => jobButton(stage.jobId, (jobId) => go({ jobId, stage: null })),
    },
    { header: 'Name', wrap: true, cell: (stage) => stage.name },
    { header: 'Kind', priority: 3, cell: (stage) => KIND_TEXT[stage.kind] },
    { header: 'Submitted', priority: 3, cell: (stage) => timeCell(stage.submissionTime) },
    {
      header: 'Duration',
      numeric: true,
      priority: 2,
      cell: (stage) => formatDuration(stage.durationMs),
    },
    { header: 'Tasks: Succeeded/Total', cell: tasksBar },
    {
      header: 'Input records',
      numeric: true,
      priority: 3,
      cell: (stage) => formatCount(stage.inputRecords),
    },
    {
      header: 'Output records',
      numeric: true,
      priority: 3,
      cell: (stage) => formatCount(stage.outputRecords),
    },
    {
      header: 'Shuffle read',
      numeric: true,
      priority: 3,
      cell: (stage) => formatBytes(stage.shuffleReadBytes),
    },
    {
      header: 'Shuffle write',
      numeric: true,
      priority: 3,
      cell: (stage) => formatBytes(stage.shuffleWriteBytes),
    },
    { header: 'Status', cell: (stage) => statusCell(stage.status, stage.failureReason) },
  ];
  return dataTable({
    caption:
      view.jobId === null
        ? `Stages (${stages.length}), newest first`
        : `Stages of job ${view.jobId} (${stages.length})`,
    columns,
    rows: stages,
    key: stageKey,
    empty: view.jobId === null ? 'No stages yet.' : `No retained stage of job ${view.jobId}.`,
  });
}
