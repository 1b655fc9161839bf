import type { DomElement } from '../shared';
import { head, scrub } from './redact';
import { isSecret } from './sensitive';

const MAX_DEPTH = 5;
const MAX_CLASSES = 2;
/** The longest tag, id or class name kept: a page may give an element megabytes of any. */
export const MAX_NAME = 100;

/**
 * A short CSS selector of `path[0]` from an event's composed path: at most five levels,
 * stopping at the first ancestor with an id, each level its tag, id or first classes:
 * `main > ul.products > li > a.buy`. Entering a shadow root reads ` >>> `, as in
 * `product-card >>> button.add`. Each name is cut to 100 chars.
 */
export function cssSelector(path: readonly EventTarget[]): string {
  let selector = '';
  let combinator = '';
  let levels = 0;
  for (const node of path) {
    if (node instanceof ShadowRoot) combinator = ' >>> ';
    if (!(node instanceof Element)) continue;
    selector = levelOf(node) + combinator + selector;
    combinator = ' > ';
    if ((node.id && !isSecret(node)) || ++levels === MAX_DEPTH) break;
  }
  return selector;
}

/** The first `count` class names of `element`, each cut to 100 chars, reading no more of its class list. */
export function classesOf(element: DomElement, count: number): string[] {
  return ([] as string[]).slice
    .call(element.classList, 0, count)
    .map((name) => head(name, MAX_NAME));
}

function levelOf(element: Element): string {
  const tag = element.localName.slice(0, MAX_NAME);
  if (isSecret(element)) return tag; // nothing of a password or hidden field
  // Scrubbed before escaping: CSS.escape splits a leading digit from the rest (`#\34 111…`).
  if (element.id) return `#${CSS.escape(scrub(head(element.id, MAX_NAME)))}`;
  return (
    tag +
    classesOf(element, MAX_CLASSES)
      .map((name) => `.${CSS.escape(scrub(name))}`)
      .join('')
  );
}
