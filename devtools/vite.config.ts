import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// `vite build --config devtools/vite.config.ts`: the DevTools extension, unpacked, in
// dist/devtools-extension/ (load it from chrome://extensions). Extension pages allow no inline
// script: Vite emits each page's script as an external module, with relative URLs (`base`).
const root = fileURLToPath(new URL('.', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}../package.json`, 'utf8')) as {
  version: string;
};

/** Emits manifest.json with the package's version (the source manifest has none). */
function manifest(): Plugin {
  return {
    name: 'tabstream-devtools-manifest',
    generateBundle() {
      const source = JSON.parse(readFileSync(`${root}manifest.json`, 'utf8')) as object;
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.json',
        source: `${JSON.stringify({ ...source, version }, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [manifest()],
  build: {
    outDir: '../dist/devtools-extension',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rollupOptions: { input: { devtools: `${root}devtools.html`, panel: `${root}panel.html` } },
  },
});
