#!/usr/bin/env node
/**
 * `pnpm bench:sweep`: thread reads at rising concurrency, Parley and its peer
 * Waline side by side, with the same servers, seeding and measuring as
 * `pnpm bench` (bench/run.mjs): 200 comments on one page, Parley answering
 * 100 of them per request and Waline 10, autocannon on the same machine.
 * Each point is a short run per server, alternating who goes first, taken
 * in a few rounds over the whole range; the tables and plots show the median
 * of the rounds. Knobs:
 *
 *   SWEEP_CONNECTIONS=1,10,25,50,100,200   the concurrency of each point
 *   SWEEP_SECONDS=4                        per server, point and round (plus a 1 s warm-up)
 *   SWEEP_ROUNDS=3
 *   SWEEP_PEER=on|off
 *   --plot                                 also write docs/img/read-latency.svg and docs/img/read-throughput.svg
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAutocannon, measure } from './measure.mjs';
import { parleyRead, seedParley, startParley } from './parley.mjs';
import { lineChart, writeChart } from './plot.mjs';
import { freePort, request, stopServer } from './servers.mjs';
import { WALINE_VERSION, createWalineSchema, installWaline, seedWaline, startWaline, walineRead } from './waline.mjs';
import { median, wholeNumber } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const settings = {
  connections: (process.env.SWEEP_CONNECTIONS ?? '1,10,25,50,100,200').split(',').map((s) => wholeNumber('SWEEP_CONNECTIONS', s, 1, 1000)),
  seconds: wholeNumber('SWEEP_SECONDS', process.env.SWEEP_SECONDS ?? '4', 1, 60),
  rounds: wholeNumber('SWEEP_ROUNDS', process.env.SWEEP_ROUNDS ?? '3', 1, 20),
  peer: (process.env.SWEEP_PEER ?? 'on') !== 'off',
  plot: process.argv.includes('--plot'),
  comments: 200,
  users: 5,
  parleyReadLimit: 100,
  walineReadLimit: 10,
  warmupSeconds: 1,
};

const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');

async function main() {
  const autocannon = await loadAutocannon();
  const Database = createRequire(path.join(root, 'packages/server/package.json'))('better-sqlite3');
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Parley read sweep: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${load}`);
  console.log(`  connections ${settings.connections.join(', ')}; ${settings.seconds} s per server and point; ${settings.rounds} rounds\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sweep-'));
  const servers = [];
  const points = [];
  let peerProblem = settings.peer ? null : 'SWEEP_PEER=off';
  try {
    const parley = await startParley({ root, dir, port: await freePort() });
    servers.push(parley);
    await seedParley(parley, settings);
    const subjects = [{ server: parley, read: parleyRead(settings.parleyReadLimit) }];
    if (settings.peer) {
      try {
        const scratch = path.join(os.tmpdir(), 'parley-bench-waline');
        installWaline(scratch);
        createWalineSchema(Database, dir);
        const waline = await startWaline({ scratch, dir, port: await freePort() });
        servers.push(waline);
        await seedWaline(waline, settings);
        const page = await request(`${waline.origin}${walineRead(settings.walineReadLimit).path}`);
        if (page?.errno !== 0 || page.data?.data?.length !== settings.walineReadLimit) throw new Error(`unexpected GET answer: ${JSON.stringify(page).slice(0, 300)}`);
        subjects.push({ server: waline, read: walineRead(settings.walineReadLimit) });
      } catch (error) {
        peerProblem = `Waline could not be run (${WALINE_VERSION}): ${error.message}`;
        console.log(`!! ${peerProblem}\n   Measuring Parley alone.`);
      }
    }
    console.log(`Seeded ${settings.comments} comments on one page of ${subjects.map((s) => s.server.name).join(' and ')}\n`);

    for (let round = 1; round <= settings.rounds; round++) {
      console.log(`Round ${round}`);
      for (const [i, connections] of settings.connections.entries()) {
        // Alternate who goes first, so a slow spell of the shared machine does not land on one side only.
        const order = (i + round) % 2 ? [...subjects].reverse() : subjects;
        for (const { server, read } of order) {
          await measure(autocannon, server, { connections, seconds: settings.warmupSeconds, request: read });
          const r = await measure(autocannon, server, { connections, seconds: settings.seconds, request: read });
          points.push({ name: server.name, connections, ...r });
          const trouble = [r.non2xx && `${r.non2xx} non-2xx`, r.errors && `${r.errors} errors`, r.timeouts && `${r.timeouts} timeouts`].filter(Boolean).join(', ');
          console.log(
            `  ${String(connections).padStart(4)} conn  ${server.name.padEnd(7)} ${fmt(r.perSecond).padStart(7)} req/s   p50 ${fmt(r.p50).padStart(5)} ms   p99 ${fmt(r.p99).padStart(5)} ms${trouble ? `   (${trouble})` : ''}`,
          );
        }
      }
    }
  } finally {
    for (const s of servers.reverse()) await stopServer(s);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Parley first, then the peer, whoever went first in the rounds.
  const names = [...new Set(points.map((p) => p.name))].sort((a, b) => (a === 'Parley' ? -1 : b === 'Parley' ? 1 : 0));
  // The median of the rounds, field by field.
  const at = (name, connections) => {
    const runs = points.filter((p) => p.name === name && p.connections === connections);
    return runs.length ? Object.fromEntries(['perSecond', 'p50', 'p99', 'errors', 'timeouts'].map((field) => [field, median(runs.map((r) => r[field]))])) : undefined;
  };
  console.log(`\nMedian of ${settings.rounds} rounds`);
  console.log(`\n| connections | ${names.map((n) => `${n} req/s | ${n} p50 ms | ${n} p99 ms`).join(' | ')} |`);
  console.log(`|---:|${names.map(() => '---:|---:|---:').join('|')}|`);
  for (const connections of settings.connections) {
    console.log(`| ${connections} | ${names.map((n) => [at(n, connections)?.perSecond, at(n, connections)?.p50, at(n, connections)?.p99].map((v) => fmt(v)).join(' | ')).join(' | ')} |`);
  }
  if (peerProblem) console.log(`\nPeer: ${peerProblem}`);

  if (settings.plot) {
    const subtitle = `bench/sweep.mjs, median of ${settings.rounds} rounds of ${settings.seconds} s per point; ${os.cpus().length} shared CPUs with autocannon on the same machine; 200-comment page, Parley 100 comments per response, Waline ${settings.walineReadLimit}`;
    const series = (name, field, label) => ({ name: `${name} ${label}`, points: settings.connections.map((c) => [c, at(name, c)?.[field]]) });
    // autocannon counts latency in whole milliseconds: 0 means under 1 ms, which a log axis cannot show, so it sits on the 1 ms line.
    const latencySeries = (name, field) => {
      const s = series(name, field, field);
      return { ...s, points: s.points.map(([c, ms]) => [c, ms === 0 ? 1 : ms]) };
    };
    const latency = path.join(root, 'docs/img/read-latency.svg');
    writeChart(
      latency,
      lineChart({
        title: 'Thread read latency against concurrency',
        xLabel: 'concurrent connections',
        yLabel: 'latency, ms',
        xScale: 'log',
        yScale: 'log',
        xTicks: settings.connections,
        subtitle: `${subtitle}; autocannon counts whole ms, so under 1 ms is drawn at 1 ms`,
        series: names.flatMap((n) => [latencySeries(n, 'p50'), latencySeries(n, 'p99')]),
        references: [{ y: 50, label: 'target: Parley p99 ≤ 50 ms (at 50 connections)' }],
      }),
    );
    const throughput = path.join(root, 'docs/img/read-throughput.svg');
    writeChart(
      throughput,
      lineChart({
        title: 'Thread reads per second against concurrency',
        subtitle,
        xLabel: 'concurrent connections',
        yLabel: 'requests per second',
        xScale: 'log',
        yScale: 'log',
        xTicks: settings.connections,
        series: names.map((n) => series(n, 'perSecond', 'req/s')),
      }),
    );
    console.log(`\nWrote ${path.relative(root, latency)} and ${path.relative(root, throughput)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
