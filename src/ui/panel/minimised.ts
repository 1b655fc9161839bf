// Whether the reader minimised the floating panel on this site: kept in localStorage, which is
// the site's own (one per origin), so a minimised panel stays so on the site's other pages.

/** The localStorage key. */
export const PANEL_KEY = 'tabstream:panel';

/** What is kept under `PANEL_KEY`. */
interface Kept {
  readonly minimised: boolean;
}

/** Whether the panel was left minimised here; false if storage cannot be read. */
export function wasMinimised(): boolean {
  try {
    const kept = JSON.parse(localStorage.getItem(PANEL_KEY) ?? 'null') as Partial<Kept> | null;
    return kept?.minimised === true;
  } catch {
    return false; // storage blocked (a sandboxed frame, cookies off) or not ours to parse
  }
}

/** Keeps whether the panel is minimised; storage that cannot be written only forgets it. */
export function keepMinimised(minimised: boolean): void {
  try {
    if (minimised) localStorage.setItem(PANEL_KEY, JSON.stringify({ minimised } satisfies Kept));
    else localStorage.removeItem(PANEL_KEY);
  } catch {
    // The panel works the same; the next page opens it again.
  }
}
