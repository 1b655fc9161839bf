// The script-tag entry: <script src=".../tabstream.js" defer></script>. It holds the tracker
// and starts at once; the rest, tabstream-core.js from the same place, loads in idle time.
import { createTabstream, type Core, type Tabstream } from './api';
import { readScriptConfig } from './config';
import { VERSION } from './version';

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
 * - must reject naming the URL if the script fails to load or defines no core.
 */
function loadCore(url: string): Promise<Core> {
  return new Promise((resolve, reject) => {
    if (window.tabstreamCore) return resolve(window.tabstreamCore);
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.onload = () =>
      window.tabstreamCore
        ? resolve(window.tabstreamCore)
        : reject(new Error(`tabstream: ${url} loaded but defined nothing`));
    script.onerror = () => reject(new Error(`tabstream: could not load ${url}`));
    document.head.append(script);
  });
}

// An element with id="tabstream" is window.tabstream too (named access): look for the API.
if (typeof window.tabstream?.track === 'function') {
  console.warn('tabstream: the script is included twice; the second copy does nothing.');
} else {
  try {
    const script = document.currentScript as HTMLScriptElement | null;
    const coreUrl = new URL(`tabstream-core.js?v=${VERSION}`, script?.src || location.href).href;
    window.tabstream = createTabstream(readScriptConfig(script), () => loadCore(coreUrl));
  } catch (error) {
    console.error('tabstream: could not start; the page is unaffected', error);
  }
}
