import { isSecret, isSensitive, scrub } from './sensitive';

export const MAX_LABEL = 255;

/**
 * What a person reads on `element`: its aria-label, else its visible text, whitespace
 * collapsed, at most 255 chars, card and social-security-like numbers scrubbed; null if none.
 * - must never read the value of a form field, nor any text of a sensitive element;
 * - must read a bounded amount of text, however large the element.
 */
export function labelOf(element: Element): string | null {
  if (isSecret(element)) return null;
  const aria = element.getAttribute('aria-label');
  const text = aria ?? (isSensitive(element) ? '' : visibleText(element));
  const label = scrub(text.replace(/\s+/g, ' ').trim()).slice(0, MAX_LABEL);
  return label || null;
}

/** The text of `element` outside its sensitive descendants, stopping soon after 255 chars. */
function visibleText(element: Element): string {
  let text = '';
  const walker = document.createTreeWalker(
    element,
    NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
    {
      acceptNode: (node) =>
        node instanceof Element && (isSensitive(node) || node.hasAttribute('hidden'))
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT,
    },
  );
  // Twice the limit: collapsing whitespace shortens the text.
  while (text.length < 2 * MAX_LABEL && walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === Node.TEXT_NODE) text += ` ${node.nodeValue ?? ''}`;
  }
  return text;
}
