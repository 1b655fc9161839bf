import type { Funnel, FunnelStepResult } from './types';

/**
 * A funnel's figures from its counts by step: conversion over the first step's count;
 * from-previous and drop-off against the previous required step (a ratio of 0 over 0 is 0).
 */
export function figuresOf(
  counts: readonly number[],
  names: readonly string[],
  optional: readonly boolean[],
): Funnel {
  const entered = counts[0] ?? 0;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  let previous = entered;
  const steps = counts.map((count, i): FunnelStepResult => {
    const first = i === 0;
    const result = {
      step: i + 1,
      name: names[i]!,
      optional: optional[i]!,
      count,
      conversion: ratio(count, entered),
      fromPrevious: first ? 1 : ratio(count, previous),
      dropOff: first || optional[i] ? 0 : previous - count,
    };
    if (!optional[i]) previous = count;
    return result;
  });
  return { entered, steps };
}
