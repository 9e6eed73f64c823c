#!/usr/bin/env node
/**
 * `pnpm bench:fanout`: socket.io fan-out of one Parley server on 127.0.0.1.
 *
 * 1. Fan-out: BENCH_FANOUT_CLIENTS socket.io clients (as the widget connects:
 *    WebSocket first, `page:join` with the thread's `seq`) in one page's room,
 *    spread over BENCH_FANOUT_PROCESSES client processes; BENCH_FANOUT_COMMENTS
 *    comments posted over HTTP, BENCH_FANOUT_SPACING_MS apart; for every
 *    client and comment, the time from just before the POST to the client's
 *    receipt of `comment:created`.
 * 2. Idle: BENCH_FANOUT_IDLE_CLIENTS clients joined to the room and left
 *    alone; the server's resident memory once it stops changing.
 *
 * Exits non-zero when the bench cannot be set up or run (a client that cannot
 * join, a server that does not start), never because a target is missed.
 *
 *   BENCH_FANOUT_CLIENTS=2000  BENCH_FANOUT_COMMENTS=20  BENCH_FANOUT_SPACING_MS=500
 *   BENCH_FANOUT_IDLE_CLIENTS=10000 (0 skips)  BENCH_FANOUT_PROCESSES=2
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRequire } from './deps.mjs';
import { treeCpuMs, treeRssMiB } from './measure.mjs';
import { commentText, startParley } from './parley.mjs';
import { freePort, openFileLimits, request, stopServer, withOpenFiles } from './servers.mjs';

const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(bench, '..');
const SITE = 'default';
const PAGE = 'bench-fanout';

const settings = {
  clients: whole('BENCH_FANOUT_CLIENTS', 2000, 1, 50_000),
  comments: whole('BENCH_FANOUT_COMMENTS', 20, 1, 1000),
  spacingMs: whole('BENCH_FANOUT_SPACING_MS', 500, 0, 60_000),
  idleClients: whole('BENCH_FANOUT_IDLE_CLIENTS', 10_000, 0, 50_000),
  processes: whole('BENCH_FANOUT_PROCESSES', 2, 1, 64),
  /** Handshakes in flight per client process. */
  connectConcurrency: 50,
  /** How long after the last POST a delivery may still arrive before it counts as missed. */
  deliveryWaitMs: 10_000,
};

/** Open files beyond the sockets: the database, the listener, stdio, pipes, inotify and friends. */
const SPARE_FILES = 256;

function whole(name, fallback, min, max) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Splits `total` into `parts` near-equal shares. */
function shares(total, parts) {
  const n = Math.min(parts, total);
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/**
 * Client processes: each runs fanout-client.mjs with its share of the
 * connections, under an open-files limit that fits them. Resolves once every
 * one has reported how many joined; rejects when one fails or the wait runs out.
 */
class ClientFleet {
  constructor(counts) {
    this.counts = counts;
    this.children = [];
  }

  async start({ origin, since, timeoutMs }) {
    for (const count of this.counts) {
      const { command, args } = withOpenFiles(count + SPARE_FILES, process.execPath, [path.join(bench, 'fanout-client.mjs')]);
      const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
      // A process that cannot be started or sent to also ends, which #ask reports.
      child.on('error', (error) => {
        console.error(`  client process ${child.pid ?? '(not started)'}: ${error.message}`);
        child.kill('SIGKILL');
      });
      this.children.push(child);
      child.send({ type: 'start', origin, site: SITE, page: PAGE, since, count, concurrency: settings.connectConcurrency });
    }
    const replies = await this.#ask(() => undefined, 'joined', timeoutMs);
    const failed = replies.reduce((sum, r) => sum + r.failed, 0);
    if (failed) {
      const reasons = replies.flatMap((r) => r.reasons.map(([reason, n]) => `${n} × ${reason}`));
      throw new Error(`${failed} of ${this.total} clients could not join the room:\n  ${reasons.join('\n  ')}`);
    }
  }

  /** CPU time used so far by all client processes, in ms. */
  cpuMs() {
    return this.children.reduce((sum, child) => sum + treeCpuMs(child.pid), 0);
  }

  get total() {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** Every client's receipt time of each comment, in one array per comment id, clients in fleet order. */
  async collect(ids, waitMs) {
    const replies = await this.#ask((child) => child.send({ type: 'collect', ids, waitMs }), 'receipts', waitMs + 30_000);
    const times = Object.fromEntries(ids.map((id) => [id, replies.flatMap((r) => Array.from(r.times[id]))]));
    const sum = (key) => replies.reduce((total, r) => total + r[key], 0);
    return { times, duplicates: sum('duplicates'), outOfOrder: sum('outOfOrder'), disconnects: sum('disconnects') };
  }

  /** Disconnects every client, then makes sure every process has ended (SIGKILL after 10 s). */
  async close() {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.connected) child.send({ type: 'close' });
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /** Sends (via `send`) and waits for one `type` message from every child, bounded by `timeoutMs`. */
  #ask(send, type, timeoutMs) {
    return new Promise((resolve, reject) => {
      const replies = new Array(this.children.length);
      let waiting = this.children.length;
      const cleanups = [];
      const finish = (error) => {
        clearTimeout(timer);
        for (const cleanup of cleanups) cleanup();
        if (error) reject(error);
        else resolve(replies);
      };
      const timer = setTimeout(() => finish(new Error(`client processes did not answer '${type}' within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      this.children.forEach((child, i) => {
        const onMessage = (message) => {
          if (message.type !== type) return;
          replies[i] = message;
          if (--waiting === 0) finish();
        };
        const onExit = (code, signal) => finish(new Error(`client process ${child.pid} ended (${signal ?? `exit ${code}`}) while waiting for '${type}'`));
        child.on('message', onMessage);
        child.once('exit', onExit);
        cleanups.push(() => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        });
        send(child);
      });
    });
  }
}

/**
 * The server's resident memory once it stops changing: sampled every second
 * until the last five samples lie within 1 % (or 60 s have passed).
 */
async function settledRss(pid) {
  const samples = [];
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    samples.push(treeRssMiB(pid));
    const last = samples.slice(-5);
    if (last.length === 5 && Math.max(...last) - Math.min(...last) <= Math.max(...last) * 0.01) {
      return { rssMiB: last.at(-1), seconds: (Date.now() - started) / 1000, settled: true };
    }
    await sleep(1000);
  }
  return { rssMiB: samples.at(-1), seconds: (Date.now() - started) / 1000, settled: false };
}

/** How many sockets (TCP connections, the listener, IPC) a process holds, from /proc/PID/fd. */
function openSockets(pid) {
  let sockets = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed while we listed them
    }
  }
  return sockets;
}

async function fanOut(parley, token, since) {
  const fleet = new ClientFleet(shares(settings.clients, settings.processes));
  try {
    const connectStart = Date.now();
    await fleet.start({ origin: parley.origin, since, timeoutMs: 60_000 + settings.clients * 20 });
    const connectSeconds = (Date.now() - connectStart) / 1000;
    console.log(`  ${fleet.total} clients joined in ${fmt(connectSeconds)} s (${fleet.counts.join(' + ')} over ${fleet.counts.length} processes)`);
    const rssWithClients = treeRssMiB(parley.pid);

    const posts = [];
    const loadBefore = os.loadavg()[0];
    const cpuBefore = treeCpuMs(parley.pid);
    const clientCpuBefore = fleet.cpuMs();
    for (let i = 0; i < settings.comments; i++) {
      const sentAt = now();
      const answer = await request(`${parley.origin}/api/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: { site: SITE, page: PAGE, body: commentText('Fan-out', i) },
      });
      const answeredAt = now();
      if (answer?.comment?.status !== 'published') throw new Error(`comment ${i} was not published: ${JSON.stringify(answer).slice(0, 300)}`);
      posts.push({ id: answer.comment.id, sentAt, postMs: answeredAt - sentAt });
      await sleep(Math.max(0, sentAt + settings.spacingMs - now()));
    }
    const received = await fleet.collect(posts.map((p) => p.id), settings.deliveryWaitMs);
    const cpuMs = treeCpuMs(parley.pid) - cpuBefore;
    const clientCpuMs = fleet.cpuMs() - clientCpuBefore;

    const delays = [];
    let missed = 0;
    const firstPerComment = [];
    const lastPerComment = [];
    for (const post of posts) {
      let first = Infinity;
      let last = 0;
      for (const at of received.times[post.id]) {
        if (Number.isNaN(at)) missed++;
        else {
          delays.push(at - post.sentAt);
          first = Math.min(first, at - post.sentAt);
          last = Math.max(last, at - post.sentAt);
        }
      }
      firstPerComment.push(first);
      lastPerComment.push(last);
    }
    delays.sort((a, b) => a - b);
    firstPerComment.sort((a, b) => a - b);
    lastPerComment.sort((a, b) => a - b);
    const postMs = posts.map((p) => p.postMs).sort((a, b) => a - b);
    return {
      clients: fleet.total,
      processes: fleet.counts.length,
      connectSeconds,
      rssWithClients,
      expected: posts.length * fleet.total,
      delivered: delays.length,
      missed,
      p50: percentile(delays, 50),
      p95: percentile(delays, 95),
      p99: percentile(delays, 99),
      max: delays.at(-1),
      firstMedian: percentile(firstPerComment, 50),
      lastMedian: percentile(lastPerComment, 50),
      lastWorst: lastPerComment.at(-1),
      postP50: percentile(postMs, 50),
      serverCpuMsPerComment: cpuMs / posts.length,
      clientCpuMsPerComment: clientCpuMs / posts.length,
      load: [loadBefore, os.loadavg()[0]],
      duplicates: received.duplicates,
      outOfOrder: received.outOfOrder,
      disconnects: received.disconnects,
    };
  } finally {
    await fleet.close();
  }
}

async function idle(parley, since) {
  const before = await settledRss(parley.pid);
  console.log(`  server RSS before: ${fmt(before.rssMiB)} MiB`);
  const fleet = new ClientFleet(shares(settings.idleClients, settings.processes));
  try {
    const connectStart = Date.now();
    await fleet.start({ origin: parley.origin, since, timeoutMs: 60_000 + settings.idleClients * 20 });
    const connectSeconds = (Date.now() - connectStart) / 1000;
    console.log(`  ${fleet.total} idle clients joined in ${fmt(connectSeconds)} s (${fleet.counts.join(' + ')}); waiting for the server's RSS to settle…`);
    const after = await settledRss(parley.pid);
    // Confirms the server really holds every connection while its memory is read.
    const sockets = openSockets(parley.pid);
    return { clients: fleet.total, connectSeconds, before, after, sockets, perConnectionKiB: ((after.rssMiB - before.rssMiB) * 1024) / fleet.total };
  } finally {
    await fleet.close();
  }
}

async function main() {
  benchRequire(['autocannon', 'socket.io-client']);
  const biggest = Math.max(settings.clients, settings.idleClients);
  const serverFiles = biggest + SPARE_FILES;
  const clientFiles = Math.ceil(biggest / settings.processes) + SPARE_FILES;
  // Fails here, before anything starts, when the hard limit is too low and cannot be raised.
  const serverLimit = withOpenFiles(serverFiles, process.execPath, []);
  const clientLimit = withOpenFiles(clientFiles, process.execPath, []);
  const { hard } = openFileLimits();
  const describeLimit = ({ limit, raised }) => (raised ? `raised to ${limit} with ulimit -n` : `within the hard limit`);
  const fdNote = `open files: hard limit ${hard} (Node raises each process's soft limit to it); server needs ≈${serverFiles} (${describeLimit(serverLimit)}), each client process ≈${clientFiles} (${describeLimit(clientLimit)})`;

  console.log(`Parley fan-out bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  ${fdNote}\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-fanout-'));
  let parley;
  try {
    parley = await startParley({ root, dir, port: await freePort(), openFiles: serverFiles });
    const session = await request(`${parley.origin}/api/auth/sign-up`, {
      method: 'POST',
      body: { site: SITE, name: 'Fan-out writer', email: 'fanout@bench.invalid', password: 'bench-password-fanout' },
    });
    // The widget joins with the seq of the thread it painted from REST.
    const thread = await request(`${parley.origin}/api/comments?site=${SITE}&page=${PAGE}&limit=1`);
    const baseRss = treeRssMiB(parley.pid);
    console.log(`Parley started (PID ${parley.pid}), RSS ${fmt(baseRss)} MiB`);

    console.log(`\nFan-out: ${settings.clients} clients in one room, ${settings.comments} comments ${settings.spacingMs} ms apart`);
    const f = await fanOut(parley, session.token, thread.seq);
    console.log(`  delivered ${f.delivered} of ${f.expected}: p50 ${fmt(f.p50)} ms, p99 ${fmt(f.p99)} ms, max ${fmt(f.max)} ms`);

    let i = null;
    if (settings.idleClients > 0) {
      console.log(`\nIdle: ${settings.idleClients} clients joined to the room`);
      const latest = await request(`${parley.origin}/api/comments?site=${SITE}&page=${PAGE}&limit=1`);
      i = await idle(parley, latest.seq);
    }

    const rows = [
      ['clients in the room', `${f.clients} over ${f.processes} client processes`],
      ['clients connected and joined in', `${fmt(f.connectSeconds)} s`],
      ['server RSS: idle, with the clients', `${fmt(baseRss)} MiB, ${fmt(f.rssWithClients)} MiB`],
      ['machine load (1-min average) before, after', `${fmt(f.load[0], 2)}, ${fmt(f.load[1], 2)} on ${os.cpus().length} CPUs`],
      ['comments posted', `${settings.comments}, ${settings.spacingMs} ms apart (POST answered in p50 ${fmt(f.postP50)} ms)`],
      ['deliveries', `${f.delivered} of ${f.expected}, missed ${f.missed}`],
      ['POST → receipt p50 / p95 / p99 / max', `${fmt(f.p50)} / ${fmt(f.p95)} / ${fmt(f.p99)} / ${fmt(f.max)} ms`],
      ['first / last client reached, median of comments', `${fmt(f.firstMedian)} / ${fmt(f.lastMedian)} ms (last, slowest comment: ${fmt(f.lastWorst)} ms)`],
      ['CPU per comment: server (POST + broadcast)', `${fmt(f.serverCpuMsPerComment)} ms`],
      ['CPU per comment: all client processes', `${fmt(f.clientCpuMsPerComment)} ms`],
      ['duplicates, out of order, disconnects', `${f.duplicates}, ${f.outOfOrder}, ${f.disconnects}`],
    ];
    if (i) {
      rows.push(
        ['idle clients connected and joined in', `${i.clients} in ${fmt(i.connectSeconds)} s`],
        ['server RSS before the idle clients', `${fmt(i.before.rssMiB)} MiB${i.before.settled ? '' : ' (still changing after 60 s)'}`],
        ['server sockets open while measured', `${i.sockets} (connections, listener and the like)`],
        ['server RSS with them (settled)', `${fmt(i.after.rssMiB)} MiB after ${fmt(i.after.seconds, 0)} s${i.after.settled ? '' : ' (still changing after 60 s)'}`],
        ['RSS per idle connection', `${fmt(i.perConnectionKiB)} KiB`],
      );
    }
    console.log('\nFigures (one shared machine: other work on it shows up in the latencies)');
    for (const [label, value] of rows) console.log(`  ${label.padEnd(44)} ${value}`);

    const verdict = (ok) => (ok ? 'met' : 'NOT met');
    console.log('\nTargets of issue #5 (printed, never failed)');
    console.log(`  ${`${settings.clients} clients: p99 ≤ 150 ms, none missed`.padEnd(44)} p99 ${fmt(f.p99)} ms, missed ${f.missed}: ${settings.clients >= 2000 ? verdict(f.p99 <= 150 && f.missed === 0) : 'not measured at 2,000'}`);
    if (i) {
      console.log(`  ${`${i.clients} idle clients: RSS < 1 GiB`.padEnd(44)} ${fmt(i.after.rssMiB)} MiB: ${i.clients >= 10_000 ? verdict(i.after.rssMiB < 1024) : 'not measured at 10,000'}`);
    }
    console.log(`\n${fdNote}`);
  } finally {
    await stopServer(parley);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`\nfan-out bench failed: ${error.message}`);
  process.exitCode = 1;
});
