export type { ClickEvent } from './click-event';
export { ClickTracker } from './click-tracker';
export { cssSelector, linkTarget } from './selector';
export { sessionId } from './session';
