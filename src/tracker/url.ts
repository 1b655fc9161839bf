/** How page and link URLs are kept: which query parameters, and whether the hash. */
export interface UrlRules {
  /** 'none' (default), 'all', or the names of the parameters to keep (`utm_source`, say). */
  readonly keepQuery: 'none' | 'all' | readonly string[];
  /** Keep the `#fragment` (for hash routers). Default false. */
  readonly keepHash: boolean;
}

/**
 * `href` as the tracker records it: absolute, with the query and hash kept as `rules` say.
 * Query parameters often carry tokens and e-mail addresses, so by default none is kept.
 * - must return `href` unchanged if it is not a URL, and only the scheme of a URL that is not
 *   http(s) (`mailto:`, `tel:`, `data:`, `javascript:`); must drop user names and passwords.
 */
export function normaliseUrl(href: string, rules: UrlRules): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  // mailto:, tel:, data:, an app's scheme: their rest is an address, a number, a file, a token.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.protocol;
  url.username = '';
  url.password = '';
  if (rules.keepQuery === 'none') url.search = '';
  else if (rules.keepQuery !== 'all') {
    const kept = new URLSearchParams();
    for (const [name, value] of url.searchParams) {
      if (rules.keepQuery.includes(name)) kept.append(name, value);
    }
    url.search = kept.toString();
  }
  if (!rules.keepHash) url.hash = '';
  return url.href;
}

/** The `path` of a URL, as a replaceState that keeps it is not a new page view. */
export function urlPath(href: string): string {
  try {
    return new URL(href).pathname;
  } catch {
    return href;
  }
}
