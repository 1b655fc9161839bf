import { defineConfig, type LibraryOptions } from 'vite';

// Three builds, each one file:
// - `vite build`: dist/tabstream.js, the script tag's part, loaded at once: the tracker;
// - `vite build --mode core`: dist/tabstream-core.js, which that part loads in idle time: the
//   log, coordination, engine, streaming and elements, with the executor worker inlined and
//   started from a Blob URL, so that it works when served from another origin than the page;
// - `vite build --mode esm`: dist/tabstream.mjs, the whole API for bundlers.
const builds: Record<string, LibraryOptions> = {
  production: {
    entry: 'src/embed.ts',
    formats: ['iife'],
    name: 'tabstreamEmbed',
    fileName: () => 'tabstream.js',
  },
  core: {
    entry: 'src/core.ts',
    formats: ['iife'],
    name: 'tabstreamCore',
    fileName: () => 'tabstream-core.js',
  },
  esm: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'tabstream.mjs' },
};

export default defineConfig(({ mode }) => ({
  build: {
    outDir: 'dist',
    emptyOutDir: mode === 'production',
    target: 'es2022',
    lib: builds[mode] ?? builds.production!,
  },
  worker: { format: 'iife' },
}));
