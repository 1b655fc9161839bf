import type { DomElement } from '../shared';
import type { ClickEvent } from './events';
import { labelOf } from './label';
import { linkOf } from './link';
import { redact, scrub } from './redact';
import { classesOf, cssSelector, MAX_NAME } from './selector';
import { isSecret, isSensitive } from './sensitive';

/** The element fields of a click event, worked out off the hot path. */
export interface ClickDescription {
  readonly fields: Pick<
    ClickEvent,
    'target' | 'selector' | 'tag' | 'id' | 'classes' | 'role' | 'label' | 'outbound' | 'download'
  >;
  readonly vw: number;
  readonly vh: number;
  /** Following its link leaves the document: the click cannot be dead. */
  readonly navigates: boolean;
  /** A form field answers a click without telling the DOM: never dead either. */
  readonly formField: boolean;
}

/** What a click on the element is about: a link, a button or a field around it, within 5 levels. */
const CONTROL =
  'a[href], area[href], button, summary, label, input, select, textarea, [role="button"], [role="link"], [role="menuitem"], [role="tab"], [role="checkbox"]';
const FORM_FIELD = 'input, select, textarea, label, option';
const MAX_CLASSES = 3;
const CONTROL_DEPTH = 5;

const IMPLICIT_ROLES: Readonly<Record<string, string>> = {
  a: 'link',
  area: 'link',
  button: 'button',
  summary: 'button',
  select: 'combobox',
  textarea: 'textbox',
};

/**
 * Describes a click from its composed path, given how the tracker normalises URLs.
 * - must never read a form field's value, nor anything of a password or hidden field but its tag;
 * - must return null for a click under an element that is `ignored`;
 * - must scrub and bound every name it keeps (a page may build ids from card numbers, or give
 *   an element megabytes of them).
 */
export function describeClick(
  path: readonly EventTarget[],
  ignored: (element: DomElement) => boolean,
  normalise: (href: string) => string,
): ClickDescription | null {
  const elements = path.filter((node): node is Element => node instanceof Element);
  if (elements.length === 0 || elements.some(ignored)) return null;
  const control = elements.slice(0, CONTROL_DEPTH).find((e) => e.matches(CONTROL)) ?? elements[0]!;
  const link = linkOf(path);
  const secret = isSecret(control);
  // A clicked paragraph of a rich-text editor, say: its text is what the visitor typed.
  const sensitive = elements.some(isSensitive);
  const classes = classesOf(control, MAX_CLASSES).join(' ');
  return {
    fields: {
      target: link ? normalise(link.href) : null,
      selector: scrub(cssSelector(path)),
      tag: control.localName.slice(0, MAX_NAME),
      id: secret ? null : redact(control.id, MAX_NAME) || null,
      classes: secret ? null : scrub(classes) || null,
      role:
        control.getAttribute('role')?.slice(0, MAX_NAME) ??
        IMPLICIT_ROLES[control.localName] ??
        null,
      label: secret || sensitive ? null : labelOf(control),
      outbound: link?.outbound ?? false,
      download: link?.download ?? false,
    },
    vw: innerWidth,
    vh: innerHeight,
    navigates: link?.navigates ?? false,
    formField: control.matches(FORM_FIELD),
  };
}
