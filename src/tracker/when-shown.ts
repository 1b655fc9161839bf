/**
 * Runs `work` now, or, if the page is being prerendered (it may never be shown), once it is
 * activated. Returns a function that cancels a call still waiting.
 */
export function whenShown(work: () => void): () => void {
  if (!(document as Document & { prerendering?: boolean }).prerendering) {
    work();
    return () => {};
  }
  document.addEventListener('prerenderingchange', work, { once: true });
  return () => document.removeEventListener('prerenderingchange', work);
}
