/**
 * Aborts a transaction whose failure the caller reports itself: its `done` rejection is handled
 * here, and aborting one that already finished is not an error.
 */
export function abortQuietly(tx: { readonly done: Promise<void>; abort(): void }): void {
  tx.done.catch(() => {});
  try {
    tx.abort();
  } catch {
    // Already finished or aborted: nothing of this transaction was, or will be, committed.
  }
}
