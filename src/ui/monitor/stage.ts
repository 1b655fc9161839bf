import { html, type TemplateResult } from 'lit';
import type { Quantiles, StageSummary } from '../../status';
import { facts, statusCell, tasksBar, timeCell } from './cells';
import { formatBytes, formatCount, formatDuration, plural } from '../shared';
import { dataTable, type Column } from './table';

/** A stage's kind as the tables write it. */
export const KIND_TEXT: Readonly<Record<StageSummary['kind'], string>> = {
  'shuffle-map': 'Shuffle map',
  result: 'Result',
};

/** A stage attempt's id as Spark writes it, and as the Stages tab selects it: `4.0`. */
export const stageKey = (stage: StageSummary): string => `${stage.stageId}.${stage.attempt}`;

/** A row of the task summary: one task metric's five figures. */
interface MetricRow {
  readonly metric: string;
  readonly figures: Quantiles;
  readonly format: (value: number) => string;
}

/** Each quantile's header, key and priority: the median and the extremes hide last. */
const QUANTILES = [
  ['Min', 'min', 2],
  ['25th percentile', 'p25', 3],
  ['Median', 'median', 1],
  ['75th percentile', 'p75', 3],
  ['Max', 'max', 1],
] as const;

const SUMMARY_COLUMNS: readonly Column<MetricRow>[] = [
  { header: 'Metric', cell: (row) => row.metric },
  ...QUANTILES.map(([header, key, priority]) => ({
    header,
    numeric: true,
    priority,
    cell: (row: MetricRow) => row.format(row.figures[key]),
  })),
];

/** Spark's stage page: the attempt's figures, then the summary metrics of its finished tasks. */
export function stagePage(stage: StageSummary): TemplateResult {
  const rows = [
    { metric: 'Duration', figures: stage.taskDurationMs, format: formatDuration },
    { metric: 'Input records', figures: stage.taskRecords, format: formatCount },
  ].filter((row): row is MetricRow => row.figures !== null);
  return html`${facts([
    ['Name', stage.name],
    ['Kind', KIND_TEXT[stage.kind]],
    ['Status', statusCell(stage.status, stage.failureReason)],
    ['Submitted', timeCell(stage.submissionTime)],
    ['Duration', formatDuration(stage.durationMs)],
    ['Tasks', tasksBar(stage)],
    ['Input records', formatCount(stage.inputRecords)],
    ['Output records', formatCount(stage.outputRecords)],
    ['Shuffle read', formatBytes(stage.shuffleReadBytes)],
    ['Shuffle write', formatBytes(stage.shuffleWriteBytes)],
  ])}
  ${dataTable({
    caption: `Summary metrics for ${plural(stage.succeededTasks, 'completed task')}`,
    columns: SUMMARY_COLUMNS,
    rows,
    key: (row) => row.metric,
    empty: 'No task has finished yet.',
  })}`;
}
