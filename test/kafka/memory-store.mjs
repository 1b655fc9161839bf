// A store for the produce API (produce-api.mjs' RecordStore) that keeps the records in memory,
// as a broker would: the sink's browser tests run the same API as the real Kafka's stand-in,
// without a JVM.
import { jsonOrText } from './rest-shapes.mjs';

/**
 * Topics `topics` (name → partitions), empty.
 * Must: give each partition's records offsets 0, 1, 2… in the order appended.
 */
export function memoryStore(topics) {
  const logs = new Map(
    Object.entries(topics).map(([name, partitions]) => [
      name,
      { ends: new Array(partitions).fill(0), records: [] },
    ]),
  );
  return {
    async partitions(topic) {
      return logs.get(topic)?.ends.map((_, partitionId) => ({ partitionId, leader: 0 }));
    },
    async append(topic, records) {
      const log = logs.get(topic);
      const timestamp = Date.now();
      return records.map(({ key, value, partition }) => {
        const offset = log.ends[partition]++;
        log.records.push({ partition, offset, key, value });
        return { partition, offset, timestamp };
      });
    },
    /** Each topic's records in the order appended, key and value as JSON (or text). */
    records() {
      return Object.fromEntries(
        [...logs].map(([name, log]) => [
          name,
          log.records.map(({ partition, offset, key, value }) => ({
            partition,
            offset,
            key: jsonOrText(key),
            value: jsonOrText(value),
          })),
        ]),
      );
    },
  };
}
