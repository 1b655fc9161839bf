import type { HeatSpot } from './types';

const keyOf = (spot: HeatSpot) => JSON.stringify([spot.selector, spot.ex, spot.ey]);

/** Spots' order in a layer: most clicked first, then by selector (so runs agree). */
export const mostClickedFirst = (a: HeatSpot, b: HeatSpot): number =>
  b.count - a.count || (a.selector < b.selector ? -1 : 1);

/**
 * The spots of `spots` and `more` as one layer: those of the same element and place in it (the
 * same bucket) added up, their page position the mean of all their clicks; most clicked first.
 */
export function mergeSpots(spots: readonly HeatSpot[], more: readonly HeatSpot[]): HeatSpot[] {
  const merged = new Map(spots.map((spot) => [keyOf(spot), spot]));
  for (const spot of more) {
    const key = keyOf(spot);
    const was = merged.get(key);
    const count = (was?.count ?? 0) + spot.count;
    const mean = (a: number, b: number) => ((was ? a * was.count : 0) + b * spot.count) / count;
    merged.set(key, {
      ...spot,
      x: mean(was?.x ?? 0, spot.x),
      y: mean(was?.y ?? 0, spot.y),
      count,
    });
  }
  return [...merged.values()].sort(mostClickedFirst);
}
