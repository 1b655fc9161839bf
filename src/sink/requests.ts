import type { ConsumerRecord } from '../log';
import { groupBy } from '../shared';
import type { Wire } from './wire';

/** One produce request: records of one topic, in offset order per partition, and its body. */
export interface ProduceRequest {
  readonly topic: string;
  readonly records: readonly ConsumerRecord[];
  readonly body: string;
  /** The body's size in bytes (UTF-8). */
  readonly bytes: number;
}

export interface RequestLimits {
  readonly maxRecordsPerRequest: number;
  readonly maxBytesPerRequest: number;
}

const encoder = new TextEncoder();
const bytesOf = (text: string): number => encoder.encode(text).byteLength;

/**
 * Splits polled records into produce requests.
 * - must keep each partition's records in the order given (the log's), across requests too;
 * - must put one topic in a request, at most `maxRecordsPerRequest` records and at most
 *   `maxBytesPerRequest` bytes of body, but a record larger than that alone.
 */
export function toRequests(
  records: readonly ConsumerRecord[],
  wire: Wire,
  idOf: (record: ConsumerRecord) => string,
  limits: RequestLimits,
): ProduceRequest[] {
  const byTopic = groupBy(records, (record) => record.topic);
  const requests: ProduceRequest[] = [];
  const envelope = bytesOf(wire.open) + bytesOf(wire.close);
  for (const [topic, list] of byTopic) {
    let taken: ConsumerRecord[] = [];
    let entries: string[] = [];
    let bytes = envelope;
    const seal = (): void => {
      const body = `${wire.open}${entries.join(',')}${wire.close}`;
      requests.push({ topic, records: taken, body, bytes });
      [taken, entries, bytes] = [[], [], envelope];
    };
    for (const record of list) {
      let entry = wire.entry(record, idOf(record), entries.length);
      let size = bytesOf(entry) + (entries.length > 0 ? 1 : 0); // with its comma
      const full =
        entries.length >= limits.maxRecordsPerRequest || bytes + size > limits.maxBytesPerRequest;
      if (entries.length > 0 && full) {
        seal();
        entry = wire.entry(record, idOf(record), 0); // v3 numbers the entries of a request
        size = bytesOf(entry);
      }
      entries.push(entry);
      taken.push(record);
      bytes += size;
    }
    if (entries.length > 0) seal();
  }
  return requests;
}
