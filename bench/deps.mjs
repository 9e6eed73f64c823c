/**
 * The bench's own dependencies (bench/package.json), installed into
 * bench/node_modules with npm on first use, so the workspace's pnpm install is
 * untouched.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = path.dirname(fileURLToPath(import.meta.url));

/** A `require` that resolves from bench/, after installing bench/package.json if any of `names` is missing. */
export function benchRequire(names) {
  const missing = names.filter((name) => !fs.existsSync(path.join(bench, 'node_modules', name, 'package.json')));
  if (missing.length) {
    console.log(`Installing bench dependencies (npm install --prefix bench; missing ${missing.join(', ')})…`);
    execFileSync('npm', ['install', '--prefix', bench, '--no-audit', '--no-fund', '--no-package-lock'], { stdio: 'inherit', timeout: 5 * 60_000 });
  }
  return createRequire(path.join(bench, 'package.json'));
}
