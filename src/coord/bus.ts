/**
 * A topic of messages between the tabs of an origin (BroadcastChannel): every tab but the
 * sender receives each message, in the order it was posted. Delivery is best effort: a tab
 * that needs a fact for sure reads it from IndexedDB, and uses the bus only to learn early.
 */
export class Bus<M> {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(message: M) => void>();

  constructor(name: string) {
    this.channel = openChannel(`tabstream:${name}`);
    this.channel?.addEventListener('message', (event: MessageEvent<M>) => {
      for (const listener of this.listeners) listener(event.data);
    });
  }

  post(message: M): void {
    this.channel?.postMessage(message);
  }

  /** Calls `listener` with every message from another tab; returns the unsubscribe. */
  subscribe(listener: (message: M) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.channel?.close();
  }
}

/** A channel, or null where there is none (an old browser, an opaque origin): tabs then learn from IndexedDB alone. */
function openChannel(name: string): BroadcastChannel | null {
  try {
    const channel = new BroadcastChannel(name);
    (channel as { unref?: () => void }).unref?.(); // in Node (unit tests), never hold the process
    return channel;
  } catch {
    return null;
  }
}
