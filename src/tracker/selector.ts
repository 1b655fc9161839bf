const MAX_DEPTH = 5;
const MAX_CLASSES = 2;

/**
 * A short CSS selector of `element`: at most five levels, stopping at the first ancestor with
 * an id, each level its tag, id or first classes: `main > ul.products > li > a.buy`.
 */
export function cssSelector(element: Element): string {
  const parts: string[] = [];
  for (
    let node: Element | null = element;
    node && parts.length < MAX_DEPTH;
    node = node.parentElement
  ) {
    if (node.id) {
      parts.unshift(`#${CSS.escape(node.id)}`);
      break;
    }
    const classes = [...node.classList].slice(0, MAX_CLASSES).map((name) => `.${CSS.escape(name)}`);
    parts.unshift(node.localName + classes.join(''));
  }
  return parts.join(' > ');
}

/** The resolved `href` of the nearest link at or around `element`, or null. */
export function linkTarget(element: Element): string | null {
  const link = element.closest('a[href], area[href]');
  return link instanceof HTMLAnchorElement || link instanceof HTMLAreaElement ? link.href : null;
}
