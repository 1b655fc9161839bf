/**
 * A step's page pattern, as a function of a page view's `page` (an absolute URL, normalised by
 * the tracker). A glob matches the whole path (with the query and hash the tracker kept), or the
 * whole URL if it names a scheme (`https://…`): `*` any characters but `/`, `**` any characters.
 * A RegExp between slashes (`/^\/orders\/\d+$/i`) is tried on the path, then on the whole URL.
 * - must throw a SyntaxError for a RegExp that does not compile.
 */
export function pagePattern(pattern: string): (page: string) => boolean {
  const regex = regexOf(pattern);
  if (regex) return (page) => regex.test(pathOf(page)) || regex.test(page);
  const glob = new RegExp(`^${globSource(pattern)}$`);
  return SCHEME.test(pattern) ? (page) => glob.test(page) : (page) => glob.test(pathOf(page));
}

/** A URL's scheme and host: what a path pattern leaves out. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** What a path pattern is matched against: the page without scheme and host (`/` at least). */
export function pathOf(page: string): string {
  const match = SCHEME.exec(page);
  if (!match) return page;
  const rest = page.slice(match[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * `/source/flags` is a RegExp if its source has a RegExp's own syntax (one of `^ $ \ ( ) [ ] { }
 * + ? |`); else it is a glob of a path that ends in `/` (`/docs/`).
 */
export function regexOf(pattern: string): RegExp | null {
  const parts = /^\/(.+)\/([dgimsuy]*)$/s.exec(pattern);
  if (!parts || !/[\^$\\()[\]{}+?|]/.test(parts[1]!)) return null;
  // No `g` or `y`: a RegExp with either keeps its lastIndex between tests.
  return new RegExp(parts[1]!, parts[2]!.replace(/[gy]/g, ''));
}

function globSource(glob: string): string {
  return glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
}
