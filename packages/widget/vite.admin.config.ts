import { defineConfig } from 'vite';
import { minifyTemplates } from './vite.embed.config.js';

/**
 * The script-tag bundle of the moderator's admin, for the server to serve at
 * `/admin.js`: one classic script that defines `<parley-admin>` and
 * everything it uses, so an admin page needs the tag and the element.
 */
export default defineConfig({
  plugins: [minifyTemplates()],
  // Lit's production build: without this a library build resolves Lit's
  // development export (bigger, and it warns "Lit is in dev mode" on every page).
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2021',
    sourcemap: false,
    minify: 'terser',
    terserOptions: { ecma: 2020, compress: { passes: 2 } },
    lib: {
      entry: 'src/admin/parley-admin.ts',
      formats: ['iife'],
      name: 'ParleyAdmin',
      fileName: () => 'admin.js',
    },
    rollupOptions: {
      output: { inlineDynamicImports: true },
    },
  },
});
