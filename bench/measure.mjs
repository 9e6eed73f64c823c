/**
 * The measuring side of the bench: server CPU time read from /proc, and one
 * bounded autocannon run against a server on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { benchRequire } from './deps.mjs';


/** autocannon, from bench/node_modules (installed there on first use, see deps.mjs). */
export function loadAutocannon() {
  return benchRequire(['autocannon'])('autocannon');
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of one process, in ms, or 0 when it has gone. */
function processCpuMs(pid) {
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces, so count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** `pid` and every process below it (Waline runs a cluster master and a worker). */
function processTree(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we listed /proc
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** CPU time (user + system, ms) used so far by a server's process tree. */
export function treeCpuMs(pid) {
  return processTree(pid).reduce((sum, p) => sum + processCpuMs(p), 0);
}

/** Resident memory of a server's process tree, in MiB. */
export function treeRssMiB(pid) {
  let kib = 0;
  for (const p of processTree(pid)) {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

/**
 * One autocannon run of `seconds` against `server` (loopback only), with the
 * server's CPU time over the same window.
 *
 * @param {{ name: string, pid: number, origin: string }} server
 * @param {{ connections: number, seconds: number, request: object }} load
 */
export async function measure(autocannon, server, { connections, seconds, request }) {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(server.origin)) throw new Error(`refusing to load a non-loopback target: ${server.origin}`);
  const cpuBefore = treeCpuMs(server.pid);
  const result = await autocannon({
    url: server.origin,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [request],
  });
  const cpuMs = treeCpuMs(server.pid) - cpuBefore;
  const answered = result['2xx'] + result.non2xx;
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    perSecond: result['2xx'] / (result.duration || seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest: answered ? cpuMs / answered : NaN,
    rssMiB: treeRssMiB(server.pid),
  };
}
