/** Elements whose contents are never recorded: form fields, and what the site marks sensitive. */
const SENSITIVE =
  'input, select, textarea, option, [contenteditable]:not([contenteditable="false"]), ' +
  '[data-tabstream-sensitive], [autocomplete^="cc-"], script, style, template, noscript';

/** True if `element` is one whose text or value must never be recorded. */
export function isSensitive(element: Element): boolean {
  return element.matches(SENSITIVE);
}

/** True if `element` is a password or hidden field: nothing about it is recorded but the click. */
export function isSecret(element: Element): boolean {
  return (
    element instanceof HTMLInputElement &&
    (element.type === 'password' || element.type === 'hidden')
  );
}
