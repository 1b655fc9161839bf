// The DOM's types as the package's declarations name them. A program typed for a worker (lib
// WebWorker, no DOM) imports `tabstream` too, and checks its declarations: there, each is `never`
// (what takes one is for pages), and in a page it is the DOM's own type.

/** The DOM's `Element`. */
export type DomElement = DomType<'Element'>;

/** The DOM's `ShadowRoot`. */
export type DomShadowRoot = DomType<'ShadowRoot'>;

/** The DOM's `Storage`: localStorage's type. */
export type DomStorage = DomType<'Storage'>;

/** The instance type of the global class `name`, if the program's lib declares it, else never. */
type DomType<Name extends string> = typeof globalThis extends {
  [K in Name]: { prototype: infer T };
}
  ? T
  : never;
