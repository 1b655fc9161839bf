import { describe, expect, it } from 'vitest';
import { InvalidTopicConfigError, rangeAssign, topicConfig } from '../../src/log';

describe('rangeAssign', () => {
  it("gives each member a contiguous range, the first ones one more, as Kafka's range assignor", () => {
    const members = ['c', 'a', 'b'];
    const shares = members.map((m) => rangeAssign('t', 8, members, m).map((tp) => tp.partition));
    expect(shares).toEqual([
      [6, 7],
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('leaves members beyond the partition count without partitions, and strangers too', () => {
    expect(rangeAssign('t', 1, ['a', 'b'], 'b')).toEqual([]);
    expect(rangeAssign('t', 1, ['a', 'b'], 'a')).toEqual([{ topic: 't', partition: 0 }]);
    expect(rangeAssign('t', 4, ['a'], 'z')).toEqual([]);
  });
});

describe('topicConfig', () => {
  it("fills Kafka's defaults", () => {
    expect(topicConfig({ name: 'clicks' }, 5)).toEqual({
      name: 'clicks',
      partitions: 1,
      retentionMs: 604_800_000,
      retentionBytes: -1,
      createdAt: 5,
    });
  });

  it('names the setting that is invalid and what it takes', () => {
    expect(() => topicConfig({ name: 'a b' })).toThrow(InvalidTopicConfigError);
    expect(() => topicConfig({ name: 't', partitions: 1.5 })).toThrow(
      /partitions 1.5: a whole number/,
    );
    expect(() => topicConfig({ name: 't', retentionMs: 0 })).toThrow(/retentionMs 0/);
    expect(() => topicConfig({ name: 't', retentionBytes: -2 })).toThrow(/retentionBytes -2/);
  });
});
