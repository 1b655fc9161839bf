/** `part` of `whole` as a fraction 0..1, 3 decimals: 1 from `whole` on (so a `whole` of 0 too). */
export const fraction = (part: number, whole: number): number =>
  part < whole ? Math.round((Math.max(0, part) / whole) * 1000) / 1000 : 1;
