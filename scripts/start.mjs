#!/usr/bin/env node
/**
 * Runs the Velotip example: the Parley server (embedded SQLite) and the
 * example host on its own origin, and prints both URLs. Ctrl+C stops both.
 * Ports follow PARLEY_PORT (default 3000) and EXAMPLE_PORT (default 5173).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const parleyPort = process.env.PARLEY_PORT || '3000';
const examplePort = process.env.EXAMPLE_PORT || '5173';
const env = {
  ...process.env,
  PARLEY_PORT: parleyPort,
  EXAMPLE_PORT: examplePort,
  PARLEY_DB: process.env.PARLEY_DB || path.join(root, 'data', 'parley.db'),
  PARLEY_URL: process.env.PARLEY_URL || `http://localhost:${parleyPort}`,
};

const children = [
  spawn(process.execPath, [path.join(root, 'packages/server/bin/parley.mjs'), 'serve'], { env, stdio: 'inherit' }),
  spawn(process.execPath, [path.join(root, 'examples/velotip/host.mjs')], { env, stdio: 'inherit' }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`A process exited (code ${code}); stopping the example.`);
      stop(code || 1);
    }
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.log(`\nStarting Parley on http://localhost:${parleyPort} and the Velotip example on http://localhost:${examplePort}/ …\n`);
