import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Comment, DeleteMode, PageEvent, Role } from '@parley/protocol';
import { migrations } from './migrations.js';
import type {
  CommentDeletion,
  CommentRecord,
  CommentWrite,
  EventsSince,
  NewComment,
  Store,
  ThreadSlice,
  UserRecord,
} from './types.js';

interface CommentRow {
  id: number;
  site_id: string;
  page_key: string;
  parent_id: number | null;
  root_id: number | null;
  depth: number;
  author_id: number | null;
  author_name: string | null;
  source: string;
  html: string;
  status: 'published' | 'deleted';
  hidden: number;
  created_at: string;
  edited_at: string | null;
}

interface UserRow {
  id: number;
  name: string;
  email: string;
  password_hash: string;
  created_at: string;
}

interface PageRow {
  id: number;
  seq: number;
  comment_count: number;
}

const COMMENT_COLUMNS = `
  c.id, c.site_id, p.key AS page_key, c.parent_id, c.root_id, c.depth, c.author_id,
  u.name AS author_name, c.source, c.html, c.status, c.hidden, c.created_at, c.edited_at`;
const COMMENT_FROM = `comments c JOIN pages p ON p.id = c.page_id LEFT JOIN users u ON u.id = c.author_id`;

/** Emails are unique regardless of case and surrounding space. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(row: UserRow): UserRecord {
  return {
    id: String(row.id),
    name: row.name,
    email: row.email,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

/** The public form of a row. A deleted comment shows neither author nor body. */
function toRecord(row: CommentRow): CommentRecord {
  const deleted = row.status === 'deleted';
  const comment: Comment = {
    id: String(row.id),
    parentId: row.parent_id === null ? null : String(row.parent_id),
    author:
      deleted || row.author_id === null ? null : { id: String(row.author_id), name: row.author_name ?? '' },
    html: deleted ? '' : row.html,
    status: row.status,
    createdAt: row.created_at,
    editedAt: row.edited_at,
  };
  return {
    comment,
    siteId: row.site_id,
    pageKey: row.page_key,
    authorId: row.author_id === null ? null : String(row.author_id),
    source: deleted ? '' : row.source,
    depth: row.depth,
    hidden: row.hidden === 1,
  };
}

export interface SqliteStoreOptions {
  /** How many events per page to keep for reconnecting clients. */
  eventRetention: number;
}

/**
 * Opens (creating if needed) a SQLite database: WAL, foreign keys, migrations,
 * statements prepared once.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: a comment acknowledged with 201 survives power loss, not only a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const stmt = {
    insertSite: db.prepare('INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING'),
    siteExists: db.prepare('SELECT 1 FROM sites WHERE id = ?').pluck(),
    insertUser: db.prepare(
      'INSERT INTO users (email, email_norm, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (email_norm) DO NOTHING RETURNING *',
    ),
    userByEmail: db.prepare('SELECT * FROM users WHERE email_norm = ?'),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    role: db.prepare('SELECT role FROM site_roles WHERE site_id = ? AND user_id = ?').pluck(),
    setRole: db.prepare(
      'INSERT INTO site_roles (site_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (site_id, user_id) DO UPDATE SET role = excluded.role',
    ),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?'),
    session: db.prepare('SELECT user_id, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    page: db.prepare('SELECT id, seq, comment_count FROM pages WHERE site_id = ? AND key = ?'),
    insertPage: db.prepare(
      'INSERT INTO pages (site_id, key, url, title, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id, key) DO NOTHING',
    ),
    fillPageInfo: db.prepare(
      'UPDATE pages SET url = coalesce(url, ?), title = coalesce(title, ?) WHERE id = ? AND (url IS NULL OR title IS NULL)',
    ),
    rootsNewest: db.prepare(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
       WHERE c.page_id = ? AND c.parent_id IS NULL AND c.hidden = 0 AND c.id < ? ORDER BY c.id DESC LIMIT ?`,
    ),
    rootsOldest: db.prepare(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
       WHERE c.page_id = ? AND c.parent_id IS NULL AND c.hidden = 0 AND c.id > ? ORDER BY c.id ASC LIMIT ?`,
    ),
    repliesOf: db.prepare(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
       WHERE c.root_id IN (SELECT value FROM json_each(?)) AND c.hidden = 0 ORDER BY c.id ASC`,
    ),
    comment: db.prepare(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.site_id = ? AND c.id = ?`),
    commentById: db.prepare(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.id = ?`),
    insertComment: db.prepare(
      `INSERT INTO comments (site_id, page_id, parent_id, root_id, depth, author_id, source, html, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'published', ?)`,
    ),
    insertRevision: db.prepare(
      'INSERT INTO comment_revisions (comment_id, source, html, created_at) SELECT id, source, html, ? FROM comments WHERE id = ?',
    ),
    updateComment: db.prepare('UPDATE comments SET source = ?, html = ?, edited_at = ? WHERE id = ?'),
    visibleChildren: db.prepare('SELECT count(*) FROM comments WHERE parent_id = ? AND hidden = 0').pluck(),
    markDeleted: db.prepare(
      "UPDATE comments SET status = 'deleted', source = '', html = '', deleted_at = ?, hidden = ? WHERE id = ?",
    ),
    hide: db.prepare('UPDATE comments SET hidden = 1 WHERE id = ?'),
    dropRevisions: db.prepare('DELETE FROM comment_revisions WHERE comment_id = ?'),
    // Replayed events must not bring a deleted comment's text back.
    scrubEvents: db.prepare(
      `UPDATE page_events
       SET payload = json_set(payload, '$.comment.html', '', '$.comment.status', 'deleted', '$.comment.author', json('null'))
       WHERE page_id = ? AND json_extract(payload, '$.comment.id') = ?`,
    ),
    bumpPage: db.prepare('UPDATE pages SET seq = seq + 1, comment_count = comment_count + ? WHERE id = ? RETURNING seq, comment_count'),
    insertEvent: db.prepare('INSERT INTO page_events (page_id, seq, payload, created_at) VALUES (?, ?, ?, ?)'),
    pruneEvents: db.prepare('DELETE FROM page_events WHERE page_id = ? AND seq <= ?'),
    eventsAfter: db.prepare('SELECT payload FROM page_events WHERE page_id = ? AND seq > ? ORDER BY seq ASC').pluck(),
    oldestEvent: db.prepare('SELECT min(seq) FROM page_events WHERE page_id = ?').pluck(),
  };

  const getPage = (siteId: string, key: string) => stmt.page.get(siteId, key) as PageRow | undefined;
  const getCommentRow = (id: number | bigint) => stmt.commentById.get(id) as CommentRow;

  /** Advances the page's sequence and records one event, inside the caller's transaction. */
  function appendEvent(
    pageId: number,
    countDelta: number,
    now: string,
    build: (seq: number, count: number) => PageEvent,
  ): { event: PageEvent; seq: number; count: number } {
    const { seq, comment_count: count } = stmt.bumpPage.get(countDelta, pageId) as { seq: number; comment_count: number };
    const event = build(seq, count);
    stmt.insertEvent.run(pageId, seq, JSON.stringify(event), now);
    if (seq > options.eventRetention) stmt.pruneEvents.run(pageId, seq - options.eventRetention);
    return { event, seq, count };
  }

  const createCommentTx = db.transaction((input: NewComment): CommentWrite => {
    stmt.insertPage.run(input.siteId, input.page.key, input.page.url ?? null, input.page.title ?? null, input.now);
    const page = getPage(input.siteId, input.page.key)!;
    if (input.page.url || input.page.title) stmt.fillPageInfo.run(input.page.url ?? null, input.page.title ?? null, page.id);
    let rootId: number | null = null;
    let depth = 0;
    if (input.parentId !== null) {
      const parent = getCommentRow(Number(input.parentId));
      rootId = parent.root_id ?? parent.id;
      depth = parent.depth + 1;
    }
    const { lastInsertRowid } = stmt.insertComment.run(
      input.siteId,
      page.id,
      input.parentId === null ? null : Number(input.parentId),
      rootId,
      depth,
      Number(input.authorId),
      input.source,
      input.html,
      input.now,
    );
    const record = toRecord(getCommentRow(lastInsertRowid));
    const { event, seq, count } = appendEvent(page.id, 1, input.now, (seq, count) => ({
      type: 'comment:created',
      site: input.siteId,
      page: input.page.key,
      seq,
      count,
      comment: record.comment,
    }));
    return { record, events: [event], seq, count };
  });

  const updateCommentTx = db.transaction(
    (input: { siteId: string; id: string; source: string; html: string; now: string }): CommentWrite => {
      const id = Number(input.id);
      stmt.insertRevision.run(input.now, id);
      stmt.updateComment.run(input.source, input.html, input.now, id);
      const record = toRecord(getCommentRow(id));
      const page = getPage(input.siteId, record.pageKey)!;
      const { event, seq, count } = appendEvent(page.id, 0, input.now, (seq, count) => ({
        type: 'comment:updated',
        site: input.siteId,
        page: record.pageKey,
        seq,
        count,
        comment: record.comment,
      }));
      return { record, events: [event], seq, count };
    },
  );

  const deleteCommentTx = db.transaction((input: { siteId: string; id: string; now: string }): CommentDeletion => {
    let row = getCommentRow(Number(input.id));
    const page = getPage(input.siteId, row.page_key)!;
    const events: PageEvent[] = [];
    let last = { seq: page.seq, count: page.comment_count };
    const emit = (id: number, mode: DeleteMode, countDelta: number) => {
      const out = appendEvent(page.id, countDelta, input.now, (seq, count) => ({
        type: 'comment:deleted',
        site: input.siteId,
        page: row.page_key,
        seq,
        count,
        id: String(id),
        mode,
      }));
      events.push(out.event);
      last = out;
    };
    const hasReplies = (stmt.visibleChildren.get(row.id) as number) > 0;
    const mode: DeleteMode = hasReplies ? 'tombstoned' : 'removed';
    stmt.markDeleted.run(input.now, hasReplies ? 0 : 1, row.id);
    stmt.dropRevisions.run(row.id);
    stmt.scrubEvents.run(page.id, String(row.id));
    emit(row.id, mode, -1);
    // A tombstone whose last reply went has nothing left to hold in place: it goes too.
    while (!hasReplies && row.parent_id !== null) {
      const parent = getCommentRow(row.parent_id);
      if (parent.status !== 'deleted' || parent.hidden === 1) break;
      if ((stmt.visibleChildren.get(parent.id) as number) > 0) break;
      stmt.hide.run(parent.id);
      emit(parent.id, 'removed', 0);
      row = parent;
    }
    return { mode, events, seq: last.seq, count: last.count };
  });

  const store: Store = {
    async ensureSite(id, name) {
      stmt.insertSite.run(id, name, new Date().toISOString());
    },
    async siteExists(id) {
      return stmt.siteExists.get(id) === 1;
    },
    async createUser({ name, email, passwordHash, now }) {
      const row = stmt.insertUser.get(email.trim(), normalizeEmail(email), name, passwordHash, now) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async findUserByEmail(email) {
      const row = stmt.userByEmail.get(normalizeEmail(email)) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async getUser(id) {
      const row = stmt.userById.get(Number(id)) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async getRole(siteId, userId) {
      return ((stmt.role.get(siteId, Number(userId)) as Role | undefined) ?? 'commenter');
    },
    async setRole(siteId, userId, role) {
      stmt.setRole.run(siteId, Number(userId), role);
    },
    async createSession({ tokenHash, userId, now, expiresAt }) {
      db.transaction(() => {
        // Signing in is a good moment to forget this user's expired sessions.
        stmt.deleteExpiredSessions.run(Number(userId), now);
        stmt.insertSession.run(tokenHash, Number(userId), now, expiresAt);
      })();
    },
    async findSession(tokenHash, now) {
      const row = stmt.session.get(tokenHash, now) as { user_id: number; expires_at: string } | undefined;
      return row ? { userId: String(row.user_id), expiresAt: row.expires_at } : null;
    },
    async deleteSession(tokenHash) {
      stmt.deleteSession.run(tokenHash);
    },
    async listThread({ siteId, pageKey, sort, cursor, limit }): Promise<ThreadSlice> {
      // One read transaction, so the comments and `seq` describe the same moment.
      return db.transaction((): ThreadSlice => {
        const page = getPage(siteId, pageKey);
        if (!page) return { records: [], count: 0, nextCursor: null, seq: 0 };
        const after = cursor ? Number(cursor) : sort === 'newest' ? Number.MAX_SAFE_INTEGER : 0;
        const roots = (sort === 'newest' ? stmt.rootsNewest : stmt.rootsOldest).all(page.id, after, limit + 1) as CommentRow[];
        const more = roots.length > limit;
        if (more) roots.pop();
        const replies = roots.length
          ? (stmt.repliesOf.all(JSON.stringify(roots.map((r) => r.id))) as CommentRow[])
          : [];
        const byRoot = new Map<number, CommentRow[]>();
        for (const reply of replies) {
          const list = byRoot.get(reply.root_id!) ?? [];
          list.push(reply);
          byRoot.set(reply.root_id!, list);
        }
        const records: CommentRecord[] = [];
        for (const root of roots) {
          records.push(toRecord(root));
          for (const reply of byRoot.get(root.id) ?? []) records.push(toRecord(reply));
        }
        return {
          records,
          count: page.comment_count,
          nextCursor: more ? String(roots[roots.length - 1]!.id) : null,
          seq: page.seq,
        };
      })();
    },
    async getComment(siteId, id) {
      const row = stmt.comment.get(siteId, Number(id)) as CommentRow | undefined;
      return row ? toRecord(row) : null;
    },
    async createComment(input) {
      return createCommentTx(input);
    },
    async updateComment(input) {
      return updateCommentTx(input);
    },
    async deleteComment(input) {
      return deleteCommentTx(input);
    },
    async eventsSince(siteId, pageKey, since): Promise<EventsSince> {
      return db.transaction((): EventsSince => {
        const page = getPage(siteId, pageKey);
        const seq = page?.seq ?? 0;
        if (since > seq) return { kind: 'too-old', seq };
        if (!page || since === seq) return { kind: 'events', seq, events: [] };
        const oldest = stmt.oldestEvent.get(page.id) as number | null;
        if (oldest === null || oldest > since + 1) return { kind: 'too-old', seq };
        const events = (stmt.eventsAfter.all(page.id, since) as string[]).map((p) => JSON.parse(p) as PageEvent);
        return { kind: 'events', seq, events };
      })();
    },
    async close() {
      if (db.open) db.close();
    },
  };
  return store;
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
  }
}
