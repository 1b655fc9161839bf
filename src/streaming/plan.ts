import { crc32 } from '../log';
import type { AnyDStream, Output } from './operator';

/** A job's plan as a checkpoint records it. */
export interface Plan {
  readonly hash: string;
  readonly text: string;
}

/** The plan: one line per stream and output, in the order they were declared, and its hash. */
export function planOf(streams: readonly AnyDStream[], outputs: readonly Output[]): Plan {
  const lines = [
    ...streams.map(
      (s) =>
        `${s.id} ${s.operator.kind}(${s.operator.describe()})` +
        (s.parents.length ? ` <- ${s.parents.map((p) => p.id).join(', ')}` : ''),
    ),
    ...outputs.map((o) => `${o.id} ${o.describe()}`),
  ];
  const text = lines.join('\n');
  const hash = (crc32(new TextEncoder().encode(text)) >>> 0).toString(16).padStart(8, '0');
  return { hash, text };
}
