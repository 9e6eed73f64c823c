import { defineConfig } from 'vite';

/**
 * The script-tag bundle the server serves at `/embed.js`: one classic script
 * with everything inside, so a host page needs nothing but the tag.
 */
export default defineConfig({
  // Lit's production build: without this a library build resolves Lit's
  // development export (bigger, and it warns "Lit is in dev mode" on every page).
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2021',
    sourcemap: false,
    lib: {
      entry: 'src/embed.ts',
      formats: ['iife'],
      name: 'Parley',
      fileName: () => 'embed.js',
    },
    rollupOptions: {
      output: { inlineDynamicImports: true },
    },
  },
});
