/** File extensions whose links are downloads, as Plausible's file-downloads list. */
export const DOWNLOAD_EXTENSIONS = [
  'pdf',
  'xlsx',
  'docx',
  'txt',
  'rtf',
  'csv',
  'exe',
  'key',
  'pps',
  'ppt',
  'pptx',
  '7z',
  'pkg',
  'rar',
  'gz',
  'zip',
  'avi',
  'mov',
  'mp4',
  'mpeg',
  'wmv',
  'midi',
  'mp3',
  'wav',
  'wma',
  'dmg',
  'iso',
  'msi',
  'deb',
  'rpm',
  'apk',
  'epub',
  'tar',
  'tgz',
  'xz',
  'bz2',
  'json',
  'xml',
];
const DOWNLOAD = new RegExp(`\\.(${DOWNLOAD_EXTENSIONS.join('|')})$`, 'i');

/** What the tracker records of the link a click is in. */
export interface LinkInfo {
  /** Its resolved `href`. */
  readonly href: string;
  readonly outbound: boolean;
  readonly download: boolean;
  /** Following it leaves the document (not a `#fragment` of this page, nor `javascript:`). */
  readonly navigates: boolean;
}

/** The nearest link (`a` or `area` with an `href`) in a composed path, described; or null. */
export function linkOf(path: readonly EventTarget[]): LinkInfo | null {
  const link = path.find(
    (node): node is HTMLAnchorElement | HTMLAreaElement =>
      (node instanceof HTMLAnchorElement || node instanceof HTMLAreaElement) &&
      node.hasAttribute('href'),
  );
  if (!link) return null;
  const web = link.protocol === 'http:' || link.protocol === 'https:';
  const samePage =
    link.origin === location.origin &&
    link.pathname === location.pathname &&
    link.search === location.search &&
    link.hash !== '';
  return {
    href: link.href,
    outbound: web && link.origin !== location.origin,
    download: link.hasAttribute('download') || (web && DOWNLOAD.test(link.pathname)),
    navigates: link.protocol !== 'javascript:' && !samePage,
  };
}
