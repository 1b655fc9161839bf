import { html, type TemplateResult } from 'lit';
import type { BatchStatus, StreamingStatus } from '../../status';
import { facts, message, timeCell } from './cells';
import { timelineChart } from './chart';
import { formatBytes, formatCount, formatDuration, formatRate } from '../shared';
import { dataTable, type Column } from './table';

/** A figure of every batch that the page charts, with its average. */
interface Metric {
  readonly label: string;
  readonly figure: (batch: BatchStatus) => number;
  readonly format: (value: number) => string;
}

const METRICS: readonly Metric[] = [
  { label: 'Input rate', figure: (batch) => batch.inputRate, format: formatRate },
  { label: 'Scheduling delay', figure: (batch) => batch.schedulingDelayMs, format: formatDuration },
  { label: 'Processing time', figure: (batch) => batch.processingMs, format: formatDuration },
];

const COLUMNS: readonly Column<BatchStatus>[] = [
  { header: 'Batch', cell: (batch) => formatCount(batch.batch) },
  { header: 'Batch time', priority: 2, cell: (batch) => timeCell(batch.batchTime) },
  { header: 'Input events', numeric: true, cell: (batch) => formatCount(batch.inputEvents) },
  {
    header: 'Scheduling delay',
    numeric: true,
    priority: 3,
    cell: (batch) => formatDuration(batch.schedulingDelayMs),
  },
  {
    header: 'Processing time',
    numeric: true,
    priority: 2,
    cell: (batch) => formatDuration(batch.processingMs),
  },
  { header: 'Total delay', numeric: true, cell: (batch) => formatDuration(batch.totalDelayMs) },
  {
    header: 'Checkpoint written',
    numeric: true,
    priority: 3,
    cell: ({ checkpointBytes: bytes, checkpointSnapshotBytes: whole }) =>
      bytes === undefined
        ? '—'
        : whole
          ? `${formatBytes(bytes)} of ${formatBytes(whole)}`
          : formatBytes(bytes),
  },
];

/**
 * Spark Streaming's statistics page: the job's state, a timeline with its average for each of
 * input rate, scheduling delay and processing time, and the last batches, newest first.
 */
export function streamingPage({
  active,
  batchIntervalMs,
  batches,
}: StreamingStatus): TemplateResult {
  const events = batches.reduce((sum, batch) => sum + batch.inputEvents, 0);
  return html`${facts([
    [
      'Status',
      html`<span class="status ${active ? 'active' : 'dead'}">
        ${active ? 'Active' : 'Inactive'}
      </span>`,
    ],
    ['Batch interval', formatDuration(batchIntervalMs)],
    ['Batches shown', formatCount(batches.length)],
    ['Input events', formatCount(events)],
  ])}
  ${
    batches.length === 0
      ? message('No batches yet.')
      : html`<div class="metrics">${METRICS.map((metric) => metricTimeline(metric, batches))}</div>
          ${dataTable({
            caption: 'Last batches, newest first',
            columns: COLUMNS,
            rows: [...batches].reverse(),
            key: (batch) => batch.batchTime,
            empty: 'No batches yet.',
          })}`
  }`;
}

function metricTimeline({ label, figure, format }: Metric, batches: readonly BatchStatus[]) {
  const points = batches.map((batch) => ({
    name: `Batch ${formatCount(batch.batch)}`,
    time: batch.batchTime,
    value: figure(batch),
  }));
  const average = points.reduce((sum, point) => sum + point.value, 0) / points.length;
  return html`<section class="metric">
    <h3>${label}</h3>
    <p class="average">avg ${format(average)}</p>
    ${timelineChart({ label, points, average, format })}
  </section>`;
}
