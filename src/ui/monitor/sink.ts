import { html, type TemplateResult } from 'lit';
import { groupBy } from '../../shared';
import type { SinkPartitionStatus, SinkState, SinkStatus } from '../../status';
import { facts, message, timeCell } from './cells';
import { formatCount, plural } from '../shared';
import { dataTable, summed, type Column } from './table';

/** What the sink is doing, in words, and the class that colours it. */
const STATE_TEXT: Readonly<Record<SinkState, readonly [string, string]>> = {
  running: ['Running', 'succeeded'],
  'waiting-online': ['Waiting for the network', 'skipped'],
  'backing-off': ['Backing off', 'running'],
  'not-allowed': ['Not allowed (privacy)', 'skipped'],
  stopped: ['Stopped', 'skipped'],
  'stopped-fatal': ['Stopped: error', 'failed'],
};

const COLUMNS: readonly Column<SinkPartitionStatus>[] = [
  { header: 'Partition', cell: (p) => p.partition },
  { header: 'Shipped offset', numeric: true, cell: (p) => formatCount(p.shipped) },
  { header: 'End offset', numeric: true, cell: (p) => formatCount(p.highWatermark) },
  summed('Lag', (p) => p.lag, formatCount),
];

/**
 * The Sink page: what the leader's Kafka sink is doing, its requests, retries and records
 * shipped, its last error; then per topic, each partition's shipped offset (the group
 * `tabstream-sink`'s committed offset: the proxy acknowledged every record before it), its end
 * offset and its lag, as `kafka-consumer-groups --describe` shows them.
 */
export function sinkPage(sink: SinkStatus): TemplateResult {
  const [state, colour] = STATE_TEXT[sink.state];
  const lag = sink.partitions.reduce((sum, p) => sum + p.lag, 0);
  return html`${facts([
    ['State', html`<span class="status ${colour}">${state}</span>`],
    ['Requests', formatCount(sink.requests)],
    ['Retries', formatCount(sink.retries)],
    ['Records shipped', formatCount(sink.recordsShipped)],
    ['Lag', formatCount(lag)],
  ])}
  ${lastErrorPart(sink.lastError)}
  ${
    sink.partitions.length === 0
      ? message('No partitions yet.')
      : [...groupBy(sink.partitions, (partition) => partition.topic)].map(([topic, partitions]) =>
          dataTable({
            caption: `Topic ${topic} (${plural(partitions.length, 'partition')})`,
            columns: COLUMNS,
            rows: partitions,
            key: (partition) => partition.partition,
            empty: 'No partitions.',
          }),
        )
  }`;
}

/** The last failed request: when, and what the proxy or the network said (as text). */
const lastErrorPart = (lastError: SinkStatus['lastError']): TemplateResult =>
  lastError === null
    ? html`<p class="as-of" part="sink-error">No failed requests.</p>`
    : html`<p class="error" part="sink-error">
        Last error, at ${timeCell(lastError.at)}: ${lastError.message}
      </p>`;
