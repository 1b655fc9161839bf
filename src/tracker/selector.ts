import { isSecret } from './sensitive';

const MAX_DEPTH = 5;
const MAX_CLASSES = 2;

/**
 * A short CSS selector of `path[0]` from an event's composed path: at most five levels,
 * stopping at the first ancestor with an id, each level its tag, id or first classes:
 * `main > ul.products > li > a.buy`. Entering a shadow root reads ` >>> `, as in
 * `product-card >>> button.add`.
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

function levelOf(element: Element): string {
  if (isSecret(element)) return element.localName; // nothing of a password or hidden field
  if (element.id) return `#${CSS.escape(element.id)}`;
  const classes = [...element.classList]
    .slice(0, MAX_CLASSES)
    .map((name) => `.${CSS.escape(name)}`);
  return element.localName + classes.join('');
}
