/** The opt-out switch: per origin and browser, kept in localStorage (no cookie). */
export const OPT_OUT_KEY = 'tabstream:opt-out';

/** Which browser privacy signals the site asks tabstream to honour. */
export interface PrivacySignals {
  /** Do Not Track (`navigator.doNotTrack === '1'`). Default false. */
  readonly respectDnt: boolean;
  /** Global Privacy Control (`navigator.globalPrivacyControl`). Default false. */
  readonly respectGpc: boolean;
}

/** True if the visitor opted out in this browser (in any tab of the origin). */
export function optedOut(): boolean {
  try {
    return localStorage.getItem(OPT_OUT_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Sets or clears the opt-out switch; other tabs learn of it by the `storage` event.
 * - must throw if localStorage refuses: an opt-out that is not kept must not look kept.
 */
export function setOptedOut(out: boolean): void {
  if (out) localStorage.setItem(OPT_OUT_KEY, '1');
  else localStorage.removeItem(OPT_OUT_KEY);
}

/** The signal the browser sends that the site honours, or null. */
export function privacySignal({ respectDnt, respectGpc }: PrivacySignals): 'dnt' | 'gpc' | null {
  const browser = navigator as Navigator & { globalPrivacyControl?: boolean };
  if (respectGpc && browser.globalPrivacyControl === true) return 'gpc';
  if (
    respectDnt &&
    (navigator.doNotTrack === '1' || (window as { doNotTrack?: string }).doNotTrack === '1')
  )
    return 'dnt';
  return null;
}
