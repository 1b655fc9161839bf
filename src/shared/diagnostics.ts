const reported = new Set<string>();

/**
 * Logs an error to the console once per distinct message, so a fault that repeats every batch
 * or every click tells the developer once instead of flooding the host page's console.
 */
export function reportOnce(context: string, error: unknown): void {
  const message = `tabstream: ${context}: ${error instanceof Error ? error.message : String(error)}`;
  if (reported.has(message)) return;
  reported.add(message);
  console.error(message, error);
}

/** Logs a warning once per distinct message. */
export function warnOnce(message: string): void {
  if (reported.has(message)) return;
  reported.add(message);
  console.warn(message);
}

/**
 * Calls `call(listener)` for each of `listeners` (as they are now); one that throws is
 * reported once as `what`, and the others are still called.
 */
export function notifyAll<L>(
  listeners: Iterable<L>,
  call: (listener: L) => void,
  what: string,
): void {
  for (const listener of [...listeners]) {
    try {
      call(listener);
    } catch (error) {
      reportOnce(what, error);
    }
  }
}

/**
 * Damage found in what tabstream reads from storage: a value that is missing, of the wrong type,
 * out of range, or fails its checksum. It names where it lies, so a developer can find it.
 */
export interface Damage {
  /** The IndexedDB database (e.g. `tabstream`, `tabstream-coord`), or `localStorage`. */
  readonly database: string;
  /** The object store, or the localStorage key. */
  readonly store: string;
  /** Where in it: a topic-partition and offset (`clicks-0 offset 511`), a node's path, a key. */
  readonly at: string;
  /** What is wrong, and what tabstream does about it. */
  readonly problem: string;
}

/** How much damage this context (tab or worker) has met since it started, and the latest. */
export interface DamageSeen {
  readonly count: number;
  /** The last few, oldest first. */
  readonly recent: readonly Damage[];
}

const RECENT_DAMAGE = 20;
let damageCount = 0;
const recentDamage: Damage[] = [];

/**
 * Records damage found in storage:
 * - must count it, each time it is met (the monitor shows the count);
 * - must log one console error per distinct place and problem, naming both;
 * - must never throw: the caller goes on counting new clicks around the damage.
 */
export function reportDamage(damage: Damage, error?: unknown): void {
  damageCount++;
  recentDamage.push(damage);
  if (recentDamage.length > RECENT_DAMAGE) recentDamage.shift();
  const message = `tabstream: damaged storage: ${damage.database} / ${damage.store} / ${damage.at}: ${damage.problem}`;
  if (reported.has(message)) return;
  reported.add(message);
  if (error === undefined) console.error(message);
  else console.error(message, error);
}

/** The damage met so far in this context. */
export function damageSeen(): DamageSeen {
  return { count: damageCount, recent: [...recentDamage] };
}
