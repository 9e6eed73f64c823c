import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { normalizeEmail } from '@parley/protocol';
import type {
  AuditEntry,
  BanInfo,
  Comment,
  CommentStatus,
  DeleteMode,
  PageEvent,
  PublicUser,
  Report,
  ReportReason,
  Role,
  SiteSettings,
} from '@parley/protocol';
import { Checkpointer } from './checkpointer.js';
import { GroupCommit, type CommitLog } from './group-commit.js';
import { migrations } from './migrations.js';
import { WalSync } from './wal-sync.js';
import type {
  BanRecord,
  CommentRecord,
  CommentWrite,
  EventsSince,
  ModerationWrite,
  NewComment,
  QueueItemRecord,
  Store,
  UserRecord,
} from './types.js';

interface CommentRow {
  id: number;
  site_id: string;
  page_id: number;
  page_key: string;
  page_url: string | null;
  page_title: string | null;
  pinned_comment_id: number | null;
  parent_id: number | null;
  root_id: number | null;
  depth: number;
  author_id: number | null;
  author_name: string | null;
  source: string;
  html: string;
  status: 'published' | 'deleted';
  moderation: 'approved' | 'pending' | 'removed';
  held_reason: string | null;
  removed_reason: string | null;
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
  locked: number;
  pinned_comment_id: number | null;
}

/**
 * What a thread read needs of a comment: its public form. Not the page (the
 * read has the page row), the source or the moderation reasons: at a million
 * comments, reading and copying less of each row is a third of the read.
 */
type ThreadRow = Pick<
  CommentRow,
  'id' | 'parent_id' | 'root_id' | 'author_id' | 'author_name' | 'html' | 'status' | 'moderation' | 'created_at' | 'edited_at'
>;

const THREAD_COLUMNS = `c.id, c.parent_id, c.root_id, c.author_id, u.name AS author_name, c.html, c.status, c.moderation, c.created_at, c.edited_at`;
const THREAD_FROM = `comments c LEFT JOIN users u ON u.id = c.author_id`;

const COMMENT_COLUMNS = `
  c.id, c.site_id, c.page_id, p.key AS page_key, p.url AS page_url, p.title AS page_title,
  p.pinned_comment_id, c.parent_id, c.root_id, c.depth, c.author_id, u.name AS author_name,
  c.source, c.html, c.status, c.moderation, c.held_reason, c.removed_reason, c.hidden,
  c.created_at, c.edited_at`;
const COMMENT_FROM = `comments c JOIN pages p ON p.id = c.page_id LEFT JOIN users u ON u.id = c.author_id`;

/** A page's events older than the retention are deleted once every this many events. */
const PRUNE_EVERY = 64;

const DEFAULT_SETTINGS: SiteSettings = {
  premoderation: 'off',
  reportThreshold: 3,
  bannedWords: [],
  editWindowMinutes: 0,
  lockedPages: [],
};

function toUser(row: UserRow): UserRecord {
  return {
    id: String(row.id),
    name: row.name,
    email: row.email,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

/** Shown to readers on its own merits: published and approved. */
const selfVisible = (row: Pick<CommentRow, 'status' | 'moderation'>) =>
  row.status === 'published' && row.moderation === 'approved';

function publicStatus(row: Pick<CommentRow, 'status' | 'moderation'>): CommentStatus {
  if (row.status === 'deleted') return 'deleted';
  if (row.moderation === 'removed') return 'removed';
  if (row.moderation === 'pending') return 'pending';
  return 'published';
}

/**
 * The public form of a row. Anything but a published comment shows neither
 * author nor body, except a held comment to its own author (see
 * `forAuthor`).
 */
function toComment(row: ThreadRow, pinned: boolean, forAuthor: boolean): Comment {
  const status = publicStatus(row);
  const shown = status === 'published' || (forAuthor && status === 'pending');
  return {
    id: String(row.id),
    parentId: row.parent_id === null ? null : String(row.parent_id),
    author: shown && row.author_id !== null ? { id: String(row.author_id), name: row.author_name ?? '' } : null,
    html: shown ? row.html : '',
    status,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    pinned,
  };
}

/** A row with what the domain needs besides its public form (see {@link toComment}). */
function toRecord(row: CommentRow, forAuthor = false): CommentRecord {
  return {
    comment: toComment(row, row.pinned_comment_id === row.id, forAuthor),
    siteId: row.site_id,
    pageKey: row.page_key,
    authorId: row.author_id === null ? null : String(row.author_id),
    authorName: row.author_id === null ? null : row.author_name,
    source: row.status === 'deleted' ? '' : row.source,
    depth: row.depth,
    hidden: row.hidden === 1,
    moderation: row.moderation,
    heldReason: row.held_reason,
    removedReason: row.removed_reason,
    html: row.status === 'deleted' ? '' : row.html,
    page: { key: row.page_key, url: row.page_url, title: row.page_title },
  };
}

export interface SqliteStoreOptions {
  /** How many events per page to keep for reconnecting clients. */
  eventRetention: number;
  /** How the write-ahead log is synced (default `fs.fdatasync`); tests watch it. */
  sync?: ConstructorParameters<typeof WalSync>[1];
}

/**
 * Opens (creating if needed) a SQLite database: WAL, foreign keys, migrations,
 * statements prepared once.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  const journal = db.pragma('journal_mode = WAL', { simple: true });
  // NORMAL: a commit does not wait for the disk, so the event loop does not
  // either. A write is acknowledged only once WalSync has synced the log after
  // its commit, so what was answered 201 survives a power loss all the same.
  db.pragma('synchronous = NORMAL');
  const wal = new WalSync(journal === 'wal' ? `${file}-wal` : null, options.sync);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  // Checkpoints run in a worker thread (see Checkpointer), not in the commits of this connection.
  const checkpoints =
    journal === 'wal'
      ? new Checkpointer(file, () => {
          // Without the worker, SQLite's own checkpoints keep the log from growing without bound.
          if (db.open) db.pragma('wal_autocheckpoint = 1000');
        })
      : null;
  if (checkpoints) db.pragma('wal_autocheckpoint = 0');
  const log: CommitLog = {
    async idle() {
      // Neither a sync nor a checkpoint: the next group shares the next sync, and a
      // checkpoint is not chased by commits it cannot catch up with.
      while (wal.busy || checkpoints?.busy) {
        await wal.idle();
        await checkpoints?.idle();
      }
    },
    durable() {
      checkpoints?.committed();
      return wal.durable();
    },
  };

  const stmt = {
    insertSite: db.prepare('INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING'),
    siteExists: db.prepare('SELECT 1 FROM sites WHERE id = ?').pluck(),
    insertUser: db.prepare(
      'INSERT INTO users (email, email_norm, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (email_norm) DO NOTHING RETURNING *',
    ),
    userByEmail: db.prepare('SELECT * FROM users WHERE email_norm = ? AND deleted_at IS NULL'),
    userById: db.prepare('SELECT * FROM users WHERE id = ? AND deleted_at IS NULL'),
    role: db.prepare('SELECT role FROM site_roles WHERE site_id = ? AND user_id = ?').pluck(),
    setRole: db.prepare(
      'INSERT INTO site_roles (site_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (site_id, user_id) DO UPDATE SET role = excluded.role',
    ),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?'),
    sessionUser: db.prepare(
      'SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.deleted_at IS NULL',
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    deleteOtherSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?'),
    setPasswordHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND deleted_at IS NULL'),
    page: db.prepare('SELECT id, seq, comment_count, locked, pinned_comment_id FROM pages WHERE site_id = ? AND key = ?'),
    pageById: db.prepare('SELECT id, seq, comment_count, locked, pinned_comment_id FROM pages WHERE id = ?'),
    insertPage: db.prepare(
      'INSERT INTO pages (site_id, key, url, title, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id, key) DO NOTHING',
    ),
    fillPageInfo: db.prepare(
      'UPDATE pages SET url = coalesce(url, ?), title = coalesce(title, ?) WHERE id = ? AND (url IS NULL OR title IS NULL)',
    ),
    // json_each: one statement for any number of keys, each looked up in the (site_id, key) index.
    pageCounts: db.prepare(
      'SELECT key, comment_count FROM pages WHERE site_id = ? AND key IN (SELECT value FROM json_each(?))',
    ),
    lockedPages: db.prepare('SELECT key FROM pages WHERE site_id = ? AND locked = 1 ORDER BY key').pluck(),
    setLocked: db.prepare('UPDATE pages SET locked = ? WHERE id = ?'),
    setPinnedOnPage: db.prepare('UPDATE pages SET pinned_comment_id = ? WHERE id = ?'),
    rootsNewest: db.prepare(
      `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM}
       WHERE c.page_id = ? AND c.parent_id IS NULL AND c.hidden = 0 AND c.id < ? AND c.id IS NOT ? ORDER BY c.id DESC LIMIT ?`,
    ),
    rootsOldest: db.prepare(
      `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM}
       WHERE c.page_id = ? AND c.parent_id IS NULL AND c.hidden = 0 AND c.id > ? AND c.id IS NOT ? ORDER BY c.id ASC LIMIT ?`,
    ),
    repliesOf: db.prepare(
      `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM}
       WHERE c.root_id IN (SELECT value FROM json_each(?)) AND c.hidden = 0 ORDER BY c.id ASC`,
    ),
    oldestRepliesOf: db.prepare(
      `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM} WHERE c.root_id = ? AND c.hidden = 0 ORDER BY c.id ASC LIMIT ?`,
    ),
    replyCounts: db.prepare(
      `SELECT root_id, count(*) AS n FROM comments
       WHERE root_id IN (SELECT value FROM json_each(?)) AND hidden = 0 GROUP BY root_id`,
    ),
    ownHeld: db.prepare(
      `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM}
       WHERE c.page_id = ? AND c.author_id = ? AND c.hidden = 1 AND c.status = 'published' AND c.moderation = 'pending'
       ORDER BY c.id ASC LIMIT 100`,
    ),
    comment: db.prepare(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.site_id = ? AND c.id = ?`),
    commentById: db.prepare(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.id = ?`),
    insertComment: db.prepare(
      `INSERT INTO comments (site_id, page_id, parent_id, root_id, depth, author_id, source, html, status, moderation, held_reason, hidden, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)`,
    ),
    insertRevision: db.prepare(
      'INSERT INTO comment_revisions (comment_id, source, html, created_at) SELECT id, source, html, ? FROM comments WHERE id = ?',
    ),
    updateComment: db.prepare('UPDATE comments SET source = ?, html = ?, edited_at = ? WHERE id = ?'),
    publicChildren: db.prepare('SELECT count(*) FROM comments WHERE parent_id = ? AND hidden = 0').pluck(),
    setHidden: db.prepare('UPDATE comments SET hidden = ? WHERE id = ?'),
    markDeleted: db.prepare("UPDATE comments SET status = 'deleted', source = '', html = '', deleted_at = ? WHERE id = ?"),
    setModeration: db.prepare('UPDATE comments SET moderation = ?, held_reason = ?, removed_reason = ? WHERE id = ?'),
    holdForEdit: db.prepare("UPDATE comments SET moderation = 'pending', held_reason = ? WHERE id = ?"),
    dropRevisions: db.prepare('DELETE FROM comment_revisions WHERE comment_id = ?'),
    // Replayed events must not bring a deleted or removed comment's text back.
    scrubEvents: db.prepare(
      `UPDATE page_events
       SET payload = json_set(payload, '$.comment.html', '', '$.comment.author', json('null'), '$.comment.status', ?)
       WHERE page_id = ? AND json_extract(payload, '$.comment.id') = ?`,
    ),
    bumpPage: db.prepare('UPDATE pages SET seq = seq + 1, comment_count = comment_count + ? WHERE id = ? RETURNING seq, comment_count'),
    adjustCount: db.prepare('UPDATE pages SET comment_count = comment_count + ? WHERE id = ?'),
    insertEvent: db.prepare('INSERT INTO page_events (page_id, seq, payload, created_at) VALUES (?, ?, ?, ?)'),
    pruneEvents: db.prepare('DELETE FROM page_events WHERE page_id = ? AND seq <= ?'),
    eventsAfter: db.prepare('SELECT payload FROM page_events WHERE page_id = ? AND seq > ? ORDER BY seq ASC').pluck(),
    oldestEvent: db.prepare('SELECT min(seq) FROM page_events WHERE page_id = ?').pluck(),
    hasApproved: db.prepare(
      "SELECT 1 FROM comments WHERE site_id = ? AND author_id = ? AND moderation = 'approved' AND status = 'published' LIMIT 1",
    ).pluck(),
    userComments: db.prepare(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
       WHERE c.site_id = ? AND c.author_id = ? AND c.status = 'published' AND c.id < ? ORDER BY c.id DESC LIMIT ?`,
    ),
    allUserComments: db.prepare(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.site_id = ? AND c.author_id = ? ORDER BY c.id ASC`,
    ),
    liveUserComments: db.prepare(
      "SELECT id FROM comments WHERE site_id = ? AND author_id = ? AND status = 'published' AND moderation <> 'removed' ORDER BY id",
    ).pluck(),
    userCommentsAnySite: db.prepare("SELECT id FROM comments WHERE author_id = ? AND status = 'published' ORDER BY id DESC").pluck(),
    insertReport: db.prepare(
      `INSERT INTO reports (site_id, comment_id, reporter_id, reason, details, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (comment_id, reporter_id) DO NOTHING`,
    ),
    openReporters: db.prepare(
      'SELECT count(DISTINCT reporter_id) FROM reports WHERE site_id = ? AND comment_id = ? AND resolved_at IS NULL',
    ).pluck(),
    resolveReports: db.prepare('UPDATE reports SET resolved_at = ? WHERE comment_id = ? AND resolved_at IS NULL'),
    reportsBy: db.prepare(
      'SELECT comment_id, reason, details, created_at FROM reports WHERE site_id = ? AND reporter_id = ? ORDER BY id DESC',
    ),
    reportCounts: db.prepare(
      `SELECT reason, count(*) AS n FROM reports WHERE comment_id = ? AND resolved_at IS NULL GROUP BY reason ORDER BY n DESC, reason`,
    ),
    reportDetails: db.prepare(
      `SELECT reason, details, created_at FROM reports WHERE comment_id = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 50`,
    ),
    insertBlock: db.prepare(
      'INSERT INTO blocks (site_id, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    deleteBlock: db.prepare('DELETE FROM blocks WHERE site_id = ? AND blocker_id = ? AND blocked_id = ?'),
    blocks: db.prepare(
      `SELECT u.id, u.name, b.created_at FROM blocks b JOIN users u ON u.id = b.blocked_id
       WHERE b.site_id = ? AND b.blocker_id = ? AND u.deleted_at IS NULL ORDER BY b.created_at DESC, u.id DESC`,
    ),
    ban: db.prepare(
      'SELECT reason, expires_at FROM bans WHERE site_id = ? AND user_id = ? AND (expires_at IS NULL OR expires_at > ?)',
    ),
    upsertBan: db.prepare(
      `INSERT INTO bans (site_id, user_id, reason, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (site_id, user_id) DO UPDATE SET reason = excluded.reason, expires_at = excluded.expires_at,
         created_by = excluded.created_by, created_at = excluded.created_at`,
    ),
    deleteBan: db.prepare('DELETE FROM bans WHERE site_id = ? AND user_id = ?'),
    bans: db.prepare(
      `SELECT u.id, u.name, b.reason, b.expires_at, b.created_at FROM bans b JOIN users u ON u.id = b.user_id
       WHERE b.site_id = ? AND (b.expires_at IS NULL OR b.expires_at > ?) ORDER BY b.created_at DESC`,
    ),
    settings: db.prepare('SELECT premoderation, report_threshold, banned_words, edit_window_minutes FROM site_settings WHERE site_id = ?'),
    upsertSettings: db.prepare(
      `INSERT INTO site_settings (site_id, premoderation, report_threshold, banned_words, edit_window_minutes) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id) DO UPDATE SET premoderation = excluded.premoderation, report_threshold = excluded.report_threshold,
         banned_words = excluded.banned_words, edit_window_minutes = excluded.edit_window_minutes`,
    ),
    queueReported: db.prepare(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
       WHERE c.site_id = ? AND c.status = 'published' AND c.moderation <> 'removed' AND c.id < ?
         AND EXISTS (SELECT 1 FROM reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL)
       ORDER BY c.id DESC LIMIT ?`,
    ),
    queueByModeration: db.prepare(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
       WHERE c.site_id = ? AND c.status = 'published' AND c.moderation = ? AND c.id < ? ORDER BY c.id DESC LIMIT ?`,
    ),
    insertAudit: db.prepare(
      `INSERT INTO audit_log (site_id, actor_id, action, target_type, target_id, target_label, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    audit: db.prepare(
      `SELECT a.id, a.actor_id, u.name AS actor_name, a.action, a.target_type, a.target_id, a.target_label, a.reason, a.created_at
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE a.site_id = ? AND a.id < ? ORDER BY a.id DESC LIMIT ?`,
    ),
    anonymiseUser: db.prepare(
      "UPDATE users SET name = 'Deleted user', email = '', email_norm = 'deleted:' || id, password_hash = '', deleted_at = ? WHERE id = ?",
    ),
    deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
    deleteUserBlocks: db.prepare('DELETE FROM blocks WHERE blocker_id = ? OR blocked_id = ?'),
    deleteUserReports: db.prepare('DELETE FROM reports WHERE reporter_id = ?'),
  };

  const getPage = (siteId: string, key: string) => stmt.page.get(siteId, key) as PageRow | undefined;
  const getRow = (id: number | bigint) => stmt.commentById.get(id) as CommentRow;
  const hasPublicChildren = (id: number) => (stmt.publicChildren.get(id) as number) > 0;

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
    // Pruned in batches: deleting the oldest row at every event dirtied one more page
    // of the table per commit. Rows past the retention are never served (eventsSince).
    if (seq > options.eventRetention && seq % PRUNE_EVERY === 0) stmt.pruneEvents.run(pageId, seq - options.eventRetention);
    return { event, seq, count };
  }

  /**
   * Changes one comment inside the caller's transaction and keeps the thread
   * consistent: a comment is shown when it is published and approved, or
   * when one of its replies is shown (as a tombstone). The change can show or
   * hide its ancestors in turn. Every change readers can see becomes one page
   * event, in order; the page's count follows comments that are shown on
   * their own merits. `mutate` is null for a comment just inserted, which has
   * nothing to change but its visibility.
   */
  function changeComment(
    id: number,
    now: string,
    mutate: (() => void) | null,
    how: { authorDeleted?: boolean; created?: boolean } = {},
  ): { events: PageEvent[]; seq: number; count: number; record: CommentRecord } {
    const before = getRow(id);
    const beforePublic = toRecord(before).comment;
    mutate?.();
    const row = mutate ? getRow(id) : before;
    const page = stmt.pageById.get(row.page_id) as PageRow;
    let countDelta = (selfVisible(row) ? 1 : 0) - (!how.created && selfVisible(before) ? 1 : 0);
    const events: PageEvent[] = [];
    let last = { seq: page.seq, count: page.comment_count };
    // Collected while walking up, appended after: see the ordering note below.
    const planned: { appears: boolean; build: (seq: number, count: number) => PageEvent }[] = [];
    const base = { site: row.site_id, page: row.page_key };

    let current: CommentRow | null = row;
    let first = true;
    let hidden = row.hidden;
    while (current) {
      const wasPublic = current.hidden === 0;
      const isPublic = selfVisible(current) || hasPublicChildren(current.id);
      if (wasPublic !== isPublic) stmt.setHidden.run(isPublic ? 0 : 1, current.id);
      if (first) hidden = isPublic ? 0 : 1;
      // The public form does not depend on `hidden`, so the row read before it changed will do.
      const after = toRecord(current).comment;
      if (!wasPublic && isPublic) {
        planned.push({ appears: true, build: (seq, count) => ({ type: 'comment:created', ...base, seq, count, comment: after }) });
      } else if (wasPublic && !isPublic) {
        planned.push({ appears: false, build: (seq, count) => ({ type: 'comment:deleted', ...base, seq, count, id: after.id, mode: 'removed' }) });
      } else if (first && isPublic && JSON.stringify(after) !== JSON.stringify(beforePublic)) {
        if (how.authorDeleted) {
          planned.push({ appears: false, build: (seq, count) => ({ type: 'comment:deleted', ...base, seq, count, id: after.id, mode: 'tombstoned' }) });
        } else {
          planned.push({ appears: false, build: (seq, count) => ({ type: 'comment:updated', ...base, seq, count, comment: after }) });
        }
      } else if (!first) {
        // An ancestor whose visibility did not change: nothing above it changes either.
        break;
      }
      first = false;
      current = current.parent_id === null ? null : getRow(current.parent_id);
    }
    // A comment that appears can bring its ancestors back (as tombstones); a
    // client can only place a reply under a parent it has, so parents go first.
    // A comment that leaves takes its ancestors after it, child first.
    for (const { build } of planned[0]?.appears ? planned.reverse() : planned) {
      const out = appendEvent(page.id, countDelta, now, build);
      countDelta = 0;
      events.push(out.event);
      last = { seq: out.seq, count: out.count };
    }
    if (countDelta !== 0) {
      stmt.adjustCount.run(countDelta, page.id);
      last = { ...last, count: last.count + countDelta };
    }
    // Walking up changed nothing of this row but, perhaps, its `hidden`.
    return { events, seq: last.seq, count: last.count, record: toRecord({ ...row, hidden }, true) };
  }

  const createCommentTx = db.transaction((input: NewComment & { heldReason?: string | null }): CommentWrite => {
    stmt.insertPage.run(input.siteId, input.page.key, input.page.url ?? null, input.page.title ?? null, input.now);
    const page = getPage(input.siteId, input.page.key)!;
    if (input.page.url || input.page.title) stmt.fillPageInfo.run(input.page.url ?? null, input.page.title ?? null, page.id);
    let rootId: number | null = null;
    let depth = 0;
    if (input.parentId !== null) {
      const parent = getRow(Number(input.parentId));
      rootId = parent.root_id ?? parent.id;
      depth = parent.depth + 1;
    }
    const held = Boolean(input.heldReason);
    // Inserted hidden, then shown by changeComment, which emits the event.
    const { lastInsertRowid } = stmt.insertComment.run(
      input.siteId,
      page.id,
      input.parentId === null ? null : Number(input.parentId),
      rootId,
      depth,
      Number(input.authorId),
      input.source,
      input.html,
      held ? 'pending' : 'approved',
      held ? input.heldReason : null,
      1,
      input.now,
    );
    const id = Number(lastInsertRowid);
    const change = changeComment(id, input.now, null, { created: true });
    return { record: change.record, events: change.events, seq: change.seq, count: change.count };
  });

  const updateCommentTx = db.transaction(
    (input: { siteId: string; id: string; source: string; html: string; now: string; heldReason?: string | null }): CommentWrite => {
      const id = Number(input.id);
      const change = changeComment(id, input.now, () => {
        stmt.insertRevision.run(input.now, id);
        stmt.updateComment.run(input.source, input.html, input.now, id);
        if (input.heldReason) stmt.holdForEdit.run(input.heldReason, id);
      });
      return { record: change.record, events: change.events, seq: change.seq, count: change.count };
    },
  );

  // New comments are group-committed (see GroupCommit). Every other write first
  // commits the queued ones: their checks ran before this write was decided, so
  // they come first, as if each comment had been written at once.
  const creates = new GroupCommit(db, createCommentTx, log);

  /**
   * Runs a write now, after the queued comments, and resolves with its result
   * once it is on disk (see WalSync).
   */
  async function write<T>(apply: () => T): Promise<T> {
    creates.flush();
    const result = apply();
    await log.durable();
    return result;
  }

  function deleteOne(id: number, now: string) {
    const row = getRow(id);
    const hadPublicReplies = hasPublicChildren(id);
    const change = changeComment(
      id,
      now,
      () => {
        stmt.markDeleted.run(now, id);
        stmt.dropRevisions.run(id);
        stmt.scrubEvents.run('deleted', row.page_id, String(id));
        if (row.pinned_comment_id === id) stmt.setPinnedOnPage.run(null, row.page_id);
      },
      { authorDeleted: true },
    );
    return { ...change, mode: (hadPublicReplies ? 'tombstoned' : 'removed') as DeleteMode };
  }

  const deleteCommentTx = db.transaction((input: { siteId: string; id: string; now: string }) => deleteOne(Number(input.id), input.now));

  const setModerationTx = db.transaction(
    (input: { id: string; moderation: 'approved' | 'pending' | 'removed'; reason: string | null; resolveReports: boolean; now: string }): ModerationWrite => {
      const id = Number(input.id);
      const row = getRow(id);
      const change = changeComment(id, input.now, () => {
        stmt.setModeration.run(
          input.moderation,
          input.moderation === 'pending' ? input.reason : null,
          input.moderation === 'removed' ? input.reason : null,
          id,
        );
        if (input.resolveReports) stmt.resolveReports.run(input.now, id);
        // Held for review: replaying old events must not show what is under review.
        if (input.moderation === 'pending') stmt.scrubEvents.run('pending', row.page_id, String(id));
        if (input.moderation === 'removed') {
          stmt.scrubEvents.run('removed', row.page_id, String(id));
          if (row.pinned_comment_id === id) stmt.setPinnedOnPage.run(null, row.page_id);
        }
      });
      return { record: change.record, events: change.events };
    },
  );

  const setPinnedTx = db.transaction((input: { id: string; pinned: boolean; now: string }): ModerationWrite => {
    const id = Number(input.id);
    const row = getRow(id);
    const events: PageEvent[] = [];
    const previous = row.pinned_comment_id;
    if (input.pinned && previous !== null && previous !== id) {
      // Only one pin per page: the old one is unpinned first, as its own update.
      events.push(...changeComment(previous, input.now, () => stmt.setPinnedOnPage.run(null, row.page_id)).events);
    }
    const target = input.pinned ? id : previous === id ? null : previous;
    const change = changeComment(id, input.now, () => stmt.setPinnedOnPage.run(target, row.page_id));
    events.push(...change.events);
    return { record: change.record, events };
  });

  const saveSettingsTx = db.transaction((siteId: string, settings: SiteSettings, now: string) => {
    stmt.upsertSettings.run(
      siteId,
      settings.premoderation,
      settings.reportThreshold,
      JSON.stringify(settings.bannedWords),
      settings.editWindowMinutes,
    );
    const wanted = new Set(settings.lockedPages);
    const current = new Set(stmt.lockedPages.all(siteId) as string[]);
    const events: PageEvent[] = [];
    const setLock = (key: string, locked: boolean) => {
      stmt.insertPage.run(siteId, key, null, null, now);
      const page = getPage(siteId, key)!;
      stmt.setLocked.run(locked ? 1 : 0, page.id);
      events.push(
        appendEvent(page.id, 0, now, (seq, count) => ({ type: 'page:updated', site: siteId, page: key, seq, count, locked })).event,
      );
    };
    for (const key of wanted) if (!current.has(key)) setLock(key, true);
    for (const key of current) if (!wanted.has(key)) setLock(key, false);
    return events;
  });

  const deleteUserTx = db.transaction((userId: string, now: string) => {
    const id = Number(userId);
    const events: PageEvent[] = [];
    for (const commentId of stmt.userCommentsAnySite.all(id) as number[]) events.push(...deleteOne(commentId, now).events);
    stmt.deleteUserSessions.run(id);
    stmt.deleteUserBlocks.run(id, id);
    stmt.deleteUserReports.run(id);
    // Bans stay: deleting an account must not lift one (the audit log keeps the rest).
    stmt.anonymiseUser.run(now, id);
    return { events };
  });

  function readSettings(siteId: string): SiteSettings {
    const row = stmt.settings.get(siteId) as
      | { premoderation: SiteSettings['premoderation']; report_threshold: number; banned_words: string; edit_window_minutes: number }
      | undefined;
    const lockedPages = stmt.lockedPages.all(siteId) as string[];
    if (!row) return { ...DEFAULT_SETTINGS, lockedPages };
    return {
      premoderation: row.premoderation,
      reportThreshold: row.report_threshold,
      bannedWords: JSON.parse(row.banned_words) as string[],
      editWindowMinutes: row.edit_window_minutes,
      lockedPages,
    };
  }

  const toBan = (row: { reason: string; expires_at: string | null } | undefined): BanInfo | null =>
    row ? { reason: row.reason, expiresAt: row.expires_at } : null;

  const store: Store = {
    ensureSite(id, name) {
      return write(() => {
        stmt.insertSite.run(id, name, new Date().toISOString());
      });
    },
    async siteExists(id) {
      return stmt.siteExists.get(id) === 1;
    },
    createUser({ name, email, passwordHash, now }) {
      return write(() => {
        const row = stmt.insertUser.get(email.trim(), normalizeEmail(email), name, passwordHash, now) as UserRow | undefined;
        return row ? toUser(row) : null;
      });
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
      return (stmt.role.get(siteId, Number(userId)) as Role | undefined) ?? 'commenter';
    },
    setRole(siteId, userId, role) {
      return write(() => {
        stmt.setRole.run(siteId, Number(userId), role);
      });
    },
    createSession({ tokenHash, userId, now, expiresAt }) {
      return write(
        db.transaction(() => {
          // Signing in is a good moment to forget this user's expired sessions.
          stmt.deleteExpiredSessions.run(Number(userId), now);
          stmt.insertSession.run(tokenHash, Number(userId), now, expiresAt);
        }),
      );
    },
    async findSessionUser(tokenHash, now) {
      const row = stmt.sessionUser.get(tokenHash, now) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    deleteSession(tokenHash) {
      return write(() => {
        stmt.deleteSession.run(tokenHash);
      });
    },
    changePassword({ userId, passwordHash, keepTokenHash }) {
      return write(
        db.transaction(() => {
          stmt.setPasswordHash.run(passwordHash, Number(userId));
          stmt.deleteOtherSessions.run(Number(userId), keepTokenHash);
        }),
      );
    },
    async listThread({ siteId, pageKey, sort, cursor, limit, maxReplies, viewerId }) {
      // One read transaction, so the comments and `seq` describe the same moment.
      return db.transaction(() => {
        const page = getPage(siteId, pageKey);
        if (!page) return { comments: [], count: 0, nextCursor: null, seq: 0, locked: false, moreReplies: [] };
        const after = cursor ? Number(cursor) : sort === 'newest' ? Number.MAX_SAFE_INTEGER : 0;
        const pinnedId = page.pinned_comment_id;
        const roots = (sort === 'newest' ? stmt.rootsNewest : stmt.rootsOldest).all(page.id, after, pinnedId, limit + 1) as ThreadRow[];
        let more = roots.length > limit;
        if (more) roots.pop();
        let pinned: ThreadRow | null = null;
        if (!cursor && pinnedId !== null) {
          const row = getRow(pinnedId);
          if (row.hidden === 0 && row.parent_id === null) pinned = row;
        }
        const candidates = pinned ? [pinned, ...roots] : roots;
        const replyCount = new Map(
          (stmt.replyCounts.all(JSON.stringify(candidates.map((r) => r.id))) as { root_id: number; n: number }[]).map((r) => [r.root_id, r.n]),
        );
        // Fill the reply budget root by root. The page ends before a root whose
        // replies do not fit, so the next page starts with it; only a root that
        // comes first (nothing else to show) has its replies cut.
        let budget = maxReplies;
        let lastRoot: ThreadRow | null = null;
        const shown: ThreadRow[] = [];
        const cut = new Map<number, number>();
        for (const root of candidates) {
          const replies = replyCount.get(root.id) ?? 0;
          if (replies > budget && lastRoot !== null) {
            more = true;
            break;
          }
          shown.push(root);
          if (replies > budget) cut.set(root.id, budget);
          budget -= Math.min(replies, budget);
          if (root !== pinned) lastRoot = root;
        }
        const nextCursor = more && lastRoot ? String(lastRoot.id) : null;
        const whole = shown.filter((root) => !cut.has(root.id)).map((root) => root.id);
        const replies = [
          ...(whole.length ? (stmt.repliesOf.all(JSON.stringify(whole)) as ThreadRow[]) : []),
          ...[...cut].flatMap(([rootId, take]) => (take > 0 ? (stmt.oldestRepliesOf.all(rootId, take) as ThreadRow[]) : [])),
        ];
        const byRoot = new Map<number, ThreadRow[]>();
        for (const reply of replies) {
          const list = byRoot.get(reply.root_id!) ?? [];
          list.push(reply);
          byRoot.set(reply.root_id!, list);
        }
        const viewer = viewerId === undefined ? null : Number(viewerId);
        const comments: Comment[] = [];
        const show = (row: ThreadRow, forAuthor: boolean) => comments.push(toComment(row, row.id === pinnedId, forAuthor));
        for (const root of shown) {
          show(root, root.author_id === viewer);
          for (const reply of byRoot.get(root.id) ?? []) show(reply, reply.author_id === viewer);
        }
        if (viewer !== null && !cursor) {
          for (const held of stmt.ownHeld.all(page.id, viewer) as ThreadRow[]) show(held, true);
        }
        return {
          comments,
          count: page.comment_count,
          nextCursor,
          seq: page.seq,
          locked: page.locked === 1,
          moreReplies: [...cut.keys()].map(String),
        };
      })();
    },
    async getPageState(siteId, pageKey) {
      const page = getPage(siteId, pageKey);
      return {
        locked: page?.locked === 1,
        pinnedCommentId: page?.pinned_comment_id == null ? null : String(page.pinned_comment_id),
        seq: page?.seq ?? 0,
        count: page?.comment_count ?? 0,
      };
    },
    async countComments(siteId, pageKeys) {
      const rows = stmt.pageCounts.all(siteId, JSON.stringify(pageKeys)) as { key: string; comment_count: number }[];
      return new Map(rows.map((row) => [row.key, row.comment_count]));
    },
    async getComment(siteId, id) {
      const row = stmt.comment.get(siteId, Number(id)) as CommentRow | undefined;
      return row ? toRecord(row, true) : null;
    },
    createComment(input) {
      return creates.submit(input);
    },
    updateComment(input) {
      return write(() => updateCommentTx(input));
    },
    deleteComment(input) {
      return write(() => {
        const { mode, events, seq, count } = deleteCommentTx(input);
        return { mode, events, seq, count };
      });
    },
    async eventsSince(siteId, pageKey, since): Promise<EventsSince> {
      return db.transaction((): EventsSince => {
        const page = getPage(siteId, pageKey);
        const seq = page?.seq ?? 0;
        if (since > seq) return { kind: 'too-old', seq };
        if (!page || since === seq) return { kind: 'events', seq, events: [] };
        const oldestRow = stmt.oldestEvent.get(page.id) as number | null;
        // The last `eventRetention` events are kept; older rows wait for the next batch prune.
        const oldest = oldestRow === null ? null : Math.max(oldestRow, seq - options.eventRetention + 1);
        if (oldest === null || oldest > since + 1) return { kind: 'too-old', seq };
        const events = (stmt.eventsAfter.all(page.id, since) as string[]).map((p) => JSON.parse(p) as PageEvent);
        return { kind: 'events', seq, events };
      })();
    },
    async hasApprovedComment(siteId, userId) {
      return stmt.hasApproved.get(siteId, Number(userId)) === 1;
    },
    async listUserComments({ siteId, userId, cursor, limit }) {
      const rows = stmt.userComments.all(siteId, Number(userId), cursor ? Number(cursor) : Number.MAX_SAFE_INTEGER, limit + 1) as CommentRow[];
      const more = rows.length > limit;
      if (more) rows.pop();
      return { records: rows.map((r) => toRecord(r, true)), nextCursor: more ? String(rows[rows.length - 1]!.id) : null };
    },
    async listAllUserComments(siteId, userId) {
      return (stmt.allUserComments.all(siteId, Number(userId)) as CommentRow[]).map((r) => toRecord(r, true));
    },
    addReport({ siteId, commentId, reporterId, reason, details, now }) {
      return write(() => {
        const { changes } = stmt.insertReport.run(siteId, Number(commentId), Number(reporterId), reason, details, now);
        return changes ? { commentId, reason, details, createdAt: now } : null;
      });
    },
    async openReporters(siteId, commentId) {
      return stmt.openReporters.get(siteId, Number(commentId)) as number;
    },
    async listReportsBy(siteId, userId): Promise<Report[]> {
      const rows = stmt.reportsBy.all(siteId, Number(userId)) as { comment_id: number; reason: ReportReason; details: string; created_at: string }[];
      return rows.map((r) => ({ commentId: String(r.comment_id), reason: r.reason, details: r.details, createdAt: r.created_at }));
    },
    addBlock({ siteId, blockerId, blockedId, now }) {
      return write(() => {
        stmt.insertBlock.run(siteId, Number(blockerId), Number(blockedId), now);
      });
    },
    removeBlock({ siteId, blockerId, blockedId }) {
      return write(() => {
        stmt.deleteBlock.run(siteId, Number(blockerId), Number(blockedId));
      });
    },
    async listBlocks(siteId, blockerId) {
      const rows = stmt.blocks.all(siteId, Number(blockerId)) as { id: number; name: string; created_at: string }[];
      return rows.map((r) => ({ user: { id: String(r.id), name: r.name }, createdAt: r.created_at }));
    },
    async getBan(siteId, userId, now) {
      return toBan(stmt.ban.get(siteId, Number(userId), now) as { reason: string; expires_at: string | null } | undefined);
    },
    setBan({ siteId, userId, reason, expiresAt, createdBy, now }) {
      return write(() => {
        stmt.upsertBan.run(siteId, Number(userId), reason, expiresAt, Number(createdBy), now);
      });
    },
    removeBan(siteId, userId) {
      return write(() => stmt.deleteBan.run(siteId, Number(userId)).changes > 0);
    },
    async listBans(siteId, now): Promise<BanRecord[]> {
      const rows = stmt.bans.all(siteId, now) as { id: number; name: string; reason: string; expires_at: string | null; created_at: string }[];
      return rows.map((r) => ({ user: { id: String(r.id), name: r.name }, reason: r.reason, expiresAt: r.expires_at, createdAt: r.created_at }));
    },
    async getSettings(siteId) {
      return readSettings(siteId);
    },
    saveSettings(siteId, settings, now) {
      return write(() => {
        const events = saveSettingsTx(siteId, settings, now);
        return { settings: readSettings(siteId), events };
      });
    },
    setModeration(input) {
      return write(() => setModerationTx(input));
    },
    async listQueue({ siteId, queue, cursor, limit, now }) {
      const before = cursor ? Number(cursor) : Number.MAX_SAFE_INTEGER;
      const rows = (
        queue === 'reported'
          ? stmt.queueReported.all(siteId, before, limit + 1)
          : stmt.queueByModeration.all(siteId, queue === 'pending' ? 'pending' : 'removed', before, limit + 1)
      ) as CommentRow[];
      const more = rows.length > limit;
      if (more) rows.pop();
      const items: QueueItemRecord[] = rows.map((row) => ({
        record: toRecord(row, true),
        authorBan: row.author_id === null ? null : toBan(stmt.ban.get(siteId, row.author_id, now) as { reason: string; expires_at: string | null } | undefined),
        reports: (stmt.reportCounts.all(row.id) as { reason: ReportReason; n: number }[]).map((r) => ({ reason: r.reason, count: r.n })),
        reportDetails: (stmt.reportDetails.all(row.id) as { reason: ReportReason; details: string; created_at: string }[])
          .filter((r) => r.details)
          .map((r) => ({ reason: r.reason, details: r.details, createdAt: r.created_at })),
      }));
      return { items, nextCursor: more ? String(rows[rows.length - 1]!.id) : null };
    },
    setPinned(input) {
      return write(() => setPinnedTx(input));
    },
    async listLiveCommentIds(siteId, userId) {
      return (stmt.liveUserComments.all(siteId, Number(userId)) as number[]).map(String);
    },
    addAudit(input) {
      return write(() => {
        stmt.insertAudit.run(
          input.siteId,
          input.actorId === null ? null : Number(input.actorId),
          input.action,
          input.targetType,
          input.targetId,
          input.targetLabel,
          input.reason,
          input.now,
        );
      });
    },
    async listAudit({ siteId, cursor, limit }) {
      const rows = stmt.audit.all(siteId, cursor ? Number(cursor) : Number.MAX_SAFE_INTEGER, limit + 1) as {
        id: number;
        actor_id: number | null;
        actor_name: string | null;
        action: string;
        target_type: AuditEntry['targetType'];
        target_id: string;
        target_label: string;
        reason: string | null;
        created_at: string;
      }[];
      const more = rows.length > limit;
      if (more) rows.pop();
      const entries: AuditEntry[] = rows.map((r) => ({
        id: String(r.id),
        actor: r.actor_id === null ? null : ({ id: String(r.actor_id), name: r.actor_name ?? '' } satisfies PublicUser),
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        targetLabel: r.target_label,
        reason: r.reason,
        createdAt: r.created_at,
      }));
      return { entries, nextCursor: more ? String(rows[rows.length - 1]!.id) : null };
    },
    deleteUser(userId, now) {
      return write(() => deleteUserTx(userId, now));
    },
    async close() {
      if (!db.open) return;
      creates.flush();
      await wal.close();
      // The worker's connection goes first, so this one is the last: closing it
      // checkpoints what is left and removes the log.
      await checkpoints?.close();
      db.close();
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
