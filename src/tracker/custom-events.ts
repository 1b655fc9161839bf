import type { EventProps } from './events';
import { scrub } from './sensitive';

export const MAX_PROPS = 30;
const MAX_NAME = 100;
const MAX_VALUE = 255;
const PROP_PREFIX = 'data-tabstream-prop-';

/** A custom event's name and properties, checked. */
export interface CustomEventInput {
  readonly name: string;
  readonly props: EventProps;
}

/**
 * Checks what `track(name, props)` was given.
 * - must return a message naming the problem for a name that is not 1 to 100 chars, props that
 *   are not a plain object, more than 30 props, or a value that is not a string, a finite number
 *   or a boolean;
 * - must cut string values to 255 chars and scrub card and social-security-like numbers.
 */
export function checkCustomEvent(name: unknown, props: unknown = {}): CustomEventInput | string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) {
    return `the name must be a string of 1 to ${MAX_NAME} characters, not ${describe(name)}`;
  }
  if (Object.prototype.toString.call(props) !== '[object Object]') {
    return `props must be a plain object of strings, numbers and booleans, not ${describe(props)}`;
  }
  const entries = Object.entries(props as object);
  if (entries.length > MAX_PROPS) return `at most ${MAX_PROPS} props, not ${entries.length}`;
  const checked: Record<string, string | number | boolean> = {};
  for (const [key, value] of entries) {
    if (typeof value === 'string') checked[key] = scrub(value).slice(0, MAX_VALUE);
    else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
      checked[key] = value;
    else
      return `prop "${key}" must be a string, a finite number or a boolean, not ${describe(value)}`;
  }
  return { name: name.trim(), props: checked };
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
  const props: Record<string, string> = {};
  for (const { name, value } of element.attributes) {
    if (name.startsWith(PROP_PREFIX)) props[name.slice(PROP_PREFIX.length)] = value;
  }
  return checkCustomEvent(element.getAttribute('data-tabstream-event'), props);
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  return Array.isArray(value) ? 'an array' : 'an object of another kind';
}
