#!/usr/bin/env node
/**
 * `pnpm bench`: Parley and its peer Waline, started side by side on
 * 127.0.0.1, loaded with the same 200-comment page, measured alternately with
 * autocannon (thread reads, then comment writes), plus the widget's payload.
 * docs/performance.md explains the figures and the knobs:
 *
 *   BENCH_SECONDS=10  BENCH_ROUNDS=2  BENCH_PEER=on|off
 *   BENCH_READ_CONNECTIONS=50  BENCH_WRITE_CONNECTIONS=10
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAutocannon, measure } from './measure.mjs';
import { budgets, measurePayload } from './payload.mjs';
import { PAGE, WRITE_PAGE, parleyCount, parleyRead, parleyWrite, seedParley, startParley } from './parley.mjs';
import { freePort, request, stopServer } from './servers.mjs';
import {
  WALINE_PATH,
  WALINE_VERSION,
  WALINE_WRITE_PATH,
  createWalineSchema,
  installWaline,
  seedWaline,
  startWaline,
  walineCount,
  walineRead,
  walineWrite,
} from './waline.mjs';
import { median } from './stats.mjs';

const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(bench, '..');

const settings = {
  seconds: positive('BENCH_SECONDS', 10),
  rounds: positive('BENCH_ROUNDS', 2),
  readConnections: positive('BENCH_READ_CONNECTIONS', 50),
  writeConnections: positive('BENCH_WRITE_CONNECTIONS', 10),
  peer: (process.env.BENCH_PEER ?? 'on') !== 'off',
  comments: 200,
  users: 5,
  parleyReadLimit: 100,
  walineReadLimit: 10,
  warmupSeconds: 2,
};

function positive(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 600) throw new Error(`${name} must be a whole number from 1 to 600`);
  return value;
}

function widgetFile(name) {
  return path.join(root, 'packages/widget/dist', name);
}

const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function printRun(label, name, r) {
  const trouble = [r.non2xx && `${r.non2xx} non-2xx`, r.errors && `${r.errors} errors`, r.timeouts && `${r.timeouts} timeouts`].filter(Boolean).join(', ');
  console.log(
    `  ${label.padEnd(8)} ${name.padEnd(7)} ${fmt(r.perSecond).padStart(8)} /s   p50 ${fmt(r.p50, 0).padStart(5)} ms   p99 ${fmt(r.p99, 0).padStart(5)} ms   CPU ${fmt(r.cpuMsPerRequest, 3).padStart(7)} ms/req   RSS ${fmt(r.rssMiB, 0)} MiB${trouble ? `   (${trouble})` : ''}`,
  );
}

async function main() {
  const autocannon = loadAutocannon();
  const serverRequire = createRequire(path.join(root, 'packages/server/package.json'));
  const Database = serverRequire('better-sqlite3');

  console.log(`Parley bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  console.log(`  ${settings.seconds} s per run, ${settings.rounds} rounds, reads at ${settings.readConnections} connections, writes at ${settings.writeConnections}\n`);

  if (!fs.existsSync(widgetFile('embed.js'))) {
    console.log('Widget not built; running pnpm build…');
    execFileSync('pnpm', ['build'], { cwd: root, stdio: 'inherit', timeout: 5 * 60_000 });
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const servers = [];
  try {
    const parley = await startParley({ root, dir, port: await freePort() });
    servers.push(parley);

    // Payload: the widget's scripts as the budget counts them and as Parley sends them.
    const payload = await measurePayload(parley.origin);
    const kb = (bytes) => `${fmt(bytes / 1000, 1)} KB`;
    console.log('Payload (KB = 1,000 bytes; gzip at the default level, as the budget counts; Brotli as Parley serves it)');
    for (const file of payload.files) {
      console.log(`  /${file.id}.js${file.firstPaint ? ' (first paint)' : ''}`.padEnd(48), `gzip ${kb(file.gzip)}`.padEnd(16), `br ${kb(file.br)}`);
    }
    console.log(`  first paint: ${kb(payload.firstPaint.gzip)} gzip (budget ${kb(budgets.firstPaint)}), ${kb(payload.firstPaint.br)} br`);
    console.log(`  whole widget: ${kb(payload.whole.gzip)} gzip (budget ${kb(budgets.whole)}), ${kb(payload.whole.br)} br`);
    console.log(`  /admin.js (admin pages only): ${kb(payload.admin.gzip)} gzip, ${kb(payload.admin.br)} br\n`);

    console.log(`Seeding Parley: ${settings.users} users, ${settings.comments} comments on one page…`);
    const tokens = await seedParley(parley, settings);
    const thread = await request(`${parley.origin}${parleyRead(settings.parleyReadLimit).path}`);
    console.log(`  GET returns ${thread.comments.length} comments per request (count ${thread.count})`);

    let waline = null;
    let peerProblem = settings.peer ? null : 'BENCH_PEER=off';
    if (settings.peer) {
      try {
        const scratch = path.join(os.tmpdir(), 'parley-bench-waline');
        installWaline(scratch);
        createWalineSchema(Database, dir);
        waline = await startWaline({ scratch, dir, port: await freePort() });
        servers.push(waline);
        console.log(`Seeding Waline ${WALINE_VERSION}: ${settings.comments} comments on one page…`);
        await seedWaline(waline, settings);
        const page = await request(`${waline.origin}${walineRead(settings.walineReadLimit).path}`);
        if (page?.errno !== 0 || page.data?.data?.length !== settings.walineReadLimit) throw new Error(`unexpected GET answer: ${JSON.stringify(page).slice(0, 300)}`);
        console.log(`  GET returns ${page.data.data.length} comments per request (count ${page.data.count})`);
      } catch (error) {
        peerProblem = `Waline could not be run: ${error.message}`;
        console.log(`\n!! ${peerProblem}\n   Measuring Parley alone.`);
        await stopServer(waline);
        waline = null;
      }
    }

    const subjects = [parley, ...(waline ? [waline] : [])];
    const scenarios = [
      {
        key: 'read',
        label: 'GET',
        connections: settings.readConnections,
        requestFor: (s) => (s === parley ? parleyRead(settings.parleyReadLimit) : walineRead(settings.walineReadLimit)),
      },
      {
        key: 'write',
        label: 'POST',
        connections: settings.writeConnections,
        requestFor: (s) => (s === parley ? parleyWrite(tokens) : walineWrite()),
      },
    ];

    const results = {};
    const stored = {};
    for (const scenario of scenarios) {
      console.log(`\n${scenario.label} at ${scenario.connections} connections`);
      for (const s of subjects) {
        await measure(autocannon, s, { connections: scenario.connections, seconds: settings.warmupSeconds, request: scenario.requestFor(s) });
      }
      const writesBefore = scenario.key === 'write' ? await storedWrites(parley, waline, Database, dir) : null;
      let answered = { Parley: 0, Waline: 0 };
      for (let round = 0; round < settings.rounds; round++) {
        // Alternate who goes first, so a slow spell of the machine does not land on one side only.
        const order = round % 2 ? [...subjects].reverse() : subjects;
        for (const s of order) {
          const before = scenario.key === 'write' ? (await storedWrites(parley, waline, Database, dir))[s.name] : 0;
          const r = await measure(autocannon, s, { connections: scenario.connections, seconds: settings.seconds, request: scenario.requestFor(s) });
          if (scenario.key === 'write') {
            // Waline answers some refusals with HTTP 200, so writes count the comments actually stored.
            r.stored = (await storedWrites(parley, waline, Database, dir))[s.name] - before;
            r.perSecond = r.stored / settings.seconds;
          }
          printRun(scenario.label, s.name, r);
          ((results[scenario.key] ??= {})[s.name] ??= []).push(r);
          answered[s.name] += r.ok;
        }
      }
      if (writesBefore) {
        const after = await storedWrites(parley, waline, Database, dir);
        for (const s of subjects) {
          stored[s.name] = after[s.name] - writesBefore[s.name];
          console.log(`  ${s.name}: ${answered[s.name]} 2xx answers, ${stored[s.name]} comments stored`);
        }
      }
    }

    summarize(results, subjects, { payload, peerProblem, stored });
  } finally {
    for (const s of servers.reverse()) await stopServer(s);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function storedWrites(parley, waline, Database, dir) {
  return {
    Parley: await parleyCount(parley, WRITE_PAGE),
    Waline: waline ? walineCount(Database, dir, WALINE_WRITE_PATH) : 0,
  };
}

function summarize(results, subjects, { payload, peerProblem }) {
  const firstPaintKB = payload.firstPaint.gzip / 1000;
  const wholeKB = payload.whole.gzip / 1000;
  const adminKB = payload.admin.gzip / 1000;
  const m = (key, name, field) => median((results[key]?.[name] ?? []).map((r) => r[field]));
  const hasPeer = subjects.length > 1;
  console.log(`\nSummary (median of ${settings.rounds} rounds)`);
  console.log('| | Parley | Waline | Parley ÷ Waline |');
  console.log('|---|---:|---:|---:|');
  for (const [key, label, unit] of [
    ['read', `GET thread (Parley ${settings.parleyReadLimit}, Waline ${settings.walineReadLimit} comments/request), ${settings.readConnections} conn`, 'req/s'],
    ['write', `POST comment, ${settings.writeConnections} conn`, 'comments/s'],
  ]) {
    const p = m(key, 'Parley', 'perSecond');
    const w = m(key, 'Waline', 'perSecond');
    console.log(`| ${label}: ${unit} | ${fmt(p)} | ${hasPeer ? fmt(w) : '–'} | ${hasPeer ? `${fmt(p / w, 2)}×` : '–'} |`);
    for (const [field, name, digits] of [['p50', 'p50 ms', 0], ['p99', 'p99 ms', 0], ['cpuMsPerRequest', 'server CPU ms/request', 3]]) {
      const pv = m(key, 'Parley', field);
      const wv = m(key, 'Waline', field);
      console.log(`| ${label}: ${name} | ${fmt(pv, digits)} | ${hasPeer ? fmt(wv, digits) : '–'} | ${hasPeer ? `${fmt(pv / wv, 2)}×` : '–'} |`);
    }
  }

  const readRatio = m('read', 'Parley', 'perSecond') / m('read', 'Waline', 'perSecond');
  const writeRatio = m('write', 'Parley', 'perSecond') / m('write', 'Waline', 'perSecond');
  const verdict = (ok) => (Number.isNaN(ok) ? 'not measured' : ok ? 'met' : 'NOT met');
  const check = (value, ok) => verdict(Number.isFinite(value) ? ok(value) : NaN);
  console.log('\nTargets of issue #5 (printed, never failed)');
  const rows = [
    ['payload first paint ≤ 18 KB gz', `${fmt(firstPaintKB, 2)} KB`, check(firstPaintKB, (v) => v * 1000 <= budgets.firstPaint)],
    ['whole widget ≤ 40 KB gz', `${fmt(wholeKB, 2)} KB (+ admin.js ${fmt(adminKB, 2)} KB on admin pages)`, check(wholeKB, (v) => v * 1000 <= budgets.whole)],
    ['reads ≥ 30× Waline req/s', hasPeer ? `${fmt(readRatio, 2)}×` : '–', check(readRatio, (v) => v >= 30)],
    ['reads p99 ≤ 50 ms', `${fmt(m('read', 'Parley', 'p99'), 0)} ms`, check(m('read', 'Parley', 'p99'), (v) => v <= 50)],
    ['reads ≤ 0.3 ms CPU/request', `${fmt(m('read', 'Parley', 'cpuMsPerRequest'), 3)} ms`, check(m('read', 'Parley', 'cpuMsPerRequest'), (v) => v <= 0.3)],
    ['writes ≥ 10× Waline comments/s', hasPeer ? `${fmt(writeRatio, 2)}×` : '–', check(writeRatio, (v) => v >= 10)],
    ['writes ≤ 0.5 ms CPU each', `${fmt(m('write', 'Parley', 'cpuMsPerRequest'), 3)} ms`, check(m('write', 'Parley', 'cpuMsPerRequest'), (v) => v <= 0.5)],
  ];
  for (const [target, value, status] of rows) console.log(`  ${target.padEnd(46)} ${value.padEnd(48)} ${status}`);
  if (peerProblem) console.log(`\nPeer: ${peerProblem}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
