/**
 * A topic of messages between the tabs of an origin (BroadcastChannel): every tab but the
 * sender receives each message, in the order it was posted. Delivery is best effort: a tab
 * that needs a fact for sure reads it from IndexedDB, and uses the bus only to learn early.
 * A page that may go into the back/forward cache closes its channels (a message arriving
 * there would evict it), and opens them again when it is shown: it misses what was said meanwhile.
 */
export class Bus<M> {
  private channel: BroadcastChannel | null = null;
  private closed = false;
  private readonly listeners = new Set<(message: M) => void>();

  constructor(private readonly name: string) {
    this.open();
    if (globalThis.document) {
      addEventListener('pagehide', this.onPageHide);
      addEventListener('pageshow', this.onPageShow);
    }
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
    this.closed = true;
    this.listeners.clear();
    this.channel?.close();
    this.channel = null;
    if (globalThis.document) {
      removeEventListener('pagehide', this.onPageHide);
      removeEventListener('pageshow', this.onPageShow);
    }
  }

  private open(): void {
    this.channel = openChannel(`tabstream:${this.name}`);
    this.channel?.addEventListener('message', (event: MessageEvent<M>) => {
      for (const listener of this.listeners) listener(event.data);
    });
  }

  private readonly onPageHide = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    this.channel?.close();
    this.channel = null;
  };

  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && !this.closed && !this.channel) this.open();
  };
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
