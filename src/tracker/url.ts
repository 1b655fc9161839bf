import { head, scrub } from './redact';

/** How page and link URLs are kept: which query parameters, and whether the hash. */
export interface UrlRules {
  /** 'none' (default), 'all', or the names of the parameters to keep (`utm_source`, say). */
  readonly keepQuery: 'none' | 'all' | readonly string[];
  /** Keep the `#fragment` (for hash routers). Default false. */
  readonly keepHash: boolean;
}

/** The most of a URL the tracker reads: a `data:` link, or a page's query, may hold megabytes. */
export const MAX_URL = 2048;

/**
 * `href` as the tracker records it: absolute, with the query and hash kept as `rules` say.
 * Query parameters often carry tokens and e-mail addresses, so by default none is kept.
 * - must read at most its first 2,048 chars;
 * - must keep only the scheme of a URL that is not http(s) (`mailto:`, `tel:`, `data:`,
 *   `javascript:`), and never a user name or password;
 * - must keep, of what it cannot parse, only what `unparsed` keeps;
 * - must scrub card numbers (a path may hold one).
 */
export function normaliseUrl(href: string, rules: UrlRules): string {
  const read = head(href, MAX_URL);
  const url = parseUrl(read);
  if (!url) return scrubUrl(unparsed(read));
  // mailto:, tel:, data:, an app's scheme: their rest is an address, a number, a file, a token.
  if (!isWeb(url.protocol)) return url.protocol;
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
  return scrubUrl(url.href);
}

/** Digit groups joined as a URL writes spaces and dashes (`%20`, `+`): card numbers, encoded. */
const ENCODED_RUN = /\p{Nd}+(?:(?:%20|\+|[-._/]){1,3}\p{Nd}+)+/gu;

/** `href` scrubbed as it reads: with its encoded spaces read as spaces where digits meet them. */
function scrubUrl(href: string): string {
  return scrub(
    href.replace(ENCODED_RUN, (run) => {
      const plain = run.replace(/%20|\+/g, ' ');
      const clean = scrub(plain);
      return clean === plain ? run : clean.replaceAll(' ', '%20');
    }),
  );
}

/** `href` parsed (against `base`), or null if it is no URL. */
export function parseUrl(href: string, base?: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

/**
 * What is kept of a URL that cannot be parsed (`http://user:pw@host:99999/?token=…`): the scheme
 * alone if it is not http(s); else up to its first `?` or `#`, whatever
 * keepQuery and keepHash say (its parameters cannot be told apart safely), without a
 * `user:password@`, and without an authority that does not end (it may be a password cut short).
 */
function unparsed(href: string): string {
  const scheme = /^[a-z][a-z\d+.-]*:/i.exec(href)?.[0].toLowerCase();
  if (scheme && !isWeb(scheme)) return scheme;
  const [beforeQuery] = href.split(/[?#]/, 1);
  return beforeQuery!.replace(/^([^/]*\/\/)[^/\\]*(@|$)/, '$1');
}

/** The `path` of a URL, as a replaceState that keeps it is not a new page view. */
export function urlPath(href: string): string {
  return parseUrl(href)?.pathname ?? href;
}

/** True for the schemes of the web (`http:`, `https:`), whose URLs the tracker keeps. */
export const isWeb = (protocol: string | undefined) =>
  protocol === 'http:' || protocol === 'https:';
