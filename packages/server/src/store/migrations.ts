/**
 * Numbered migrations, applied in order inside one transaction each. Never
 * edit a migration that has shipped: add the next number.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'sites, users, sessions, pages, comments, revisions, page events',
    sql: `
      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL,
        email_norm TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE site_roles (
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('commenter', 'moderator')),
        PRIMARY KEY (site_id, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        url TEXT,
        title TEXT,
        seq INTEGER NOT NULL DEFAULT 0,
        comment_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (site_id, key)
      );
      CREATE TABLE comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES comments(id),
        root_id INTEGER REFERENCES comments(id),
        depth INTEGER NOT NULL DEFAULT 0,
        author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        source TEXT NOT NULL,
        html TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('published', 'deleted')),
        hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
        created_at TEXT NOT NULL,
        edited_at TEXT,
        deleted_at TEXT
      );
      CREATE INDEX comments_page_roots ON comments(page_id, id) WHERE parent_id IS NULL AND hidden = 0;
      CREATE INDEX comments_root ON comments(root_id, id);
      CREATE INDEX comments_parent ON comments(parent_id);
      CREATE INDEX comments_author ON comments(author_id);
      CREATE TABLE comment_revisions (
        id INTEGER PRIMARY KEY,
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        html TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX comment_revisions_comment ON comment_revisions(comment_id);
      CREATE TABLE page_events (
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (page_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'moderation: reports, blocks, bans, settings, audit log, pins, locks',
    sql: `
      -- 'approved' | 'pending' (held) | 'removed' (by a moderator); author deletion stays in status.
      ALTER TABLE comments ADD COLUMN moderation TEXT NOT NULL DEFAULT 'approved'
        CHECK (moderation IN ('approved', 'pending', 'removed'));
      ALTER TABLE comments ADD COLUMN held_reason TEXT;
      ALTER TABLE comments ADD COLUMN removed_reason TEXT;
      CREATE INDEX comments_moderation ON comments(site_id, moderation, id);
      CREATE INDEX comments_site_author ON comments(site_id, author_id, id);
      ALTER TABLE pages ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1));
      ALTER TABLE pages ADD COLUMN pinned_comment_id INTEGER REFERENCES comments(id) ON DELETE SET NULL;
      ALTER TABLE users ADD COLUMN deleted_at TEXT;
      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        reporter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        reason TEXT NOT NULL CHECK (reason IN ('spam', 'harassment', 'off_topic', 'illegal', 'other')),
        details TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (comment_id, reporter_id)
      );
      CREATE INDEX reports_open ON reports(site_id, comment_id) WHERE resolved_at IS NULL;
      CREATE INDEX reports_reporter ON reports(reporter_id);
      CREATE TABLE blocks (
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (site_id, blocker_id, blocked_id)
      ) WITHOUT ROWID;
      CREATE TABLE bans (
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        expires_at TEXT,
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (site_id, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE site_settings (
        site_id TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
        premoderation TEXT NOT NULL DEFAULT 'off' CHECK (premoderation IN ('off', 'new', 'all')),
        report_threshold INTEGER NOT NULL DEFAULT 3,
        banned_words TEXT NOT NULL DEFAULT '[]',
        edit_window_minutes INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT NOT NULL,
        target_label TEXT NOT NULL,
        reason TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX audit_log_site ON audit_log(site_id, id);
    `,
  },
  {
    version: 3,
    name: 'indexes for big threads: a reader\'s held comments on a page, replies readers see',
    sql: `
      -- A signed-in reader's own held comments on the page they read. Without it the
      -- lookup walks every comment the reader ever wrote (56 ms for one with 45,000).
      CREATE INDEX comments_held ON comments(page_id, author_id, id) WHERE moderation = 'pending';
      -- The replies readers see, by thread: counting a first screen's replies reads this
      -- index alone instead of every reply's row. comments_root stays for the foreign key.
      CREATE INDEX comments_root_shown ON comments(root_id, id) WHERE hidden = 0;
    `,
  },
];
