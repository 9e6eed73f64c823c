import { defineConfig } from 'vite';

/**
 * The script-tag bundle the server serves at `/count.js`, for article lists:
 * one classic script that defines `<parley-count>` and nothing else, so a
 * page that only shows "12 comments" next to its links loads a few KiB.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2021',
    sourcemap: false,
    lib: {
      entry: 'src/count/count-script.ts',
      formats: ['iife'],
      name: 'ParleyCount',
      fileName: () => 'count.js',
    },
  },
});
