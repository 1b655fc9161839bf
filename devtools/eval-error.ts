import type { EvalException } from './chrome';

/**
 * Why `inspectedWindow.eval` failed, in words: DevTools give a failure as a format string
 * (`description`, e.g. `Operation failed: %s`) and its arguments (`details`), which must be
 * filled in here; an exception thrown by the evaluated code comes as its `value`.
 */
export function evalFailure(exception: EvalException): string {
  if (exception.isException && exception.value) return exception.value;
  const details = [...(exception.details ?? [])];
  const format = exception.description ?? exception.code ?? 'inspectedWindow.eval failed';
  const filled = format.replace(/%s/g, () => (details.length > 0 ? String(details.shift()) : '?'));
  // What was left over (a description without enough placeholders) is part of the reason too.
  return details.length > 0 ? `${filled} (${details.map(String).join(', ')})` : filled;
}

/**
 * The inspected page could not be evaluated in at all: DevTools allow an extension no code in
 * some pages (about:blank, chrome://, data: URLs, other extensions' pages).
 */
export class EvalFailedError extends Error {
  constructor(readonly exception: EvalException) {
    super(evalFailure(exception));
  }

  /** Whether DevTools refused the extension this page, rather than the page failing. */
  get denied(): boolean {
    return /permission denied/i.test(this.message);
  }
}
