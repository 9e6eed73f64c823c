import { readFileSync } from 'node:fs';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * The script-tag bundle the server serves at `/embed.js`.
 *
 * A host page asks for one classic script, and that script must paint the
 * thread on its own (issue #5: at most 18 KB gzipped before the thread shows).
 * So the bundle is built as AMD modules with a tiny loader in front
 * (build/chunk-loader.js): `embed.js` holds the thread view, and what comes
 * after the first paint (sign-in, composer, dialogs, comment actions,
 * socket.io-client) is split by Rollup into hashed chunks under `chunks/`,
 * which share Lit and the widget's state with `embed.js` through Rollup's own
 * (minified) exports. The server serves them at `/chunks/NAME.js`.
 */
/**
 * Whitespace and comments out of Lit's html`` and css`` templates (the Lit
 * team's plugin), after Vite has turned TypeScript into JavaScript. A run of
 * whitespace becomes one space, never nothing: `Comments${count}` and
 * "You blocked NAME. Show" keep the spaces a reader sees.
 */
export function minifyTemplates(): Plugin {
  return {
    ...minifyHtmlLiterals({ failOnError: true, options: { minifyOptions: { conservativeCollapse: true } } }),
    enforce: 'post',
  };
}

export default defineConfig((): UserConfig => {
  // Minified with the chunk it heads, below.
  const loader = readFileSync(new URL('./build/chunk-loader.js', import.meta.url), 'utf8');
  return {
    plugins: [minifyTemplates()],
    // Lit's production build: without this Rollup resolves Lit's development
    // export (bigger, and it warns "Lit is in dev mode" on every page).
    resolve: { conditions: ['module', 'browser', 'production'] },
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2021',
      sourcemap: false,
      // Terser packs the first-paint bundle a few per cent tighter than esbuild.
      minify: 'terser',
      terserOptions: { ecma: 2020, compress: { passes: 2 } },
      // Library mode: no preload helper around dynamic imports (the loader fetches chunks itself).
      lib: { entry: { embed: 'src/embed.ts' } },
      rollupOptions: {
        // The chunks import Lit and the state from /embed.js itself, not from a facade.
        preserveEntrySignatures: 'allow-extension',
        // An array, so Vite keeps this format instead of the library formats.
        output: [
          {
            format: 'amd',
            amd: { autoId: true, define: '__parleyDefine' },
            entryFileNames: '[name].js',
            chunkFileNames: 'chunks/[name]-[hash].js',
            minifyInternalExports: true,
            generatedCode: { preset: 'es2015', symbols: false },
            banner: (chunk) => (chunk.isEntry ? loader : ''),
          },
        ],
      },
    },
  };
});
