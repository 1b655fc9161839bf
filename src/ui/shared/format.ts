// How the elements write figures: always in English, like the rest of their text, so that a
// table reads the same in every browser locale.

const counts = new Intl.NumberFormat('en');
const decimals = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const clock = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A whole count with thousands separators: `12,345`. */
export const formatCount = (value: number): string => counts.format(value);

/** A rate, one decimal at most: `12.5 events/s`. */
export const formatRate = (eventsPerSecond: number): string =>
  `${decimals.format(eventsPerSecond)} events/s`;

/** Bytes in binary units, as Spark's UI writes them: `512 B`, `1.5 KiB`, `2.0 MiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A duration, in the largest unit that keeps it readable: `45 ms`, `1.5 s`, `2.0 min`, `1.1 h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A time of day in local time, 24-hour: `13:04:05` (the monitor shows one session's jobs). */
export const formatTime = (ms: number): string => clock.format(ms);

/** A count of things: `1 partition`, `1,024 partitions`, `2 batches`. */
export const plural = (count: number, noun: string, nouns = `${noun}s`): string =>
  `${formatCount(count)} ${count === 1 ? noun : nouns}`;
