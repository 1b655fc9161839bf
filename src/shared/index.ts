// Helpers every folder uses: diagnostics (console reports, damage counts), sleeping and yielding,
// ids, the version, and Trusted Types.
export {
  damageSeen,
  notifyAll,
  reportDamage,
  reportOnce,
  warnOnce,
  type Damage,
  type DamageSeen,
} from './diagnostics';
export { appendAll } from './append';
export { groupBy } from './group-by';
export { randomId } from './random-id';
export { sleep, sleepUntil, yieldToEventLoop } from './sleep';
export {
  scriptURL,
  TRUSTED_TYPES_DIRECTIVE,
  TrustedTypesBlockedError,
  trustedTypesEnforced,
  trustedTypesPolicy,
} from './trusted-types';
export { VERSION } from './version';
export type { DomElement, DomShadowRoot, DomStorage } from './dom-types';
