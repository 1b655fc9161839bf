/** A click as the log stores it: one record of topic `clicks`. */
export interface ClickEvent {
  readonly [field: string]: string | number | null;
  /** When the click happened, in ms since the epoch. */
  readonly ts: number;
  /** The URL of the page the click happened on. */
  readonly page: string;
  /** The resolved `href` of the nearest link around the clicked element, or null. */
  readonly target: string | null;
  /** A short CSS selector of the clicked element. */
  readonly selector: string;
  /** Where the click happened, in page coordinates. */
  readonly x: number;
  readonly y: number;
  /** The tab's session: the same for every page the tab shows, until it closes. */
  readonly sessionId: string;
}
