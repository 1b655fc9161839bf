/** What a log tells its readers after an append: which partitions grew. */
export interface AppendedEvent {
  readonly type: 'appended';
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[];
}

const channels = new Map<string, BroadcastChannel | null>();
const local = new Map<string, Set<(event: AppendedEvent) => void>>();

/**
 * Tells the readers of log `log`, in every tab and worker of the origin, that partitions grew.
 * Best effort: readers poll too, this only wakes them early.
 */
export function notifyAppended(
  log: string,
  partitions: readonly { readonly topic: string; readonly partition: number }[],
): void {
  const event: AppendedEvent = {
    type: 'appended',
    partitions: partitions.map(({ topic, partition }) => ({ topic, partition })),
  };
  channel(log)?.postMessage(event);
  for (const listener of local.get(log) ?? []) listener(event);
}

/** Calls `listener` after every append to log `log` by anyone; returns the unsubscribe. */
export function onAppended(log: string, listener: (event: AppendedEvent) => void): () => void {
  const listeners = local.get(log) ?? new Set();
  local.set(log, listeners);
  listeners.add(listener);
  const fromOthers = (message: MessageEvent<AppendedEvent>): void => listener(message.data);
  const others = channel(log);
  others?.addEventListener('message', fromOthers);
  return () => {
    listeners.delete(listener);
    others?.removeEventListener('message', fromOthers);
  };
}

function channel(log: string): BroadcastChannel | null {
  if (!channels.has(log)) {
    try {
      const channel = new BroadcastChannel(`tabstream:log:${log}`);
      (channel as { unref?: () => void }).unref?.(); // in Node (unit tests), never hold the process
      channels.set(log, channel);
    } catch {
      channels.set(log, null); // no BroadcastChannel (an opaque origin): readers poll
    }
  }
  return channels.get(log)!;
}
