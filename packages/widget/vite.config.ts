import { defineConfig } from 'vite';

/**
 * The ES module build for developers who import the elements into their own
 * bundle: Lit stays external so the app shares one copy.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2021',
    sourcemap: true,
    lib: {
      entry: { parley: 'src/index.ts' },
      formats: ['es'],
    },
    rollupOptions: {
      external: [/^lit($|\/)/, /^@lit\//],
    },
  },
});
