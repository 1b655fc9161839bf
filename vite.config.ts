import { fileURLToPath } from 'node:url';
import { minify, type MinifyOptions } from 'terser';
import { defineConfig, type LibraryOptions, type Plugin } from 'vite';

// Four builds:
// - `vite build`: dist/tabstream.js, the script tag's part, loaded at once: the tracker;
// - `vite build --mode core`: dist/tabstream-core.js, which that part loads in idle time: the
//   log, coordination, engine, streaming and elements, with the executor worker inlined and
//   started from a Blob URL, so that it works when served from another origin than the page;
// - `vite build --mode esm`: the npm package's entries, for bundlers or a page's own imports:
//   dist/tabstream.mjs (all but the elements; it imports where there is no DOM, and loads the
//   core, a chunk of its own, in `init`) and dist/elements.mjs (defines the elements; imports in
//   a worker too, see litWithoutDOM);
// - `vite build --mode server`: dist/elements.server.mjs, the elements for a server (package.json
//   `exports` condition `node`: Node, Deno, an SSR framework's server bundle), with Lit's server
//   build, whose elements extend the HTMLElement of Lit's DOM shim (@lit-labs/ssr-dom-shim) and
//   are defined in its element registry, so that a page's imports evaluate in a server render.
const builds: Record<string, LibraryOptions> = {
  production: {
    entry: 'src/entries/embed.ts',
    formats: ['iife'],
    name: 'tabstreamEmbed',
    fileName: () => 'tabstream.js',
  },
  core: {
    entry: 'src/entries/core.ts',
    formats: ['iife'],
    name: 'tabstreamCore',
    fileName: () => 'tabstream-core.js',
  },
  esm: {
    entry: { tabstream: 'src/entries/index.ts', elements: 'src/entries/elements.ts' },
    formats: ['es'],
    fileName: (_format, name) => `${name}.mjs`,
  },
  server: {
    entry: 'src/entries/elements.ts',
    formats: ['es'],
    fileName: () => 'elements.server.mjs',
  },
};

/**
 * Lit's builds for the `node` condition, which guard what their browser builds touch at import:
 * `document` (read only if defined), `customElements` and `HTMLElement` (the DOM's if defined,
 * else those of Lit's DOM shim). Its element classes then evaluate where there is no DOM.
 */
const LIT_SERVER_CONDITIONS = ['node', 'module'];

/**
 * The ES module build's Lit: its server build, with a stand-in for Lit's DOM shim. A page
 * gets the DOM's own `HTMLElement`, `customElements` and `document`, as with Lit's browser build
 * (its server build differs only in those guards, and `isServer`, which nothing here reads). A
 * worker that imports dist/elements.mjs (a bundler gives a worker the browser's conditions) gets
 * element classes that extend an empty class, and no element registry: Lit's shim is not in the
 * page's bundle (20 kB, and it sets globals of its own).
 */
function litWithoutDOM(): Plugin {
  const shim = '\0tabstream-no-dom-shim';
  return {
    name: 'tabstream-lit-without-dom',
    enforce: 'pre',
    resolveId: (id) => (id === '@lit-labs/ssr-dom-shim' ? shim : undefined),
    load: (id) =>
      id === shim
        ? 'export const HTMLElement = class {};\nexport const customElements = undefined;'
        : undefined,
  };
}

/**
 * Vite starts an inlined worker with `new Worker(blobURL)`: a string, which a page that requires
 * Trusted Types refuses. This passes the URL through tabstream's policy (src/shared/trusted-types.ts)
 * first. The build fails if Vite's wrapper no longer has the call it rewrites.
 */
function trustedInlineWorkers(): Plugin {
  const policy = fileURLToPath(new URL('src/shared/trusted-types.ts', import.meta.url));
  return {
    name: 'tabstream-trusted-inline-workers',
    enforce: 'post',
    transform(code, id) {
      if (!id.endsWith('?worker&inline')) return;
      const call = /new Worker\(objURL,/g;
      if (!call.test(code)) this.error(`${id}: Vite's inline worker wrapper changed`);
      const rewritten = code.replace(call, 'new Worker(tabstreamScriptURL(objURL),');
      return {
        code: `import { scriptURL as tabstreamScriptURL } from ${JSON.stringify(policy)};\n${rewritten}`,
        map: null,
      };
    },
  };
}

/**
 * Members of the script tag's own objects (a held click, the click's description, the tracker's
 * parts), which nothing outside tabstream.js reads: terser shortens them as it does local names.
 * Never an event's field, an option, a member of `window.tabstream` or one the core calls (a name
 * is shortened wherever it occurs in the bundle).
 */
const INTERNAL_MEMBERS = [
  ...['stamp', 'trusted', 'raw', 'description', 'burst', 'fields', 'navigates', 'formField'],
  ...['note', 'rest', 'watch', 'watchRoot', 'respondedBetween', 'forgetBefore', 'onResponse'],
  ...['describe', 'schedule', 'pending', 'handTo', 'spill', 'discard', 'drain', 'lastSeen'],
];

/** Terser for the script tag's part: names shortened at the top level too, several passes. */
const TERSER: MinifyOptions = {
  ecma: 2020,
  toplevel: true,
  compress: { passes: 3, unsafe_arrows: true, pure_getters: true, unsafe_methods: true },
  mangle: {
    // builtins: some are the DOM's names too (`description`, `pending`), never read from it here.
    properties: { regex: new RegExp(`^(${INTERNAL_MEMBERS.join('|')})$`), builtins: true },
  },
};

/**
 * Minifies the script tag's part with terser, once it is one file (its IIFE whole): Vite's own
 * terser step runs with `toplevel` off and Safari 10's workarounds on for an IIFE, 150 B
 * gzipped more.
 */
function terserWhole(): Plugin {
  return {
    name: 'tabstream-terser-whole',
    async generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') chunk.code = (await minify(chunk.code, TERSER)).code!;
      }
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [
    trustedInlineWorkers(),
    ...(mode === 'production' ? [terserWhole()] : []),
    ...(mode === 'esm' ? [litWithoutDOM()] : []),
  ],
  ...((mode === 'esm' || mode === 'server') && { resolve: { conditions: LIT_SERVER_CONDITIONS } }),
  build: {
    outDir: 'dist',
    emptyOutDir: mode === 'production',
    target: 'es2022',
    lib: builds[mode] ?? builds.production!,
    // The ES module build's chunks (the core that `init` loads, the parts both entries share)
    // beside its entries, so that the files work as they are, from a bundler or a page.
    ...(mode === 'esm' && {
      rolldownOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].mjs' } },
    }),
    // The server's elements in one file, beside the ES module build's (not in its chunks).
    ...(mode === 'server' && { rolldownOptions: { output: { codeSplitting: false } } }),
    // The script tag's part is loaded by every page at once: terser (terserWhole) takes ~300 B
    // gzipped more off it than the default minifier. The other builds keep the faster default.
    ...(mode === 'production' && { minify: false }),
  },
  worker: { format: 'iife' },
}));
