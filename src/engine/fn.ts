import { compileExpr, Op, type Expr } from './expr';
import { toParams } from './params';

/**
 * A function as data: how a dataset stores the functions it was given, so that a task can cross
 * to a worker. Three kinds, one behaviour:
 * - `op`: a built-in operator (see `op`), interpreted by the executor; works under any CSP;
 * - `named`: a function an application module registered with `defineFn`, looked up by name in
 *   every executor, called with `params` as its last argument;
 * - `source`: an inline function's source text, compiled in the executor where the page allows
 *   eval. It crosses without its enclosing scope: what it needs must come in `params`.
 */
export type FnSpec =
  | { readonly kind: 'op'; readonly expr: Expr }
  | { readonly kind: 'named'; readonly name: string; readonly params?: unknown }
  | { readonly kind: 'source'; readonly source: string; readonly params?: unknown };

/** A named function with its parameters, as `fn(name, params)` makes it. */
export interface NamedFn {
  readonly fn: string;
  readonly params?: unknown;
}

/** Anything a transformation takes as a function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FnLike = Op | NamedFn | ((...args: any[]) => unknown);

/** Refers to a function registered with `defineFn` in the application's modules. */
export function fn(name: string, params?: unknown): NamedFn {
  return { fn: name, params };
}

/** Thrown by a task whose shipped function read a variable of its enclosing scope. */
export class TaskNotSerializableError extends Error {
  override name = 'TaskNotSerializableError';
}

/** Thrown for a named function no module registered. */
export class UnknownFunctionError extends Error {
  override name = 'UnknownFunctionError';
}

type AnyFn = (...args: unknown[]) => unknown;

const REGISTRY = Symbol.for('tabstream.functions');

function registry(): Map<string, AnyFn> {
  const holder = globalThis as { [REGISTRY]?: Map<string, AnyFn> };
  return (holder[REGISTRY] ??= new Map<string, AnyFn>());
}

/**
 * Registers a function under a name, for datasets to refer to with `fn(name, params)`: Spark's
 * functions shipped in the application jar. Call it in a module that `context.addModule(url)`
 * loads into every executor (and the page).
 * - must throw if the name is taken by another function.
 */
export function defineFn(name: string, body: AnyFn): void {
  const known = registry().get(name);
  if (known && known !== body && String(known) !== String(body))
    throw new Error(`tabstream: a function named "${name}" is already defined`);
  registry().set(name, body);
}

/**
 * Makes `globalThis.tabstream.defineFn` available, where application modules find it: in
 * executor workers, and in a page that imported tabstream as a module rather than the script.
 */
export function exposeDefineFn(): void {
  const scope = globalThis as { tabstream?: { defineFn?: typeof defineFn } };
  scope.tabstream ??= {};
  scope.tabstream.defineFn ??= defineFn;
}

/** The closures behind source specs made in this realm, so local mode calls them directly. */
const closures = new WeakMap<FnSpec, AnyFn>();

/** Describes a function given to a transformation as data. */
export function toFnSpec(f: FnLike, params?: unknown): FnSpec {
  if (f instanceof Op) return { kind: 'op', expr: f.expr };
  if (typeof f !== 'function') return { kind: 'named', name: f.fn, params: toParams(f.params) };
  params = toParams(params);
  const source = Function.prototype.toString.call(f);
  if (/\{\s*\[native code\]\s*\}$/.test(source))
    throw new TypeError(`tabstream: a built-in function cannot be shipped to executors: ${source}`);
  const spec: FnSpec = { kind: 'source', source, params };
  closures.set(spec, f as AnyFn);
  return spec;
}

/** True if the spec is source text, which a worker can run only where eval is allowed. */
export const isSource = (spec: FnSpec): boolean => spec.kind === 'source';

/**
 * Compiles a spec into a function of `arity` arguments (1 for map and filter, 2 for reducers),
 * with its params bound as the last argument. `resolve` turns broadcast and accumulator
 * references in params into the executor's own copies.
 * - must throw UnknownFunctionError for a name no module defined;
 * - must make a ReferenceError of a source function a TaskNotSerializableError that names the
 *   variable and the fix.
 */
export function compileFn(
  spec: FnSpec,
  resolve: (params: unknown) => unknown,
  arity: 1 | 2 = 1,
): (a: unknown, b?: unknown) => unknown {
  if (spec.kind === 'op') return compileExpr(spec.expr);
  const params = resolve(spec.params);
  const body =
    spec.kind === 'named' ? named(spec.name) : (closures.get(spec) ?? evaluate(spec.source));
  const call: (a: unknown, b?: unknown) => unknown =
    arity === 1 ? (a) => body(a, params) : (a, b) => body(a, b, params);
  if (spec.kind === 'named') return call;
  return (a, b) => {
    try {
      return call(a, b);
    } catch (error) {
      throw error instanceof ReferenceError ? notSerializable(spec.source, error) : error;
    }
  };
}

function named(name: string): AnyFn {
  const body = registry().get(name);
  if (body) return body;
  throw new UnknownFunctionError(
    `tabstream: no function named "${name}": define it with defineFn in a module loaded ` +
      'with context.addModule(url)',
  );
}

function evaluate(source: string): AnyFn {
  try {
    // Source text from the page's own console or code, run where the page's CSP allows eval.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function(`"use strict"; return (${source});`) as () => AnyFn)();
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new TaskNotSerializableError(
      `tabstream: task not serializable: \`${source.slice(0, 80)}\` does not stand alone as ` +
        'source text (a method?); pass an arrow function, a function expression, or fn(name)',
    );
  }
}

function notSerializable(source: string, error: ReferenceError): TaskNotSerializableError {
  const name = /^(\S+) is not defined/.exec(error.message)?.[1] ?? 'a variable';
  const shown = source.length > 80 ? `${source.slice(0, 77)}...` : source;
  return new TaskNotSerializableError(
    `tabstream: task not serializable: the function \`${shown}\` reads \`${name}\` from its ` +
      'enclosing scope, which does not cross to executors. Pass it as params, e.g. ' +
      `\`.filter((x, p) => ... p.${name} ..., { ${name} })\`, or for a large value ` +
      `\`const b = context.broadcast(${name})\` and \`{ b }\` with \`p.b.value\`.`,
  );
}
