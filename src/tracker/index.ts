export { ANSWER_MS } from './click-tracker';
export { checkCustomEvent, MAX_PROPS } from './custom-events';
export { SCHEMA_VERSION, TOPICS } from './events';
export type {
  ClickEvent,
  CustomEvent,
  EventProps,
  PageViewEvent,
  PageViewKind,
  ScrollEvent,
  TrackedEvent,
} from './events';
export type { ReplaceRule } from './page-views';
export { optedOut, OPT_OUT_KEY, privacySignal } from './privacy';
export { cssSelector } from './selector';
export { scrub } from './redact';
export { DEFAULT_TRACKER_CONFIG, Tracker } from './tracker';
export type { Capture, TrackerConfig } from './tracker';
export { normaliseUrl } from './url';
export { whenShown } from './when-shown';
