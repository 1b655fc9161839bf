import { Bus } from '../coord';
import type { TopicPartition } from './offsets';

/** What a log tells its readers after an append: which partitions grew. */
export interface AppendedEvent {
  readonly type: 'appended';
  readonly partitions: readonly TopicPartition[];
}

type Listener = (event: AppendedEvent) => void;

/** One bus per log, and the listeners of this context, which a bus does not tell its own posts. */
const buses = new Map<string, Bus<AppendedEvent>>();
const local = new Map<string, Set<Listener>>();

/**
 * Tells the readers of log `log`, in every tab and worker of the origin, that partitions grew.
 * Best effort: readers poll too, this only wakes them early.
 */
export function notifyAppended(log: string, partitions: readonly TopicPartition[]): void {
  const event: AppendedEvent = {
    type: 'appended',
    partitions: partitions.map(({ topic, partition }) => ({ topic, partition })),
  };
  busOf(log).post(event);
  for (const listener of local.get(log) ?? []) listener(event);
}

/** Calls `listener` after every append to log `log` by anyone; returns the unsubscribe. */
export function onAppended(log: string, listener: Listener): () => void {
  const listeners = local.get(log) ?? new Set();
  local.set(log, listeners);
  listeners.add(listener);
  const stop = busOf(log).subscribe(listener);
  return () => {
    listeners.delete(listener);
    stop();
  };
}

function busOf(log: string): Bus<AppendedEvent> {
  let bus = buses.get(log);
  if (!bus) buses.set(log, (bus = new Bus(`log:${log}`)));
  return bus;
}
