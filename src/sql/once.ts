/**
 * A function of a named function's params compiled once per params object (one per task), then
 * reused: what the executors' named functions do with params that are data.
 */
export function oncePerParams<P extends object, C>(compile: (params: P) => C): (params: P) => C {
  const compiled = new WeakMap<P, C>();
  return (params) => {
    let c = compiled.get(params);
    if (c === undefined) compiled.set(params, (c = compile(params)));
    return c;
  };
}
