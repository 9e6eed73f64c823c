import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { onCleanup, within } from './helpers.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The only origin the child servers allow; requests send it as a browser page would. */
export const CHILD_ORIGIN = 'http://127.0.0.1:5173';

/** How long a child may take to start: tsx compiles the sources on every start. */
const START_MS = 30_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `parley serve` running as a child process, the way an operator runs it. */
export interface ChildServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Resolves once the process has exited. */
  exited: Promise<Exit>;
  /** What the process wrote to stdout and stderr so far, for failure messages. */
  output(): string;
}

/**
 * Starts `node bin/parley.mjs serve` on a free port of 127.0.0.1 with the
 * database file `dbPath`, and resolves once it prints its URL. A process
 * still running at cleanup is killed.
 */
export async function spawnServer(dbPath: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['bin/parley.mjs', 'serve'], {
    cwd: packageDir,
    env: {
      ...process.env,
      PARLEY_PORT: '0',
      PARLEY_HOST: '127.0.0.1',
      PARLEY_DB: dbPath,
      PARLEY_ORIGINS: CHILD_ORIGIN,
      PARLEY_LOG_LEVEL: 'warn',
      // Hundreds of posts a second from one address are the point here, not an abuse to stop.
      PARLEY_RATE_LIMITS: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });

  const url = await within(
    new Promise<string>((resolve, reject) => {
      const onData = () => {
        const match = /Parley comments server: (http:\/\/\S+)/.exec(output);
        if (match) {
          child.stdout!.off('data', onData);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      void exited.then(({ code, signal }) => reject(new Error(`parley serve exited (${signal ?? code}) before listening:\n${output}`)));
    }),
    'parley serve to print its URL',
    START_MS,
  );
  return { url, port: Number(new URL(url).port), child, exited, output: () => output };
}

/**
 * Resolves once nothing listens on `port` any more: a new connection is
 * refused. Proves a server has acted on a shutdown signal.
 */
export async function waitUntilRefused(port: number): Promise<void> {
  const refused = async () => {
    for (;;) {
      const accepted = await new Promise<boolean>((resolve) => {
        const probe = net.connect(port, '127.0.0.1');
        probe.once('connect', () => {
          probe.destroy();
          resolve(true);
        });
        probe.once('error', () => resolve(false));
      });
      if (!accepted) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await within(refused(), `port ${port} to refuse connections`);
}

/**
 * Copies a database as a crashed process left it (the main file and its
 * write-ahead log, without the shared-memory index SQLite rebuilds), so it
 * can be checked without the server that will recover it.
 */
export async function snapshotDatabase(dbPath: string, into: string): Promise<string> {
  const copy = path.join(into, path.basename(dbPath));
  await fs.copyFile(dbPath, copy);
  await fs.copyFile(`${dbPath}-wal`, `${copy}-wal`).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return copy;
}

export interface DatabaseCheck {
  integrity: string[];
  foreignKeyViolations: unknown[];
  /** Every comment's id and markdown source. */
  comments: Map<string, string>;
  /** Per page key: the count the page row keeps, and the comments actually shown on their own. */
  pages: Map<string, { storedCount: number; publishedComments: number }>;
}

/** Opens a database file directly and reads what the durability tests check. */
export function inspectDatabase(file: string): DatabaseCheck {
  const db = new Database(file);
  try {
    const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const foreignKeyViolations = db.pragma('foreign_key_check') as unknown[];
    const rows = db.prepare('SELECT id, source FROM comments').all() as { id: number; source: string }[];
    const pageRows = db
      .prepare(
        `SELECT p.key, p.comment_count AS stored,
           (SELECT count(*) FROM comments c WHERE c.page_id = p.id AND c.status = 'published' AND c.moderation = 'approved') AS published
         FROM pages p`,
      )
      .all() as { key: string; stored: number; published: number }[];
    return {
      integrity: integrity.map((row) => row.integrity_check),
      foreignKeyViolations,
      comments: new Map(rows.map((row) => [String(row.id), row.source])),
      pages: new Map(pageRows.map((row) => [row.key, { storedCount: row.stored, publishedComments: row.published }])),
    };
  } finally {
    db.close();
  }
}
