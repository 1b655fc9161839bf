import type { EventProps } from './events';
import { redact, scrub } from './redact';

export const MAX_PROPS = 30;
const MAX_NAME = 100;
const PROP_PREFIX = 'data-tabstream-prop-';

/** A custom event's name and properties, checked. */
export interface CustomEventInput {
  readonly name: string;
  readonly props: EventProps;
}

/**
 * Checks what `track(name, props)` was given.
 * - must return a message naming the problem for an event or prop name that is not 1 to 100
 *   chars (trimmed), a prop named `__proto__`, props that are not a plain object, more than
 *   30 props, or a value that is not a string, a finite number or a boolean;
 * - must count the props before reading any (a proxy may claim millions);
 * - must scrub card and social-security-like numbers in names and string values, and cut
 *   string values to 255 chars, reading at most twice that.
 */
export function checkCustomEvent(name: unknown, props: unknown = {}): CustomEventInput | string {
  const checkedName = nameOf(name);
  if (checkedName === null) return badName(name);
  if (Object.prototype.toString.call(props) !== '[object Object]') {
    return `props must be a plain object of strings, numbers and booleans, not ${describe(props)}`;
  }
  // Counted before anything is read: a proxy may claim millions of props.
  const count = Reflect.ownKeys(props as object).length;
  if (count > MAX_PROPS) return `at most ${MAX_PROPS} props, not ${count}`;
  const entries = Object.entries(props as object);
  return checkEvent(checkedName, entries);
}

/**
 * The custom event of the nearest element in a click's path with `data-tabstream-event`, its
 * props from its `data-tabstream-prop-*` attributes; null if none.
 */
export function attributeEvent(path: readonly EventTarget[]): CustomEventInput | string | null {
  const element = path.find(
    (node): node is Element => node instanceof Element && node.hasAttribute('data-tabstream-event'),
  );
  if (!element) return null;
  const attribute = element.getAttribute('data-tabstream-event');
  const name = nameOf(attribute);
  if (name === null) return badName(attribute);
  const entries: [string, string][] = [];
  for (const { name, value } of element.attributes) {
    if (name.startsWith(PROP_PREFIX)) entries.push([name.slice(PROP_PREFIX.length), value]);
  }
  if (entries.length > MAX_PROPS) return `at most ${MAX_PROPS} props, not ${entries.length}`;
  return checkEvent(name, entries);
}

/** Checks the names and values of an event's props; `name` is checked already. */
function checkEvent(
  name: string,
  entries: readonly [string, unknown][],
): CustomEventInput | string {
  const props: Record<string, string | number | boolean> = {};
  for (const [key, value] of entries) {
    const prop = nameOf(key);
    // `__proto__` would set the props' prototype, not a prop: it cannot be stored.
    if (prop === null || prop === '__proto__') {
      return `a prop name must be 1 to ${MAX_NAME} characters, not "__proto__" nor ${describe(key)}`;
    }
    if (typeof value === 'string') props[prop] = redact(value);
    else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
      props[prop] = value;
    else
      return `prop "${prop}" must be a string, a finite number or a boolean, not ${describe(value)}`;
  }
  return { name, props };
}

/** `value` as an event or prop name: trimmed, 1 to 100 chars, scrubbed; null if it is none. */
function nameOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_NAME) return null;
  const name = value.trim();
  return name ? scrub(name) : null;
}

function badName(name: unknown): string {
  return `the name must be a string of 1 to ${MAX_NAME} characters, not ${describe(name)}`;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  return Array.isArray(value) ? 'an array' : 'an object of another kind';
}
