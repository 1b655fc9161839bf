import { defineConfig } from 'vite';

// The benchmark pages, built like the library (production mode, inlined workers).
export default defineConfig({
  root: 'bench',
  base: './',
  build: { outDir: '../.bench-dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'iife' },
  logLevel: 'warn',
});
