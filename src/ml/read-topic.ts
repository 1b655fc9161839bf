import type { Dataset, EngineContext } from '../engine';
import { UnknownTopicOrPartitionError, type OffsetRange } from '../log';

/**
 * The partitions' results of a job over a topic's rows (of `ranges`, or the whole log), or none
 * if the topic does not exist yet (a heatmap before the first click, or a tracker that records
 * no scrolls).
 */
export async function ifTopic<T>(
  context: EngineContext,
  topic: string,
  names: readonly string[],
  since: number | null,
  job: (rows: Dataset<unknown[]>) => Promise<T>,
  none: T,
  ranges?: readonly OffsetRange[],
): Promise<T> {
  const rows = context.logRows(topic, { names, minTimestamp: since }, ranges);
  try {
    await rows.getNumPartitions();
  } catch (error) {
    if (error instanceof UnknownTopicOrPartitionError) return none;
    throw error;
  }
  return job(rows);
}
