import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite.js';

/**
 * Opens a store and keeps every statement it prepares, and its database
 * handle: `prepare` is watched while the store opens, so a statement added
 * to the store is checked here without being listed.
 */
function openWatched(): { db: Database.Database; statements: string[]; close: () => Promise<void> } {
  const statements: string[] = [];
  let db: Database.Database | undefined;
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, source: string) {
    db ??= this;
    statements.push(source);
    return prepare.call(this, source);
  } as typeof prepare;
  let store;
  try {
    store = openSqliteStore(':memory:', { eventRetention: 1000 });
  } finally {
    Database.prototype.prepare = prepare;
  }
  return { db: db!, statements, close: () => store.close() };
}

/** SQLite's plan for a statement, one line per step, with nulls for its parameters. */
function planOf(db: Database.Database, sql: string): string[] {
  const parameters = (sql.match(/\?/g) ?? []).map(() => null);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((row) => row.detail);
}

/** The table a step reads whole (or a whole index of), rather than searching it; null for other steps. */
const scannedTable = (step: string) => (step.includes('VIRTUAL TABLE') ? null : (/^SCAN (\w+)/.exec(step)?.[1] ?? null));

/**
 * Tables small by nature (a row or two per site), and the statements allowed
 * to scan a big one, each with why that is fine. Every other table grows with
 * the site's traffic: at a million comments a scan takes hundreds of ms.
 */
const SMALL_TABLES = new Set(['sites', 'site_settings', 'schema_migrations']);
const ALLOWED_SCANS: Record<string, string> = {
  // The plan lists the foreign-key actions a conflicting insert would run if it replaced the
  // row; DO NOTHING never removes one, and accounts are anonymised, never deleted.
  'INSERT INTO users (email, email_norm, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (email_norm) DO NOTHING RETURNING *':
    'foreign-key actions of a delete that never happens',
  // Once per deleted account, over a table of reader-to-reader blocks, not of comments.
  'DELETE FROM blocks WHERE blocker_id = ? OR blocked_id = ?': 'account deletion only',
};

describe('the SQLite store on a big database', () => {
  it('reads no table that grows with traffic by scanning it', async () => {
    const { db, statements, close } = openWatched();
    try {
      expect(statements.length, 'the store prepares its statements when it opens').toBeGreaterThan(50);
      const scans: string[] = [];
      for (const sql of statements) {
        const oneLine = sql.replace(/\s+/g, ' ').trim();
        if (ALLOWED_SCANS[oneLine]) continue;
        for (const step of planOf(db, sql)) {
          const table = scannedTable(step);
          if (table && !SMALL_TABLES.has(table)) scans.push(`${step}\n    in: ${oneLine}`);
        }
      }
      expect(scans).toEqual([]);
    } finally {
      await close();
    }
  });

  it("finds a thread's replies and a reader's held comments through their own indexes", async () => {
    const { db, statements, close } = openWatched();
    try {
      const plansOf = (fragment: string) => statements.filter((sql) => sql.includes(fragment)).map((sql) => planOf(db, sql).join(' | '));
      // Counting a first screen's replies reads the index alone.
      expect(plansOf('SELECT root_id, count(*) AS n FROM comments')).toEqual([
        expect.stringContaining('USING COVERING INDEX comments_root_shown (root_id=?)'),
      ]);
      expect(plansOf("c.hidden = 1 AND c.status = 'published' AND c.moderation = 'pending'")).toEqual([
        expect.stringContaining('USING INDEX comments_held (page_id=? AND author_id=?)'),
      ]);
    } finally {
      await close();
    }
  });
});
