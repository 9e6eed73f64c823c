/** Parley under test: started from the repo's CLI on a temporary SQLite file, seeded over its API. */
import path from 'node:path';
import { HOST, request, startServer, withOpenFiles } from './servers.mjs';

export const PAGE = 'bench-thread';
export const WRITE_PAGE = 'bench-writes';
const SITE = 'default';

/**
 * Parley from its CLI on 127.0.0.1:`port`, with its database in `dir`.
 * `env` adds to or overrides the server's environment (e.g. `PARLEY_ORIGINS`
 * for a browser host page); `nodeOptions` go before the CLI (e.g.
 * `--cpu-prof`); with `openFiles`, it is started able to hold at least that
 * many (see withOpenFiles).
 */
export async function startParley({ root, dir, port, env = {}, nodeOptions = [], openFiles = 0 }) {
  const cli = [...nodeOptions, path.join(root, 'packages/server/bin/parley.mjs'), 'serve'];
  const { command, args } = withOpenFiles(openFiles, process.execPath, cli);
  return startServer({
    name: 'Parley',
    command,
    args,
    cwd: root,
    port,
    readyPath: `/api/comments?site=${SITE}&page=${PAGE}&limit=1`,
    env: {
      PARLEY_PORT: String(port),
      PARLEY_HOST: HOST,
      PARLEY_DB: path.join(dir, 'parley.db'),
      PARLEY_RATE_LIMITS: 'off',
      PARLEY_LOG_LEVEL: 'warn',
      ...env,
    },
  });
}

/** `users` accounts, then `comments` top-level comments on PAGE, written round-robin by them. */
export async function seedParley(server, { users, comments }) {
  const tokens = [];
  for (let i = 0; i < users; i++) {
    const session = await request(`${server.origin}/api/auth/sign-up`, {
      method: 'POST',
      body: { site: SITE, name: `Reader ${i + 1}`, email: `reader${i + 1}@bench.invalid`, password: `bench-password-${i + 1}` },
    });
    tokens.push(session.token);
  }
  for (let i = 0; i < comments; i++) {
    await request(`${server.origin}/api/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[i % users]}` },
      body: { site: SITE, page: PAGE, body: commentText('Parley', i) },
    });
  }
  return tokens;
}

/** A comment body of a realistic length, different for every `i`. */
export function commentText(label, i) {
  return `${label} bench comment #${i}: a paragraph of ordinary length, with *some* emphasis and a [link](https://example.com/${i}), so the renderer has a little to do.`;
}

export async function parleyCount(server, page) {
  const thread = await request(`${server.origin}/api/comments?site=${SITE}&page=${page}&limit=1`);
  return thread.count;
}

/** GET of the thread: `limit` top-level comments (100 is the most one request returns). */
export function parleyRead(limit) {
  return { method: 'GET', path: `/api/comments?site=${SITE}&page=${PAGE}&limit=${limit}` };
}

/** POST of a new comment, a different text each time, round-robin over the seeded users. */
let written = 0;

export function parleyWrite(tokens) {
  return {
    method: 'POST',
    path: '/api/comments',
    setupRequest(req) {
      const n = ++written;
      return {
        ...req,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` },
        body: JSON.stringify({ site: SITE, page: WRITE_PAGE, body: commentText('Parley write', n) }),
      };
    },
  };
}
