import { devtools } from './chrome';
import { EvalFailedError } from './eval-error';
import {
  forgetInPage,
  probeInPage,
  startInPage,
  takeInPage,
  type Method,
  type Outcome,
  type Probe,
} from './page-side';

/** How long a call may go unanswered: the page's tabstream waits for a hidden page to show. */
const CALL_TIMEOUT_MS = 30000;
/** The longest pause between two looks at a pending call. */
const MAX_POLL_MS = 250;

/** The inspected page has no tabstream (or no longer: it navigated). */
export class NoTabstreamError extends Error {
  constructor() {
    super('No tabstream on this page');
  }
}

/**
 * Runs `fn(arg)` in the inspected page and resolves with its (JSON-safe) result. Only the
 * extension's own functions are evaluated, with their argument as JSON: never page data.
 */
function evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<R> {
  const expression = `(${fn.toString()})(${JSON.stringify(arg) ?? ''})`;
  return new Promise((resolve, reject) =>
    devtools.inspectedWindow.eval(expression, (result, exception) => {
      if (exception?.isError || exception?.isException) reject(new EvalFailedError(exception));
      else resolve(result as R);
    }),
  );
}

/** Where the inspected page is, and what tabstream it has. */
export function probe(): Promise<Probe> {
  return evaluate(probeInPage, undefined);
}

/**
 * Calls `tabstream[method](...args)` in the inspected page (`args` as JSON) and resolves with
 * what its promise resolves with, as JSON; rejects with its error's message, or
 * NoTabstreamError.
 */
export async function call(method: Method, ...args: unknown[]): Promise<unknown> {
  const id = crypto.randomUUID();
  // JSON has no undefined: an argument left out stays out, rather than coming as null.
  while (args.length > 0 && args.at(-1) === undefined) args.pop();
  if (!(await evaluate(startInPage, { id, method, args }))) throw new NoTabstreamError();
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  for (let pause = 5; ; pause = Math.min(2 * pause, MAX_POLL_MS)) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    const outcome: Outcome | null = await evaluate(takeInPage, id);
    if (outcome === null) throw new NoTabstreamError(); // the page navigated meanwhile
    if (outcome.settled) {
      if ('error' in outcome) throw new Error(outcome.error);
      return outcome.value;
    }
    if (Date.now() > deadline) {
      // The page need not keep the outcome any longer: no one will take it. (Should this fail,
      // the page drops it with the next call it starts after a minute.)
      evaluate(forgetInPage, id).catch(() => {});
      throw new Error(`tabstream.${method}() did not answer in ${CALL_TIMEOUT_MS / 1000} s`);
    }
  }
}
