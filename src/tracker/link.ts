import { head } from './redact';
import { isWeb, MAX_URL, parseUrl } from './url';

/** A link to a file of these extensions is a download, as in Plausible's file-downloads list. */
const DOWNLOAD =
  /\.(pdf|xlsx|docx|txt|rtf|csv|exe|key|pps|ppt|pptx|7z|pkg|rar|gz|zip|avi|mov|mp4|mpeg|wmv|midi|mp3|wav|wma|dmg|iso|msi|deb|rpm|apk|epub|tar|tgz|xz|bz2|json|xml)$/i;

/** What the tracker records of the link a click is in. */
export interface LinkInfo {
  /** Its resolved `href`. */
  readonly href: string;
  readonly outbound: boolean;
  readonly download: boolean;
  /** Following it leaves the document (not a `#fragment` of this page, nor `javascript:`). */
  readonly navigates: boolean;
}

/**
 * The nearest link (`a` or `area` with an `href`) in a composed path, described; or null.
 * Its href is parsed once, from its first 2,048 chars (a `data:` link may hold megabytes);
 * one that cannot be parsed is kept as written, for `normaliseUrl` to strip.
 */
export function linkOf(path: readonly EventTarget[]): LinkInfo | null {
  const link = path.find(
    (node): node is HTMLAnchorElement | HTMLAreaElement =>
      (node instanceof HTMLAnchorElement || node instanceof HTMLAreaElement) &&
      node.hasAttribute('href'),
  );
  if (!link) return null;
  const href = head(link.getAttribute('href')!, MAX_URL); // a cut drops the digits it ends with
  const url = parseUrl(href, link.baseURI);
  const web = url !== null && isWeb(url.protocol);
  const samePage =
    url?.origin === location.origin &&
    url.pathname === location.pathname &&
    url.search === location.search &&
    url.hash !== '';
  return {
    href: url?.href ?? href,
    outbound: web && url.origin !== location.origin,
    download: link.hasAttribute('download') || (web && DOWNLOAD.test(url.pathname)),
    navigates: url?.protocol !== 'javascript:' && !samePage,
  };
}
