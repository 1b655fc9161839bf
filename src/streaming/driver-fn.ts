import { compileFn, toFnSpec, type EngineContext, type FnLike } from '../engine';

/** A function a driver-side operator calls (state, windows), and how the plan shows it. */
export interface DriverFn {
  readonly call: (a: unknown, b?: unknown) => unknown;
  /**
   * An operator or a named function as its JSON, which stays the same from one build of the
   * page to the next; an inline function as its source text.
   */
  readonly text: string;
}

/** Compiles `f` for the driver: an inline function is called as it is (a closure is fine). */
export function driverFn(engine: EngineContext, f: FnLike, arity: 1 | 2): DriverFn {
  const spec = toFnSpec(f);
  return { call: compileFn(spec, engine.resolve, arity), text: JSON.stringify(spec) };
}
