// A module of named functions (Spark's application jar), for docs/engine.md: `sc.addModule`
// imports it into the page and into every executor, where `globalThis.tabstream.defineFn`
// registers its functions by name.
globalThis.tabstream.defineFn('isShop', (record, params) =>
  new URL(record.value.page).pathname.startsWith(params.prefix),
);
