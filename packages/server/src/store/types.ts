import type { Comment, DeleteMode, PageEvent, Role, Sort } from '@parley/protocol';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  passwordHash: string;
  createdAt: string;
}

export interface SessionRecord {
  userId: string;
  expiresAt: string;
}

/** A comment with the private fields the domain needs besides its public form. */
export interface CommentRecord {
  comment: Comment;
  siteId: string;
  pageKey: string;
  authorId: string | null;
  source: string;
  depth: number;
  hidden: boolean;
}

export interface ThreadSlice {
  records: CommentRecord[];
  count: number;
  nextCursor: string | null;
  seq: number;
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
  /** The session of a token hash, if it exists and has not expired at `now`. */
  findSession(tokenHash: string, now: string): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;

  listThread(input: {
    siteId: string;
    pageKey: string;
    sort: Sort;
    cursor?: string;
    limit: number;
  }): Promise<ThreadSlice>;
  getComment(siteId: string, id: string): Promise<CommentRecord | null>;
  createComment(input: NewComment): Promise<CommentWrite>;
  updateComment(input: { siteId: string; id: string; source: string; html: string; now: string }): Promise<CommentWrite>;
  deleteComment(input: { siteId: string; id: string; now: string }): Promise<CommentDeletion>;
  eventsSince(siteId: string, pageKey: string, since: number): Promise<EventsSince>;

  close(): Promise<void>;
}
