#!/usr/bin/env node
/**
 * `node bench/profile.mjs [write|read]`: Parley alone, started from the repo's
 * CLI under `node --cpu-prof`, seeded and loaded the way `pnpm bench` loads it,
 * then stopped with SIGTERM so V8 writes its profile. Prints the functions
 * with the most self time, and the same time grouped by where the code lives
 * (a package in node_modules, Parley's own sources, Node's internals, native
 * code and GC), so a change can be judged by what it takes off the top.
 *
 *   PROFILE_SECONDS=5  PROFILE_CONNECTIONS=10  PROFILE_TOP=30  PROFILE_KEEP=dir
 *
 * PROFILE_KEEP keeps the .cpuprofile in that folder (to open in Chrome
 * DevTools); otherwise it is deleted with the temporary database.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './measure.mjs';
import { parleyRead, parleyWrite, seedParley, startParley } from './parley.mjs';
import { freePort, stopServer } from './servers.mjs';

const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(bench, '..');
const scenario = process.argv[2] ?? 'write';
if (scenario !== 'write' && scenario !== 'read') throw new Error('usage: node bench/profile.mjs [write|read]');
const seconds = Number(process.env.PROFILE_SECONDS ?? 5);
const connections = Number(process.env.PROFILE_CONNECTIONS ?? (scenario === 'write' ? 10 : 50));
const top = Number(process.env.PROFILE_TOP ?? 30);

const require = createRequire(path.join(bench, 'package.json'));
if (!fs.existsSync(path.join(bench, 'node_modules/autocannon/package.json'))) {
  throw new Error('autocannon is missing: run `pnpm bench` once, or `npm install --prefix bench`');
}
const autocannon = require('autocannon');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-profile-'));
const profiles = path.join(dir, 'profiles');
let server;
try {
  server = await startParley({ root, dir, port: await freePort(), nodeOptions: [`--cpu-prof`, `--cpu-prof-dir=${profiles}`] });
  const tokens = await seedParley(server, { users: 5, comments: 200 });
  const request = scenario === 'write' ? parleyWrite(tokens) : parleyRead(100);
  await measure(autocannon, server, { connections, seconds: 2, request });
  // V8 stamps samples with the monotonic clock in µs, as hrtime reads it here:
  // only the measured run counts, not start-up, seeding or the warm-up.
  const window = { from: Number(process.hrtime.bigint() / 1000n), to: 0 };
  const r = await measure(autocannon, server, { connections, seconds, request });
  window.to = Number(process.hrtime.bigint() / 1000n);
  console.log(
    `${scenario} at ${connections} connections, ${seconds} s: ${r.perSecond.toFixed(0)} /s, p50 ${r.p50} ms, p99 ${r.p99} ms, ` +
      `server CPU ${r.cpuMsPerRequest.toFixed(3)} ms/request \n`,
  );
  await stopServer(server);
  const file = fs.readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written:\n${server.output()}`);
  const profile = JSON.parse(fs.readFileSync(path.join(profiles, file), 'utf8'));
  report(profile, window, r.ok + r.non2xx);
  if (process.env.PROFILE_KEEP) {
    fs.mkdirSync(process.env.PROFILE_KEEP, { recursive: true });
    const kept = path.join(process.env.PROFILE_KEEP, `parley-${scenario}-${Date.now()}.cpuprofile`);
    fs.copyFileSync(path.join(profiles, file), kept);
    console.log(`\nprofile kept: ${kept}`);
  }
} finally {
  await stopServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Self time per function and per place, from V8's samples taken within `window`. */
function report(profile, window, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  let at = profile.startTime;
  // Each sample's time is the delta to the next one.
  for (let i = 0; i < profile.samples.length; i++) {
    at += deltas[i];
    if (at < window.from || at > window.to) continue;
    const dt = deltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  let total = 0;
  let idle = 0;
  const byFunction = new Map();
  const byPlace = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    total += us;
    if (callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const where = place(callFrame.url, callFrame.functionName);
    const name = `${callFrame.functionName || '(anonymous)'}  ${shortUrl(callFrame.url)}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byPlace.set(where, (byPlace.get(where) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  console.log(
    `Profile of the measured run: ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled, ` +
      `${(busy / 1000 / requests).toFixed(3)} ms busy per request (wall time on the main thread, fsync waits included)\n`,
  );
  console.log('Self time by place');
  for (const [where, us] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(us)}  ${where}`);
  console.log(`\nTop ${top} functions by self time`);
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${name}`);
}

function place(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/packages\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url);
  if (own) return `parley ${own[1]}${own[2] && !own[2].includes('.') ? `/${own[2]}` : ''}`;
  return shortUrl(url);
}

function shortUrl(url) {
  return url.replace(/^file:\/\//, '').replace(`${root}/`, '').replace(/node_modules\/\.pnpm\/[^/]+\/node_modules\//, 'node_modules/');
}
