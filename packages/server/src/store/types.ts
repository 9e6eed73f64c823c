import type {
  AuditEntry,
  BanInfo,
  Comment,
  DeleteMode,
  PageEvent,
  PageRef,
  PublicUser,
  Queue,
  Report,
  ReportReason,
  Role,
  SiteSettings,
  Sort,
} from '@parley/protocol';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  passwordHash: string;
  createdAt: string;
}

/** A comment with the private fields the domain needs besides its public form. */
export interface CommentRecord {
  comment: Comment;
  siteId: string;
  pageKey: string;
  authorId: string | null;
  /** The author's name even when the public form hides it (for moderators). */
  authorName: string | null;
  source: string;
  depth: number;
  /** Not shown to readers (deleted or held or removed, with no replies showing). */
  hidden: boolean;
  moderation: 'approved' | 'pending' | 'removed';
  heldReason: string | null;
  removedReason: string | null;
  /** The rendered body even when the public form hides it (for moderators). */
  html: string;
  page: PageRef;
}

export interface ThreadSlice {
  /** The comments in the order a reader sees them, in their public form (see `Comment`). */
  comments: Comment[];
  count: number;
  nextCursor: string | null;
  seq: number;
  /** Top-level comments of the slice whose replies were cut at `maxReplies`. */
  moreReplies: string[];
}

export interface PageInput {
  key: string;
  url?: string;
  title?: string;
}

export interface NewComment {
  siteId: string;
  page: PageInput;
  parentId: string | null;
  authorId: string;
  source: string;
  html: string;
  now: string;
}

/** The result of a write: the comment after it and the events it produced, in order. */
export interface CommentWrite {
  record: CommentRecord;
  events: PageEvent[];
  count: number;
  seq: number;
}

export interface CommentDeletion {
  mode: DeleteMode;
  events: PageEvent[];
  count: number;
  seq: number;
}

/** Events produced by a change, page by page, plus the comment after it. */
export interface ModerationWrite {
  record: CommentRecord;
  events: PageEvent[];
}

export interface QueueItemRecord {
  record: CommentRecord;
  authorBan: BanInfo | null;
  reports: { reason: ReportReason; count: number }[];
  reportDetails: { reason: ReportReason; details: string; createdAt: string }[];
}

export interface BanRecord {
  user: PublicUser;
  reason: string;
  expiresAt: string | null;
  createdAt: string;
}

export interface AuditInput {
  siteId: string;
  actorId: string | null;
  action: string;
  targetType: 'comment' | 'user' | 'page' | 'site';
  targetId: string;
  targetLabel: string;
  reason: string | null;
  now: string;
}

export interface PageState {
  locked: boolean;
  pinnedCommentId: string | null;
  /** Advanced by every change readers can see (0 for a page that does not exist yet). */
  seq: number;
  /** The page's comment count, as a thread read reports it. */
  count: number;
}

export type EventsSince = { kind: 'events'; seq: number; events: PageEvent[] } | { kind: 'too-old'; seq: number };

/**
 * Everything Parley keeps. Methods return promises so that a store over a
 * networked database can implement the same interface; the SQLite store is
 * synchronous underneath. Every query that touches site data takes the site id.
 */
export interface Store {
  ensureSite(id: string, name: string): Promise<void>;
  siteExists(id: string): Promise<boolean>;

  /** Returns null when the email is taken (case-insensitively). */
  createUser(input: { name: string; email: string; passwordHash: string; now: string }): Promise<UserRecord | null>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  getUser(id: string): Promise<UserRecord | null>;
  getRole(siteId: string, userId: string): Promise<Role>;
  setRole(siteId: string, userId: string, role: Role): Promise<void>;

  createSession(input: { tokenHash: string; userId: string; now: string; expiresAt: string }): Promise<void>;
  /**
   * The user whose session a token hash is, if the session exists and has not
   * expired at `now` and the account has not been deleted. One query: every
   * signed-in request asks.
   */
  findSessionUser(tokenHash: string, now: string): Promise<UserRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /**
   * Sets a user's password hash and, in the same transaction, ends every
   * session of theirs but the one whose token hash is `keepTokenHash`.
   */
  changePassword(input: { userId: string; passwordHash: string; keepTokenHash: string }): Promise<void>;

  /**
   * A page of a thread: up to `limit` top-level comments, each followed by its
   * replies, with at most `maxReplies` replies in all. The page ends before a
   * comment whose replies would not fit; only a first comment with more
   * replies than that on its own is cut (its oldest replies kept) and named
   * in `moreReplies`. With `viewerId`, that viewer's own held comments are
   * included.
   */
  listThread(input: {
    siteId: string;
    pageKey: string;
    sort: Sort;
    cursor?: string;
    limit: number;
    maxReplies: number;
    viewerId?: string;
  }): Promise<ThreadSlice & { locked: boolean }>;
  getPageState(siteId: string, pageKey: string): Promise<PageState>;
  /**
   * The comment count of each page that exists among `pageKeys` (the count a
   * thread read reports), from one query; pages nobody has commented on are
   * missing from the map.
   */
  countComments(siteId: string, pageKeys: readonly string[]): Promise<Map<string, number>>;
  getComment(siteId: string, id: string): Promise<CommentRecord | null>;
  /** `heldReason` set: the comment is created pending review, seen by its author only. */
  createComment(input: NewComment & { heldReason?: string | null }): Promise<CommentWrite>;
  updateComment(input: {
    siteId: string;
    id: string;
    source: string;
    html: string;
    now: string;
    heldReason?: string | null;
  }): Promise<CommentWrite>;
  deleteComment(input: { siteId: string; id: string; now: string }): Promise<CommentDeletion>;
  eventsSince(siteId: string, pageKey: string, since: number): Promise<EventsSince>;

  /** Whether the user has a comment on the site that was published without review or approved. */
  hasApprovedComment(siteId: string, userId: string): Promise<boolean>;
  listUserComments(input: { siteId: string; userId: string; cursor?: string; limit: number }): Promise<{ records: CommentRecord[]; nextCursor: string | null }>;

  /** Returns false when this reporter already reported the comment. */
  addReport(input: { siteId: string; commentId: string; reporterId: string; reason: ReportReason; details: string; now: string }): Promise<Report | null>;
  openReporters(siteId: string, commentId: string): Promise<number>;
  listReportsBy(siteId: string, userId: string): Promise<Report[]>;

  addBlock(input: { siteId: string; blockerId: string; blockedId: string; now: string }): Promise<void>;
  removeBlock(input: { siteId: string; blockerId: string; blockedId: string }): Promise<void>;
  listBlocks(siteId: string, blockerId: string): Promise<{ user: PublicUser; createdAt: string }[]>;

  getBan(siteId: string, userId: string, now: string): Promise<BanInfo | null>;
  setBan(input: { siteId: string; userId: string; reason: string; expiresAt: string | null; createdBy: string; now: string }): Promise<void>;
  removeBan(siteId: string, userId: string): Promise<boolean>;
  listBans(siteId: string, now: string): Promise<BanRecord[]>;

  getSettings(siteId: string): Promise<SiteSettings>;
  /** Saves the settings; pages whose lock changed get a `page:updated` event each. */
  saveSettings(siteId: string, settings: SiteSettings, now: string): Promise<{ settings: SiteSettings; events: PageEvent[] }>;

  /** Moves a comment between approved, pending and removed, with the events readers need. */
  setModeration(input: {
    siteId: string;
    id: string;
    moderation: 'approved' | 'pending' | 'removed';
    reason: string | null;
    resolveReports: boolean;
    now: string;
  }): Promise<ModerationWrite>;
  listQueue(input: { siteId: string; queue: Queue; cursor?: string; limit: number; now: string }): Promise<{ items: QueueItemRecord[]; nextCursor: string | null }>;
  /** Pins one top-level comment of its page (unpinning the previous), or unpins it. */
  setPinned(input: { siteId: string; id: string; pinned: boolean; now: string }): Promise<ModerationWrite>;
  /** Comments by a user on a site that readers can still see or that wait for review. */
  listLiveCommentIds(siteId: string, userId: string): Promise<string[]>;

  addAudit(input: AuditInput): Promise<void>;
  listAudit(input: { siteId: string; cursor?: string; limit: number }): Promise<{ entries: AuditEntry[]; nextCursor: string | null }>;

  /** Anonymises a user: comments deleted as by the author, sessions, blocks and reports gone. */
  deleteUser(userId: string, now: string): Promise<{ events: PageEvent[] }>;
  /** Every comment of a user on a site, oldest first, for export. */
  listAllUserComments(siteId: string, userId: string): Promise<CommentRecord[]>;

  close(): Promise<void>;
}
