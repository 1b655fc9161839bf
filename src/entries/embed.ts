// The script-tag entry: <script src=".../tabstream.js" defer></script>. It holds the tracker
// and starts at once; the rest, tabstream-core.js from the same place, loads in idle time.
import {
  readTrackerAttributes,
  startTabstream,
  type Core,
  type Tabstream,
  type TabstreamConfig,
} from '../api';
import { scriptURL, TrustedTypesBlockedError, trustedTypesEnforced } from '../shared';
import { VERSION } from '../shared';

declare global {
  interface Window {
    tabstream?: Tabstream;
    /** Set by tabstream-core.js (an IIFE of `src/core.ts`) when it runs. */
    tabstreamCore?: Core;
  }
}

/**
 * Loads tabstream-core.js with a classic script element, which, unlike a module import,
 * needs no CORS headers when the script comes from another origin (a CDN).
 * - must reject naming the URL if the script fails to load or defines no core;
 * - must reject with TrustedTypesBlockedError if the page's CSP forbids tabstream's policy, or
 *   the core defined nothing on a page that enforces Trusted Types (its CSP forbids Lit's).
 */
function loadCore(url: string, nonce: string): Promise<Core> {
  return new Promise((resolve, reject) => {
    const core = (): Core | null =>
      typeof window.tabstreamCore?.Pipeline === 'function' ? window.tabstreamCore : null;
    const loaded = core();
    if (loaded) return resolve(loaded);
    const script = document.createElement('script');
    script.src = scriptURL(url);
    script.async = true;
    script.nonce = nonce; // a page whose CSP allows scripts by nonce allowed this one
    script.onload = () => {
      const defined = core();
      const nothing = new Error(`tabstream: ${url} loaded but defined nothing`);
      if (defined) resolve(defined);
      else reject(trustedTypesEnforced() ? new TrustedTypesBlockedError(nothing) : nothing);
    };
    script.onerror = () => reject(new Error(`tabstream: could not load ${url}`));
    document.head.append(script);
  });
}

/** True if `window.tabstream` is tabstream's, not an element or a frame of that name. */
function alreadyStarted(): boolean {
  try {
    return typeof window.tabstream?.track === 'function';
  } catch {
    return false; // a cross-origin frame named "tabstream"
  }
}

if (alreadyStarted()) {
  console.warn('tabstream: the script is included twice; the second copy does nothing.');
} else {
  try {
    const script = document.currentScript as HTMLScriptElement | null;
    const coreUrl = new URL(`tabstream-core.js?v=${VERSION}`, script?.src || location.href).href;
    // The tracker's options, read at once, quietly; the core, once loaded, reads them all, the
    // pipeline's too, and names each invalid attribute (one console error each), before
    // `startTabstream` starts the pipeline with them.
    const config: TabstreamConfig = readTrackerAttributes(script);
    window.tabstream = startTabstream(config, () =>
      loadCore(coreUrl, script?.nonce ?? '').then((core) => {
        // A stale core (another version) is refused, with its message, by startTabstream.
        if (core.VERSION === VERSION) Object.assign(config, core.readScriptConfig(script));
        return core;
      }),
    );
  } catch (error) {
    console.error('tabstream: could not start; the page is unaffected', error);
  }
}
