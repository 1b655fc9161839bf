import { defineConfig } from 'vite';

// `vite build` writes dist/tabstream.js, the self-contained script for the script tag;
// `vite build --mode esm` adds dist/tabstream.mjs, the same API for bundlers.
// The executor worker is inlined in both and started from a Blob URL, so that the script works
// when served from another origin than the page.
export default defineConfig(({ mode }) => ({
  build: {
    outDir: 'dist',
    emptyOutDir: mode !== 'esm',
    target: 'es2022',
    lib:
      mode === 'esm'
        ? { entry: 'src/index.ts', formats: ['es'], fileName: () => 'tabstream.mjs' }
        : {
            entry: 'src/embed.ts',
            name: 'tabstreamEmbed',
            formats: ['iife'],
            fileName: () => 'tabstream.js',
          },
  },
  worker: { format: 'iife' },
}));
