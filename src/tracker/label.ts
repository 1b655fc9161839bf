import { head, redact } from './redact';
import { isSecret, isSensitive } from './sensitive';

/** Raw text read for a label: twice its 255 chars, as collapsing whitespace shortens it. */
const READ = 510;
/** Nodes visited for a label, however many an element holds (hidden or empty ones too). */
const MAX_NODES = 256;

/**
 * What a person reads on `element`: its aria-label, else its visible text, whitespace
 * collapsed, at most 255 chars, card and social-security-like numbers scrubbed; null if none.
 * - must never read the value of a form field, nor any text of a sensitive element;
 * - must do bounded work, however large the element, its text or its aria-label.
 */
export function labelOf(element: Element): string | null {
  if (isSecret(element)) return null;
  const aria = element.getAttribute('aria-label');
  const text = aria !== null ? head(aria, READ) : isSensitive(element) ? '' : visibleText(element);
  return redact(text.replace(/\s+/g, ' ').trim()) || null;
}

/**
 * The text of `element` outside its sensitive and hidden descendants: at most `READ` chars
 * of at most `MAX_NODES` nodes, cut as `head` cuts when there was more.
 */
function visibleText(element: Element): string {
  let text = '';
  let node = element.firstChild;
  for (let visited = 0; node; visited++) {
    if (text.length > READ || visited > MAX_NODES) return head(text, READ, true);
    if (node instanceof Text) text += ` ${node.data.slice(0, READ + 1)}`;
    const open = node instanceof Element && !isSensitive(node) && !node.hasAttribute('hidden');
    let next = open ? node.firstChild : null;
    for (let up: Node | null = node; !next && up && up !== element; up = up.parentNode) {
      next = up.nextSibling;
    }
    node = next;
  }
  return text;
}
