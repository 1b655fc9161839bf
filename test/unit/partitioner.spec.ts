import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, Partitioner } from '../../src/log';

describe('murmur2', () => {
  // Kafka's own vectors: org.apache.kafka.common.utils.UtilsTest.testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s as Kafka does', (key, hash) => {
    expect(murmur2(key)).toBe(hash);
  });
});

describe('Partitioner', () => {
  it('sends a key to toPositive(murmur2(key)) % partitions', () => {
    expect(partitionForKey('21', 7)).toBe((-973932308 & 0x7fffffff) % 7);
    expect(new Partitioner().partition('foobar', 4)).toBe(partitionForKey('foobar', 4));
  });

  it('remembers keys per partition count, and follows the count when it grows', () => {
    const partitioner = new Partitioner();
    const keys = Array.from({ length: 50 }, (_, i) => `session-${i}`);
    for (const partitions of [4, 4, 7]) {
      for (const key of keys) {
        expect(partitioner.partition(key, partitions)).toBe(partitionForKey(key, partitions));
      }
    }
  });

  it('sticks null keys to one partition until a batch is sealed, then moves on', () => {
    const partitioner = new Partitioner();
    const first = partitioner.partition(null, 4);
    for (let i = 0; i < 20; i++) expect(partitioner.partition(null, 4)).toBe(first);
    partitioner.onNewBatch(first, 4);
    expect(partitioner.partition(null, 4)).not.toBe(first);
  });
});
