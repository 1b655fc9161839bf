import type { CorruptRecordError } from './fetch';
import { columnValue, eventAt, type LogEvent, type RecordBatch } from './record-batch';

/** A record as a consumer receives it. */
export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: LogEvent;
}

/** What a cursor passed over, for the consumer's metrics. */
export interface SkipCounts {
  corruptBatchesSkipped: number;
  corruptRecordsSkipped: number;
}

/**
 * A consumer's position in one partition while a poll reads it: takes records in offset order,
 * passes over corrupt batches the reader skips (only once the position reaches them, so none is
 * passed over early), and stops at a gap in the offsets, which only retention deleting records
 * under the reader can make (the next poll then applies the reset policy).
 */
export class PartitionCursor {
  private readonly skipped: [number, number][] = [];
  private atGap = false;

  constructor(
    public position: number,
    private readonly counts: SkipCounts,
  ) {}

  /** Remembers a corrupt batch to pass over. */
  readonly onCorrupt = (error: CorruptRecordError): void => {
    this.skipped.push([error.offset, error.offset + error.records]);
  };

  get stopped(): boolean {
    return this.atGap;
  }

  /** Adds the batch's records from the position on to `into`, at most `max`; false once stopped. */
  take(batch: RecordBatch, max: number, into: ConsumerRecord[]): boolean {
    this.passSkipped();
    if (batch.baseOffset > this.position) this.atGap = true;
    if (this.atGap || max <= 0) return false;
    const start = Math.max(0, this.position - batch.baseOffset);
    const end = Math.min(batch.count, start + max);
    for (let i = start; i < end; i++) into.push(consumerRecordAt(batch, i));
    this.position = Math.max(this.position, batch.baseOffset + end);
    return true;
  }

  /** Moves the position past the skipped batches it has reached. */
  passSkipped(): void {
    for (const [from, until] of this.skipped) {
      if (this.position < from || this.position >= until) continue;
      this.counts.corruptBatchesSkipped++;
      this.counts.corruptRecordsSkipped += until - this.position;
      this.position = until;
    }
  }
}

/** The record at index `i` of a batch, as a consumer receives it. */
export function consumerRecordAt(batch: RecordBatch, i: number): ConsumerRecord {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: batch.baseOffset + i,
    timestamp: batch.timestamps![i]!,
    key: batch.keys ? (columnValue(batch.keys, i) as string | null) : null,
    value: eventAt(batch.values, i),
  };
}
