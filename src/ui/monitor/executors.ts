import { html, type TemplateResult } from 'lit';
import type { ExecutorSummary } from '../../status';
import { dataTable, summed, type Column } from './table';
import { formatBytes, formatCount, formatDuration } from '../shared';

const COLUMNS: readonly Column<ExecutorSummary>[] = [
  { header: 'Executor ID', cell: (executor) => executor.executorId },
  {
    header: 'Status',
    cell: ({ active }) =>
      html`<span class="status ${active ? 'active' : 'dead'}">${active ? 'Active' : 'Dead'}</span>`,
    total: (executors) => {
      const active = executors.filter((executor) => executor.active).length;
      return `${active} active, ${executors.length - active} dead`;
    },
  },
  { ...summed('Active tasks', (executor) => executor.activeTasks, formatCount), priority: 2 },
  summed('Completed tasks', (executor) => executor.completedTasks, formatCount),
  { ...summed('Failed tasks', (executor) => executor.failedTasks, formatCount), priority: 2 },
  { ...summed('Task time', (executor) => executor.taskTimeMs, formatDuration), priority: 2 },
  { ...summed('Input records', (executor) => executor.inputRecords, formatCount), priority: 3 },
  { ...summed('Shuffle read', (executor) => executor.shuffleReadBytes, formatBytes), priority: 3 },
  {
    ...summed('Shuffle write', (executor) => executor.shuffleWriteBytes, formatBytes),
    priority: 3,
  },
  {
    ...summed('Cached partitions', (executor) => executor.cachedPartitions, formatCount),
    priority: 3,
  },
];

/** The Executors page: one row per executor, live or lost, and their totals. */
export const executorsPage = (executors: readonly ExecutorSummary[]): TemplateResult =>
  dataTable({
    caption: `Executors (${executors.length})`,
    columns: COLUMNS,
    rows: executors,
    key: (executor) => executor.executorId,
    empty: 'No executors yet.',
  });
