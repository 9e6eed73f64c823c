/** Starting and stopping the servers under test, on 127.0.0.1 only. */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export const HOST = '127.0.0.1';

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Spawns a server and waits (bounded) until `readyPath` answers. Its output is
 * kept, and printed only if it fails to start.
 */
export async function startServer({ name, command, args, cwd, env, port, readyPath, timeoutMs = 60_000 }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const origin = `http://${HOST}:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(origin + readyPath, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { name, pid: child.pid, origin, child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start within ${timeoutMs / 1000} s${exited ? ` (exited with ${child.exitCode})` : ''}:\n${output}`);
}

/** SIGTERM, then SIGKILL after a grace period (bounded). */
export async function stopServer(server) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** JSON request with a bounded wait; throws on a non-2xx answer. */
export async function request(url, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

/** This process's limit on open files: `{ soft, hard }`, Infinity for unlimited. */
export function openFileLimits() {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  const value = (text) => (text === 'unlimited' ? Infinity : Number(text));
  return { soft: value(line?.[1] ?? 'unlimited'), hard: value(line?.[2] ?? 'unlimited') };
}

/**
 * `command args` (a Node process) able to hold `needed` open files. Node raises
 * its soft limit to the hard one at start, so a child within the inherited hard
 * limit runs as is; above it, the child runs through `sh -c 'ulimit -n …; exec …'`
 * (exec keeps the PID), which only a privileged user may do: that is tried
 * first, and refused with an explanation.
 */
export function withOpenFiles(needed, command, args) {
  const { hard } = openFileLimits();
  if (needed <= hard) return { command, args, limit: hard, raised: false };
  try {
    execFileSync('/bin/sh', ['-c', 'ulimit -n "$0"', String(needed)], { stdio: 'pipe', timeout: 5000 });
  } catch {
    throw new Error(`${needed} open files are needed but the hard limit is ${hard} and cannot be raised here: raise it (ulimit -Hn as root, or /etc/security/limits.conf), or ask for fewer clients or more client processes`);
  }
  return { command: '/bin/sh', args: ['-c', 'ulimit -n "$0" && exec "$@"', String(needed), command, ...args], limit: needed, raised: true };
}
