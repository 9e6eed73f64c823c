import { defineConfig } from 'vite';

/**
 * The script-tag bundle the server serves at `/embed.js`: one classic script
 * with everything inside, so a host page needs nothing but the tag.
 */
export default defineConfig({
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
