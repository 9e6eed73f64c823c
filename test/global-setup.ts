import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the widget's script-tag bundle once for the whole run: the server
 * under test serves `packages/widget/dist/embed.js`, so a stale or missing
 * build would test yesterday's widget.
 */
export default function setup(): void {
  const result = spawnSync('pnpm', ['--filter', '@parley/widget', 'build'], { cwd: root, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const output = [result.error?.message, result.stdout, result.stderr].filter(Boolean).join('\n');
    throw new Error(`Building the widget (pnpm --filter @parley/widget build) failed, so the journeys cannot run:\n${output}`);
  }
}
