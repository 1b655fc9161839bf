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
 * passes over corrupt batches and gaps (only once the position reaches them, so none is passed
 * over early) if the reader skips them, or else stops there with the error, and stops at a gap
 * below the log-start offset, which only retention deleting records under the reader can make
 * (the next poll then applies the reset policy).
 */
export class PartitionCursor {
  private readonly corrupt: CorruptRecordError[] = [];
  private atGap = false;
  /** The corrupt batch the position reached, when the reader does not skip them. */
  failure: CorruptRecordError | null = null;

  constructor(
    public position: number,
    private readonly counts: SkipCounts,
    private readonly skipCorrupt: boolean,
  ) {}

  /** Remembers a corrupt batch (or gap), to pass over or stop at. */
  readonly onCorrupt = (error: CorruptRecordError): void => {
    this.corrupt.push(error);
  };

  get stopped(): boolean {
    return this.atGap || this.failure !== null;
  }

  /** Adds the batch's records from the position on to `into`, at most `max`; false once stopped. */
  take(batch: RecordBatch, max: number, into: ConsumerRecord[]): boolean {
    this.passSkipped();
    if (batch.baseOffset > this.position) this.atGap = true;
    if (this.stopped || max <= 0) return false;
    const start = Math.max(0, this.position - batch.baseOffset);
    const end = Math.min(batch.count, start + max);
    for (let i = start; i < end; i++) into.push(consumerRecordAt(batch, i));
    this.position = Math.max(this.position, batch.baseOffset + end);
    return true;
  }

  /** Moves the position past the corrupt batches it has reached, or stops at the first. */
  passSkipped(): void {
    for (const error of this.corrupt) {
      const until = error.offset + error.records;
      if (this.stopped || this.position < error.offset || this.position >= until) continue;
      if (!this.skipCorrupt) {
        this.failure = error;
        return;
      }
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
