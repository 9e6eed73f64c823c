#!/usr/bin/env node
/**
 * The widget's size budget (issue #5), checked on every `pnpm test` after the
 * build, like size-limit but following the chunk graph of `/embed.js`:
 *
 * - first paint: `embed.js` and the chunks it needs before it runs (none
 *   today) must be at most 18 KB gzipped;
 * - whole widget: everything `embed.js` can ever load (sign-in, composer,
 *   dialogs, live updates) at most 40 KB gzipped.
 *
 * Sizes are zlib's default gzip level (6), the level most servers compress
 * with; Parley's server sends level 9, which is a little smaller. KB here is
 * 1,000 bytes. A deterministic size, so it is a test; timings never are.
 *
 *   node packages/widget/build/size-budget.mjs     # prints the table, exits 1 when over
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.resolve(here, '../dist');

/** Bytes (gzip, default level). */
export const budgets = { firstPaint: 18_000, whole: 40_000 };

export function gzipSize(buffer, level = zlib.constants.Z_DEFAULT_COMPRESSION) {
  return zlib.gzipSync(buffer, { level }).length;
}

/** `./chunks/a` named from module `embed` is `chunks/a`; `../embed` from `chunks/a` is `embed`. */
function resolveId(from, dep) {
  return new URL(dep, `http://parley/${from}`).pathname.slice(1);
}

/**
 * The modules of the AMD bundle: for each, its file, the modules it needs
 * before it runs (its `define` list) and the ones it may load later (Rollup's
 * dynamic imports, `require(["./chunks/…"])` under a minified name: any
 * relative module id in the code that names a file of the bundle).
 */
function readModule(dist, id) {
  const file = path.join(dist, `${id}.js`);
  const code = fs.readFileSync(file);
  const text = code.toString('utf8');
  const define = /__parleyDefine\(\s*"([^"]+)"\s*,\s*(\[[^\]]*\])?/.exec(text);
  if (!define || define[1] !== id) throw new Error(`${file} does not define module "${id}"`);
  const relative = (list) => [...list.matchAll(/"(\.{1,2}\/[^"]+)"/g)].map((m) => resolveId(id, m[1]));
  const needs = define[2] ? relative(define[2]) : [];
  const later = relative(text.slice(define.index + define[0].length)).filter((dep) => fs.existsSync(path.join(dist, `${dep}.js`)));
  return { id, file, code, needs, later };
}

/** Sizes of what `/embed.js` loads first and of everything it can load. */
export function measureEmbed(dist = distDir) {
  const seen = new Map();
  const visit = (id) => {
    if (seen.has(id)) return;
    const mod = readModule(dist, id);
    seen.set(id, mod);
    for (const dep of [...mod.needs, ...mod.later]) visit(dep);
  };
  visit('embed');
  const first = new Set();
  const needed = (id) => {
    if (first.has(id)) return;
    first.add(id);
    for (const dep of seen.get(id).needs) needed(dep);
  };
  needed('embed');
  const files = [...seen.values()].map((mod) => ({
    id: mod.id,
    firstPaint: first.has(mod.id),
    raw: mod.code.length,
    gzip: gzipSize(mod.code),
    gzip9: gzipSize(mod.code, 9),
  }));
  const sum = (list, key) => list.reduce((total, file) => total + file[key], 0);
  const firstFiles = files.filter((file) => file.firstPaint);
  return {
    files,
    firstPaint: { gzip: sum(firstFiles, 'gzip'), gzip9: sum(firstFiles, 'gzip9'), raw: sum(firstFiles, 'raw') },
    whole: { gzip: sum(files, 'gzip'), gzip9: sum(files, 'gzip9'), raw: sum(files, 'raw') },
  };
}

/** One line per budget: [name, size, budget, ok]. */
export function checkBudgets(sizes = measureEmbed()) {
  return [
    ['first paint (embed.js and what it needs first)', sizes.firstPaint.gzip, budgets.firstPaint],
    ['whole widget (everything embed.js can load)', sizes.whole.gzip, budgets.whole],
  ].map(([name, size, budget]) => ({ name, size, budget, ok: size <= budget }));
}

function main() {
  if (!fs.existsSync(path.join(distDir, 'embed.js'))) {
    console.error('packages/widget/dist/embed.js is missing: run `pnpm build` first.');
    process.exit(2);
  }
  const sizes = measureEmbed();
  console.log('file'.padEnd(44), 'raw'.padStart(8), 'gzip'.padStart(8), 'gzip -9'.padStart(8));
  for (const file of sizes.files) {
    const name = `${file.id}.js${file.firstPaint ? ' (first paint)' : ''}`;
    console.log(name.padEnd(44), String(file.raw).padStart(8), String(file.gzip).padStart(8), String(file.gzip9).padStart(8));
  }
  let failed = 0;
  for (const line of checkBudgets(sizes)) {
    if (!line.ok) failed += 1;
    console.log(`${line.ok ? '✓' : '✗'} ${line.name}: ${line.size} B gzipped, budget ${line.budget} B`);
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
