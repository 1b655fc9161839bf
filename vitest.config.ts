import { defineConfig } from 'vitest/config';

// unit: pure logic in Node, IndexedDB from fake-indexeddb (test/unit/**/*.spec.ts).
// e2e: the built dist/tabstream.js on real pages in real Chromium (test/e2e/**/*.spec.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.spec.ts'],
          environment: 'node',
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 120000,
          hookTimeout: 60000,
          fileParallelism: false,
        },
      },
    ],
  },
});
