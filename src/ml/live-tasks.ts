import { defineFn } from '../engine';
import type { ConsumerRecord } from '../log';
import { CLICK_COLUMNS } from './heat-tasks';

/**
 * The function a live heatmap runs in the executors, by name: a streaming batch's records (of
 * the log's direct stream) as the rows a heatmap reads of the log's columns, so that the batch
 * heatmap's own filter (`HEAT_TASK.clicks`) picks the page's clicks out of them.
 */
export const LIVE_TASK = { row: 'tabstream.ml.live-click-row' } as const;

/** A record as a row of `CLICK_COLUMNS`, `_timestamp` being the record's timestamp. */
defineFn(LIVE_TASK.row, (record) => {
  const { value, timestamp } = record as ConsumerRecord;
  return CLICK_COLUMNS.map((name) => (name === '_timestamp' ? timestamp : value[name]));
});
