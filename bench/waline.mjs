/**
 * The peer, Waline (`@waline/vercel`), installed into a scratch folder outside
 * the repo and run from there on a SQLite file. Its npm package does not ship
 * the SQLite schema, so `createWalineSchema` writes the three tables with the
 * columns its storage code (src/service/storage/mysql.js and the controllers)
 * reads and writes.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HOST, request, startServer } from './servers.mjs';
import { commentText } from './parley.mjs';

/** Pinned so runs on different days compare the same peer. */
export const WALINE_VERSION = '1.39.3';
export const WALINE_PATH = '/bench-thread';
export const WALINE_WRITE_PATH = '/bench-writes';

/** Installs Waline into `scratch` unless that version is already there (bounded: 10 minutes). */
export function installWaline(scratch) {
  const pkg = path.join(scratch, 'node_modules/@waline/vercel/package.json');
  if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).version === WALINE_VERSION) return;
  fs.mkdirSync(scratch, { recursive: true });
  if (!fs.existsSync(path.join(scratch, 'package.json'))) fs.writeFileSync(path.join(scratch, 'package.json'), '{ "private": true }\n');
  console.log(`Installing @waline/vercel@${WALINE_VERSION} into ${scratch} (once; sqlite3 may compile, ~2 min)…`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `@waline/vercel@${WALINE_VERSION}`, 'sqlite3'], {
    cwd: scratch,
    stdio: 'inherit',
    timeout: 10 * 60_000,
  });
}

const SCHEMA = `
CREATE TABLE wl_Comment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER DEFAULT NULL,
  comment TEXT,
  insertedAt DATETIME DEFAULT CURRENT_TIMESTAMP,
  ip VARCHAR(100) DEFAULT '',
  link VARCHAR(255) DEFAULT NULL,
  mail VARCHAR(255) DEFAULT NULL,
  nick VARCHAR(255) DEFAULT NULL,
  pid INTEGER DEFAULT NULL,
  rid INTEGER DEFAULT NULL,
  sticky NUMERIC DEFAULT NULL,
  status VARCHAR(50) NOT NULL DEFAULT '',
  "like" INTEGER DEFAULT NULL,
  ua TEXT,
  url VARCHAR(255) DEFAULT NULL,
  createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
  updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE wl_Counter (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER DEFAULT NULL,
  reaction0 INTEGER DEFAULT NULL,
  reaction1 INTEGER DEFAULT NULL,
  reaction2 INTEGER DEFAULT NULL,
  reaction3 INTEGER DEFAULT NULL,
  reaction4 INTEGER DEFAULT NULL,
  reaction5 INTEGER DEFAULT NULL,
  reaction6 INTEGER DEFAULT NULL,
  reaction7 INTEGER DEFAULT NULL,
  reaction8 INTEGER DEFAULT NULL,
  url VARCHAR(255) NOT NULL DEFAULT '',
  createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
  updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE wl_Users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  display_name VARCHAR(255) NOT NULL DEFAULT '',
  email VARCHAR(255) NOT NULL DEFAULT '',
  password VARCHAR(255) NOT NULL DEFAULT '',
  type VARCHAR(50) NOT NULL DEFAULT '',
  label VARCHAR(255) DEFAULT NULL,
  url VARCHAR(255) DEFAULT NULL,
  avatar VARCHAR(255) DEFAULT NULL,
  github VARCHAR(255) DEFAULT NULL,
  twitter VARCHAR(255) DEFAULT NULL,
  facebook VARCHAR(255) DEFAULT NULL,
  google VARCHAR(255) DEFAULT NULL,
  weibo VARCHAR(255) DEFAULT NULL,
  qq VARCHAR(255) DEFAULT NULL,
  oidc VARCHAR(255) DEFAULT NULL,
  huawei VARCHAR(255) DEFAULT NULL,
  "2fa" VARCHAR(32) DEFAULT NULL,
  createdAt DATETIME DEFAULT CURRENT_TIMESTAMP,
  updatedAt DATETIME DEFAULT CURRENT_TIMESTAMP
);
`;

/** Creates `dir/waline.sqlite` with Waline's three tables (better-sqlite3 from the server's install). */
export function createWalineSchema(Database, dir) {
  const db = new Database(path.join(dir, 'waline.sqlite'));
  db.exec(SCHEMA);
  db.close();
}

export async function startWaline({ scratch, dir, port }) {
  // Waline's own vanilla.js entry, but bound to loopback: thinkjs reads the host from its config.
  const launcher = path.join(scratch, 'bench-launch.cjs');
  fs.writeFileSync(
    launcher,
    `const path = require('node:path');
const Application = require('thinkjs');
const root = path.dirname(require.resolve('@waline/vercel/package.json'));
new Application({ ROOT_PATH: root, APP_PATH: path.join(root, 'src'), proxy: true, env: 'production' }).run();
think.config('host', ${JSON.stringify(HOST)});
`,
  );
  return startServer({
    name: 'Waline',
    command: process.execPath,
    args: [launcher, String(port)],
    cwd: scratch,
    port,
    readyPath: `/api/comment?path=${encodeURIComponent(WALINE_PATH)}&pageSize=1`,
    env: {
      SQLITE_PATH: dir,
      SQLITE_DB: 'waline',
      JWT_TOKEN: crypto.randomBytes(24).toString('hex'),
      AKISMET_KEY: 'false',
      OAUTH_URL: 'data:application/json,{"services":[]}',
      IPQPS: '0',
    },
  });
}

function walineBody(label, i, url) {
  return { comment: commentText(label, i), nick: `Reader ${(i % 5) + 1}`, mail: `reader${(i % 5) + 1}@bench.invalid`, link: '', url, ua: 'parley-bench' };
}

/** `comments` anonymous comments on WALINE_PATH, each text different (Waline refuses duplicates). */
export async function seedWaline(server, { comments }) {
  for (let i = 0; i < comments; i++) {
    const answer = await request(`${server.origin}/api/comment`, { method: 'POST', body: walineBody('Waline', i, WALINE_PATH) });
    if (answer?.errno !== 0) throw new Error(`Waline refused seed comment ${i}: ${JSON.stringify(answer).slice(0, 300)}`);
  }
}

/** Comments stored on `url`, read from its database (Waline answers some refusals with HTTP 200). */
export function walineCount(Database, dir, url) {
  const db = new Database(path.join(dir, 'waline.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) AS n FROM wl_Comment WHERE url = ?').get(url).n;
  } finally {
    db.close();
  }
}

/** GET of 10 comments of the thread (its first page, newest first). */
export function walineRead(pageSize) {
  return { method: 'GET', path: `/api/comment?path=${encodeURIComponent(WALINE_PATH)}&pageSize=${pageSize}&page=1&sortBy=insertedAt_desc` };
}

/** Counts across runs, so no text repeats one from a warm-up or earlier round (Waline would refuse it). */
let written = 0;

export function walineWrite() {
  return {
    method: 'POST',
    path: '/api/comment',
    setupRequest(req) {
      written++;
      return { ...req, headers: { 'content-type': 'application/json' }, body: JSON.stringify(walineBody('Waline write', written, WALINE_WRITE_PATH)) };
    },
  };
}
