import { describe, expect, it } from 'vitest';
import { paneOf } from '../../src/streaming/event-time';

describe('paneOf: the pane of an event time, named by its end', () => {
  const pane = 1000;
  const batch = 10_000;

  it('holds the times in (end - pane, end], as a batch holds its interval', () => {
    expect(paneOf(9_001, batch, pane)).toBe(10_000);
    expect(paneOf(9_000, batch, pane)).toBe(9_000);
    expect(paneOf(8_999, batch, pane)).toBe(9_000);
  });

  it('times a record with no event time, or one after its batch, by the batch', () => {
    for (const none of [undefined, null, 'yesterday', Number.NaN, Infinity])
      expect(paneOf(none, batch, pane)).toBe(10_000);
    expect(paneOf(batch + 5_000, batch, pane)).toBe(10_000);
    expect(paneOf(batch + 5_000, batch + 1, pane)).toBe(11_000); // a batch off the grid
  });
});
