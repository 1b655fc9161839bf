import { html, type TemplateResult } from 'lit';
import type { DamageSeen, PartitionStatus, TopicStatus } from '../../status';
import { message } from './cells';
import { formatBytes, formatCount, plural } from '../shared';
import { dataTable, summed, type Column } from './table';

/**
 * The Log page, like `kafka-consumer-groups --describe` beside `kafka-topics --describe`: per
 * topic, each partition's offsets and size, and each consumer group's committed offset and lag
 * there, with the group's total lag; then any damage found in storage.
 */
export function logPage(topics: readonly TopicStatus[], damage: DamageSeen): TemplateResult {
  return html`${topics.length === 0 ? message('No topics yet.') : topics.map(topicTable)}
  ${damagePart(damage)}`;
}

/** The damage met in storage, counted, with the latest named (as text: it quotes storage). */
function damagePart({ count, recent }: DamageSeen): TemplateResult {
  if (count === 0) return html`<p class="as-of" part="damage">No damage found in storage.</p>`;
  return html`<section class="error" part="damage" aria-label="Damage found in storage">
    <p>Damage found in storage: ${formatCount(count)} (gone around; new clicks are counted)</p>
    <ul>
      ${recent.map((d) => html`<li>${d.database} / ${d.store} / ${d.at}: ${d.problem}</li>`)}
    </ul>
  </section>`;
}

function topicTable({ topic, partitions }: TopicStatus): TemplateResult {
  const groups = [...new Set(partitions.flatMap((p) => p.groups.map((g) => g.group)))];
  const columns: Column<PartitionStatus>[] = [
    { header: 'Partition', cell: (p) => p.partition },
    {
      header: 'Log start offset',
      numeric: true,
      priority: 3,
      cell: (p) => formatCount(p.logStartOffset),
    },
    { header: 'End offset', numeric: true, cell: (p) => formatCount(p.highWatermark) },
    { ...summed('Size', (p) => p.bytes, formatBytes), priority: 2 },
    { ...summed('Batches', (p) => p.batches, formatCount), priority: 3 },
    ...groups.flatMap((group): Column<PartitionStatus>[] => {
      const position = (p: PartitionStatus) => p.groups.find((g) => g.group === group);
      const label = `Group ${group}`;
      return [
        {
          header: 'Committed offset',
          numeric: true,
          group: label,
          cell: (p) => {
            const offset = position(p)?.offset ?? null;
            return offset === null ? 'none' : formatCount(offset);
          },
        },
        summed('Lag', (p) => position(p)?.lag ?? 0, formatCount, label),
      ];
    }),
  ];
  return dataTable({
    caption: `Topic ${topic} (${plural(partitions.length, 'partition')})`,
    columns,
    rows: partitions,
    key: (partition) => partition.partition,
    empty: 'No partitions.',
  });
}
