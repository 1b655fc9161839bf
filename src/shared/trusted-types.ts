// Trusted Types: on a page whose CSP says `require-trusted-types-for 'script'`, a script URL given
// to a sink (`script.src`, `new Worker(url)`) must come from a policy the CSP names. tabstream has
// one policy of its own, `tabstream`, and Lit has `lit-html`.

/** The CSP directive a Trusted Types site adds for tabstream. */
export const TRUSTED_TYPES_DIRECTIVE = 'trusted-types tabstream lit-html';

/** Thrown where the page's CSP forbids a policy tabstream needs; tabstream then captures nothing. */
export class TrustedTypesBlockedError extends Error {
  override name = 'TrustedTypesBlockedError';
  constructor(cause: unknown) {
    super(
      `the page's CSP forbids its Trusted Types policies: add "${TRUSTED_TYPES_DIRECTIVE}" ` +
        `(and 'allow-duplicates' if the page has Lit too). It captures nothing here.`,
      { cause },
    );
  }
}

/** A policy that makes script URLs, as far as tabstream needs one. */
interface ScriptURLPolicy {
  createScriptURL(url: string): unknown;
}

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptURLPolicy;
}

/**
 * Where the policy is kept: the page's global, under a registered symbol, so that tabstream.js
 * and tabstream-core.js (two bundles) share the one policy. A CSP that names `tabstream` once
 * allows one policy of that name.
 */
const POLICY = Symbol.for('tabstream.trusted-types-policy');

/** The only script URLs tabstream loads: its own Blob URLs, and the core it names. */
function allowed(url: string): boolean {
  if (url.startsWith(`blob:${location.origin}/`)) return true;
  try {
    return new URL(url).pathname.endsWith('/tabstream-core.js');
  } catch {
    return false;
  }
}

/**
 * tabstream's policy, created once per page; null where the browser has no Trusted Types.
 * - must throw TrustedTypesBlockedError if the page's CSP forbids the name `tabstream`.
 */
export function trustedTypesPolicy(): ScriptURLPolicy | null {
  const page = globalThis as { trustedTypes?: TrustedTypesFactory; [POLICY]?: ScriptURLPolicy };
  if (!page.trustedTypes) return null;
  if (page[POLICY]) return page[POLICY];
  try {
    page[POLICY] = page.trustedTypes.createPolicy('tabstream', {
      createScriptURL: (url) => {
        if (allowed(url)) return url;
        throw new TypeError(`tabstream: its policy makes no script URL of ${url}`);
      },
    });
  } catch (error) {
    throw new TrustedTypesBlockedError(error);
  }
  return page[POLICY];
}

/**
 * `url` as a sink that loads a script takes it: a TrustedScriptURL where the browser has Trusted
 * Types, else the string. (Typed as a string: a TrustedScriptURL stringifies to its URL, and
 * TypeScript's DOM types accept only strings at these sinks.)
 * - must throw TrustedTypesBlockedError if the page's CSP forbids tabstream's policy.
 */
export function scriptURL(url: string): string {
  const policy = trustedTypesPolicy();
  return policy ? (policy.createScriptURL(url) as string) : url;
}

/**
 * True if the page enforces Trusted Types: a string assigned to a script sink throws. (The
 * element is never inserted, so nothing loads.)
 */
export function trustedTypesEnforced(): boolean {
  if (!('trustedTypes' in globalThis)) return false;
  try {
    document.createElement('script').src = 'about:blank';
    return false;
  } catch {
    return true;
  }
}
