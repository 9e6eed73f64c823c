#!/usr/bin/env node
/**
 * The whole test suite: typecheck, build the widget, check its size budget, then every runner
 * (protocol and server with vitest, components with @web/test-runner in
 * headless Chromium, journeys with playwright-core), and a last line with the
 * totals: "Total: N passed, N failed, N skipped".
 *
 * Chromium comes from Debian's `chromium` package; when it is missing and we
 * are root with apt-get, it is installed first.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBudgets } from '../packages/widget/build/size-budget.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, '.test-results');
fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const pnpm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['pnpm'];
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function run(label, command, args, env = {}) {
  console.log(`\n━━ ${label} ━━`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function runPnpm(label, args, env) {
  return run(label, pnpm[0], [...pnpm.slice(1), ...args], env);
}

function ensureChromium() {
  if (fs.existsSync(chromium)) return true;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    console.error(`Chromium is needed at ${chromium}. Install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`);
    return false;
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  return (
    run('install Chromium (apt-get update)', 'apt-get', ['update', '-q'], env) &&
    run('install Chromium (apt-get install chromium)', 'apt-get', ['install', '-y', '-q', 'chromium'], env)
  );
}

/**
 * Adds a runner's counts. A step that failed without a failing test (a file
 * that did not load, a crash) or that ran no test counts as one failure.
 */
function record(label, ok, counts) {
  const { passed = 0, failed = 0, skipped = 0 } = counts ?? {};
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  if (!counts) problems.push(`${label}: no report`);
  else if (passed + failed + skipped === 0) problems.push(`${label}: ran no test`);
  if (!ok) problems.push(`${label} failed`);
  if ((!ok || !counts || passed + failed + skipped === 0) && failed === 0) totals.failed += 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitest(label, filter) {
  const out = path.join(results, `${filter.replace(/\W+/g, '-')}.json`);
  const ok = runPnpm(label, ['--filter', filter, 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const report = readJson(out);
  record(label, ok, report && {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  });
}

function step(label, args) {
  if (runPnpm(label, args)) return;
  problems.push(`${label} failed`);
  totals.failed += 1;
}

/** The widget's size budget: one test per budget, failing the run when a change breaks it. */
function sizeBudget() {
  console.log('\n━━ widget size budget (packages/widget/build/size-budget.mjs) ━━');
  try {
    const lines = checkBudgets();
    for (const line of lines) console.log(`${line.ok ? '✓' : '✗'} ${line.name}: ${line.size} B gzipped, budget ${line.budget} B`);
    const failed = lines.filter((line) => !line.ok).length;
    record('widget size budget', failed === 0, { passed: lines.length - failed, failed, skipped: 0 });
  } catch (error) {
    console.error(error);
    record('widget size budget', false, null);
  }
}

step('typecheck', ['-r', 'typecheck']);
step('build the widget', ['--filter', '@parley/widget', 'build']);
sizeBudget();

vitest('protocol (vitest)', '@parley/protocol');
vitest('server (vitest)', '@parley/server');

if (ensureChromium()) {
  const summary = path.join(results, 'widget.json');
  const ok = runPnpm('widget components (@web/test-runner)', ['--filter', '@parley/widget', 'test'], {
    PARLEY_WTR_SUMMARY: summary,
    CHROMIUM_PATH: chromium,
  });
  record('widget components', ok, readJson(summary));
  vitest('journeys (playwright-core)', '@parley/journeys');
} else {
  problems.push('Chromium unavailable: component tests and journeys did not run');
  totals.failed += 1;
}

console.log('\n━━ summary ━━');
for (const problem of problems) console.log(`✗ ${problem}`);
console.log(`Total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(problems.length || totals.failed ? 1 : 0);
