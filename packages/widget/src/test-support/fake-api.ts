import type {
  BanInfo,
  Comment,
  Me,
  OperationId,
  PageEvent,
  PageEventOf,
  PageRef,
  PublicUser,
  Report,
  RouteOutput,
  SiteSettings,
  Sort,
} from '@parley/protocol';
import { errorMessages, errorStatus, limits, type ErrorCode } from '@parley/protocol/client';
import { ApiError, type CallInput, type ParleyApi } from '../api/api-client.js';

/**
 * An error as the real server sends it: its code, its status and the
 * protocol's message for it (the widget shows the server's message).
 */
export function serverError(code: ErrorCode, options: ConstructorParameters<typeof ApiError>[1] = {}): ApiError {
  return new ApiError(code, { status: errorStatus[code], message: errorMessages[code], ...options });
}
import type { ConnectionStatus, PageSubscription, RealtimeClient } from '../api/realtime.js';

/** One request the widget made, as it made it. */
export interface RecordedCall {
  operation: OperationId;
  input: CallInput<OperationId>;
}

/** A comment as the fake server keeps it: the shown comment plus what only the store knows. */
interface StoredComment {
  comment: Comment;
  source: string;
  site: string;
  page: string;
}

interface Account extends Me {
  password: string;
}

interface StoredReport extends Report {
  reporterId: string;
}

/** A page event before the server numbered it. */
type Unsequenced<E> = E extends PageEvent ? Omit<E, 'seq' | 'count'> : never;

type Answer<K extends OperationId> = (input: CallInput<K>) => RouteOutput<K> | Promise<RouteOutput<K>>;

/** A deferred call: the test decides when (and whether) the answer goes out. */
export interface HeldCall {
  /** Answers the call from the fake's data as it is now. */
  release(): void;
  /** Fails the call. */
  fail(error: Error): void;
}

export interface SeedComment {
  author?: Me | null;
  parentId?: string | null;
  body?: string;
  site?: string;
  page?: string;
  createdAt?: string;
  editedAt?: string | null;
  status?: Comment['status'];
  pinned?: boolean;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * A ParleyApi that answers from memory, the way the server would: accounts,
 * sessions, one page's comments with a running `count` and `seq`, reports,
 * blocks, bans, locked pages and pre-moderation. Every call is recorded in
 * {@link calls}; {@link failNext} and {@link holdNext} let a test decide the
 * fate of the next call to an operation. Methods named `…Elsewhere` act as
 * another reader or a moderator would and return the events the room hears.
 */
export class FakeApi implements ParleyApi {
  readonly server: string;
  readonly calls: RecordedCall[] = [];
  /** The page's event sequence number, as `listComments` reports it. */
  seq = 0;
  /**
   * Top-level comments whose replies `listComments` says it cut short
   * (`moreReplies`), as the server does past its per-response reply limit.
   */
  readonly cutShort = new Set<string>();

  private readonly accounts: Account[] = [];
  private readonly sessions = new Map<string, string>();
  private readonly store = new Map<string, StoredComment>();
  private readonly next = new Map<OperationId, Answer<OperationId>[]>();
  private readonly reports: StoredReport[] = [];
  /** Blocked users by blocker id, most recent first. */
  private readonly blocks = new Map<string, { user: PublicUser; createdAt: string }[]>();
  private readonly lockedPages = new Set<string>();
  private readonly pageRefs = new Map<string, PageRef>();
  private settings: SiteSettings = { premoderation: 'off', reportThreshold: 3, bannedWords: [], editWindowMinutes: 0, lockedPages: [] };
  private lastId = 0;
  private lastToken = 0;

  constructor(server = 'http://parley.test') {
    this.server = server;
  }

  /** The calls made to one operation, oldest first. */
  callsTo<K extends OperationId>(operation: K): CallInput<K>[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.input as CallInput<K>);
  }

  /** Adds an account that can sign in. */
  addUser(user: { name: string; email: string; password?: string; role?: Me['role']; ban?: BanInfo | null }): Me {
    const account: Account = {
      id: String(this.accounts.length + 1),
      name: user.name,
      email: user.email,
      role: user.role ?? 'commenter',
      ban: user.ban ?? null,
      password: user.password ?? 'correct horse',
    };
    this.accounts.push(account);
    return toMe(account);
  }

  /** Bans a user from commenting (`expiresAt` null: for good), as a moderator elsewhere would. */
  ban(userId: string, ban: BanInfo | null = { reason: 'Spam', expiresAt: null }): void {
    this.mustGetAccount(userId).ban = ban;
  }

  /** New comments are held for review ("Everyone" pre-moderation) or not. */
  premoderate(on = true): void {
    this.settings = { ...this.settings, premoderation: on ? 'all' : 'off' };
  }

  /** Sets the URL and title a page is known by, as the first comment's `pageUrl` would. */
  describePage(page: string, ref: { url: string | null; title?: string | null }, site = 'default'): void {
    this.pageRefs.set(`${site}|${page}`, { key: page, url: ref.url, title: ref.title ?? null });
  }

  /** Users `userId` blocked, most recent first. */
  blockedBy(userId: string): PublicUser[] {
    return (this.blocks.get(userId) ?? []).map((entry) => entry.user);
  }

  /**
   * Signs `user` in the way an earlier visit would have: a token this fake
   * knows, stored in localStorage where the widget looks for it.
   */
  seedSession(user: Me): string {
    const token = this.openSession(user.id);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    localStorage.setItem(`parley:session:${this.server}`, JSON.stringify({ token, expiresAt, user }));
    return token;
  }

  /**
   * Adds a comment as if it was posted before the page loaded: `seq` moves on
   * as it did then, but there is no event to deliver.
   */
  addComment(seed: SeedComment = {}): Comment {
    const stored = this.create(seed);
    this.seq += 1;
    return stored.comment;
  }

  /**
   * Adds a comment as someone posting it now, returning the `comment:created`
   * event the server would broadcast; deliver it with {@link FakeRealtime.push}.
   */
  publish(seed: SeedComment = {}): PageEventOf<'comment:created'> {
    const stored = this.create(seed);
    return this.emit<PageEventOf<'comment:created'>>({ type: 'comment:created', site: stored.site, page: stored.page, comment: stored.comment });
  }

  /** Edits a comment as its author would from another tab, returning the event. */
  editElsewhere(id: string, body: string): PageEventOf<'comment:updated'> {
    const stored = this.mustGet(id);
    this.rewrite(stored, body);
    return this.emit<PageEventOf<'comment:updated'>>({ type: 'comment:updated', site: stored.site, page: stored.page, comment: stored.comment });
  }

  /** Deletes a comment as its author would from another tab, returning the event. */
  removeElsewhere(id: string): PageEventOf<'comment:deleted'> {
    const stored = this.mustGet(id);
    const mode = this.deleteFromStore(id);
    return this.emit<PageEventOf<'comment:deleted'>>({ type: 'comment:deleted', site: stored.site, page: stored.page, id, mode });
  }

  /**
   * A moderator removes a comment: with replies it stays for everyone as
   * "Removed by a moderator." (`comment:updated`), without it leaves (`comment:deleted`).
   */
  removeByModerator(id: string): PageEventOf<'comment:updated'> | PageEventOf<'comment:deleted'> {
    return this.hide(id, 'removed');
  }

  /** Reports reach the threshold: the comment is held for review, the same way as a removal. */
  holdByReports(id: string): PageEventOf<'comment:updated'> | PageEventOf<'comment:deleted'> {
    return this.hide(id, 'pending');
  }

  /** A moderator approves a held comment or restores a removed one: everyone hears `comment:created`. */
  approveElsewhere(id: string): PageEventOf<'comment:created'> {
    const stored = this.mustGet(id);
    stored.comment = { ...stored.comment, status: 'published' };
    return this.emit<PageEventOf<'comment:created'>>({ type: 'comment:created', site: stored.site, page: stored.page, comment: stored.comment });
  }

  /** A moderator pins or unpins a comment; pinning one unpins the page's other first. */
  pinElsewhere(id: string, pinned: boolean): PageEventOf<'comment:updated'>[] {
    const stored = this.mustGet(id);
    const events: PageEventOf<'comment:updated'>[] = [];
    for (const other of this.store.values()) {
      if (!pinned || other === stored || other.site !== stored.site || other.page !== stored.page || !other.comment.pinned) continue;
      other.comment = { ...other.comment, pinned: false };
      events.push(this.updated(other));
    }
    stored.comment = { ...stored.comment, pinned };
    events.push(this.updated(stored));
    return events;
  }

  /** A moderator locks or unlocks a page. */
  lockElsewhere(locked: boolean, page = '/p', site = 'default'): PageEventOf<'page:updated'> {
    if (locked) this.lockedPages.add(`${site}|${page}`);
    else this.lockedPages.delete(`${site}|${page}`);
    return this.emit<PageEventOf<'page:updated'>>({ type: 'page:updated', site, page, locked });
  }

  /** Published comments of a page, the way the server counts them. */
  count(site = 'default', page = '/p'): number {
    return [...this.store.values()].filter((s) => s.site === site && s.page === page && s.comment.status === 'published').length;
  }

  /** The next call to `operation` is answered by `answer` instead of the store. */
  answerNext<K extends OperationId>(operation: K, answer: Answer<K>): void {
    const queue = this.next.get(operation) ?? [];
    queue.push(answer as unknown as Answer<OperationId>);
    this.next.set(operation, queue);
  }

  /** The next call to `operation` rejects with `error`. */
  failNext(operation: OperationId, error: Error = serverError('network_error')): void {
    this.answerNext(operation, () => Promise.reject(error));
  }

  /** The next call to `operation` waits until the returned handle releases or fails it. */
  holdNext(operation: OperationId): HeldCall {
    let release!: () => void;
    let fail!: (error: Error) => void;
    const gate = new Promise<void>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    this.answerNext(operation, async (input) => {
      await gate;
      return this.answer(operation, input);
    });
    return { release, fail };
  }

  async call<K extends OperationId>(operation: K, input: CallInput<K>): Promise<RouteOutput<K>> {
    this.calls.push({ operation, input: input as CallInput<OperationId> });
    const override = this.next.get(operation)?.shift();
    // A real request never answers in the same task; neither does the fake.
    await Promise.resolve();
    if (override) return (await override(input as CallInput<OperationId>)) as RouteOutput<K>;
    return this.answer(operation, input);
  }

  private answer<K extends OperationId>(operation: K, input: CallInput<K>): RouteOutput<K> {
    // Each branch builds the output of its own operation; the cast joins them back to K.
    const answers: { [Op in OperationId]: (input: CallInput<Op>) => RouteOutput<Op> } = {
      signUp: ({ body }) => {
        if (body.password.length < limits.passwordMin) {
          throw serverError('validation_failed', {
            status: 400,
            message: `Password must be at least ${limits.passwordMin} characters.`,
            fields: { password: `Password must be at least ${limits.passwordMin} characters.` },
          });
        }
        if (this.accounts.some((a) => a.email === body.email)) throw serverError('email_taken', { status: 409 });
        const user = this.addUser({ name: body.name, email: body.email, password: body.password });
        return this.sessionFor(user.id);
      },
      signIn: ({ body }) => {
        const account = this.accounts.find((a) => a.email === body.email && a.password === body.password);
        if (!account) throw serverError('invalid_credentials', { status: 401 });
        return this.sessionFor(account.id);
      },
      changePassword: ({ token, body }) => {
        const account = this.userOf(token);
        if (body.currentPassword !== account.password) {
          const message = 'That is not your current password.';
          throw serverError('invalid_credentials', { status: 401, message, fields: { currentPassword: message } });
        }
        if (body.newPassword.length < limits.passwordMin) {
          const message = `Password must be at least ${limits.passwordMin} characters.`;
          throw serverError('validation_failed', { status: 400, message, fields: { newPassword: message } });
        }
        account.password = body.newPassword;
        for (const [other, userId] of this.sessions) if (userId === account.id && other !== token) this.sessions.delete(other);
        return undefined;
      },
      signOut: ({ token }) => {
        if (token) this.sessions.delete(token);
        return undefined;
      },
      getMe: ({ token }) => ({ user: toMe(this.userOf(token)) }),
      listComments: ({ query, token }) =>
        this.list(this.siteOf(query), query.page, query.sort ?? 'newest', Number(query.limit ?? limits.pageSizeDefault), query.cursor, this.viewerOf(token)),
      getCommentCounts: ({ query }) => {
        const pages = Array.isArray(query.page) ? query.page : [query.page];
        const site = this.siteOf(query);
        return { counts: Object.fromEntries([...new Set(pages.map((page) => page.trim()))].map((page) => [page, this.count(site, page)])) };
      },
      getComment: ({ params }) => {
        const stored = this.mustGet(params.id);
        return { comment: { ...stored.comment, source: stored.source } };
      },
      createComment: ({ token, body }) => {
        const author = this.userOf(token);
        const site = body.site ?? 'default';
        if (author.ban) throw serverError('user_banned', { status: 403 });
        if (this.lockedPages.has(`${site}|${body.page}`)) throw serverError('page_locked', { status: 403 });
        if (body.parentId && !this.store.has(body.parentId)) throw serverError('parent_not_found', { status: 404 });
        if (body.pageUrl && !this.pageRefs.has(`${site}|${body.page}`)) this.describePage(body.page, { url: body.pageUrl, title: body.pageTitle }, site);
        const held = this.settings.premoderation === 'all';
        const stored = this.create({
          author: toMe(author),
          parentId: body.parentId ?? null,
          body: body.body,
          site,
          page: body.page,
          status: held ? 'pending' : 'published',
        });
        // A held comment reaches nobody else until a moderator approves it.
        if (held) return { comment: { ...stored.comment, source: stored.source }, count: this.count(site, body.page), seq: this.seq };
        const event = this.emit({ type: 'comment:created', site: stored.site, page: stored.page, comment: stored.comment });
        return { comment: { ...stored.comment, source: stored.source }, count: event.count, seq: event.seq };
      },
      updateComment: ({ token, params, body }) => {
        const stored = this.mustGet(params.id);
        const editor = this.userOf(token);
        if (stored.comment.author?.id !== editor.id) throw serverError('forbidden', { status: 403 });
        if (editor.ban) throw serverError('user_banned', { status: 403 });
        this.rewrite(stored, body.body);
        const event = this.emit({ type: 'comment:updated', site: stored.site, page: stored.page, comment: stored.comment });
        return { comment: { ...stored.comment, source: stored.source }, count: event.count, seq: event.seq };
      },
      deleteComment: ({ token, params }) => {
        const stored = this.mustGet(params.id);
        if (stored.comment.author?.id !== this.userOf(token).id) throw serverError('forbidden', { status: 403 });
        const mode = this.deleteFromStore(params.id);
        const event = this.emit({ type: 'comment:deleted', site: stored.site, page: stored.page, id: params.id, mode });
        return { id: params.id, mode, count: event.count, seq: event.seq };
      },
      reportComment: ({ token, params, body }) => {
        const reporter = this.userOf(token);
        const stored = this.mustGet(params.id);
        if (reporter.ban) throw serverError('user_banned', { status: 403 });
        if (stored.comment.author?.id === reporter.id) throw serverError('forbidden', { status: 403 });
        if (this.reports.some((r) => r.reporterId === reporter.id && r.commentId === params.id)) {
          throw serverError('already_reported', { status: 409 });
        }
        const report: Report = { commentId: params.id, reason: body.reason, details: body.details ?? '', createdAt: new Date().toISOString() };
        this.reports.push({ ...report, reporterId: reporter.id });
        return { report };
      },
      blockUser: ({ token, body }) => {
        const blocker = this.userOf(token);
        const { id, name } = this.mustGetAccount(body.userId);
        const user = { id, name };
        const others = (this.blocks.get(blocker.id) ?? []).filter((entry) => entry.user.id !== id);
        this.blocks.set(blocker.id, [{ user, createdAt: new Date().toISOString() }, ...others]);
        return { user };
      },
      unblockUser: ({ token, params }) => {
        const blocker = this.userOf(token);
        this.blocks.set(blocker.id, (this.blocks.get(blocker.id) ?? []).filter((entry) => entry.user.id !== params.userId));
        return undefined;
      },
      listBlockedUsers: ({ token }) => ({ users: this.blockedBy(this.userOf(token).id) }),
      listMyComments: ({ token, query }) => {
        const me = this.userOf(token);
        const mine = this.commentsBy(me.id).sort((a, b) => Number(b.comment.id) - Number(a.comment.id));
        const limit = Number(query.limit ?? limits.pageSizeDefault);
        const start = query.cursor ? mine.findIndex((s) => s.comment.id === query.cursor) + 1 : 0;
        const shown = mine.slice(start, start + limit);
        return {
          comments: shown.map((s) => ({ comment: s.comment, page: this.pageRef(s.site, s.page) })),
          nextCursor: start + limit < mine.length ? shown[shown.length - 1]!.comment.id : null,
        };
      },
      exportMyData: ({ token, query }) => {
        const me = this.userOf(token);
        return {
          exportedAt: new Date().toISOString(),
          site: query.site ?? 'default',
          account: { id: me.id, name: me.name, email: me.email, createdAt: '2026-01-01T00:00:00.000Z' },
          comments: this.commentsBy(me.id).map((s) => ({
            id: s.comment.id,
            page: this.pageRef(s.site, s.page),
            parentId: s.comment.parentId,
            source: s.source,
            status: s.comment.status,
            createdAt: s.comment.createdAt,
            editedAt: s.comment.editedAt,
          })),
          reports: this.reports.filter((r) => r.reporterId === me.id).map(({ reporterId: _, ...report }) => report),
          blocks: this.blocks.get(me.id) ?? [],
        };
      },
      deleteMyAccount: ({ token }) => {
        const me = this.userOf(token);
        for (const stored of this.commentsBy(me.id)) {
          stored.source = '';
          stored.comment = { ...stored.comment, status: 'deleted', author: null, html: '' };
        }
        for (const [other, userId] of this.sessions) if (userId === me.id) this.sessions.delete(other);
        this.accounts.splice(this.accounts.indexOf(me), 1);
        return undefined;
      },
      pinComment: ({ token, params, body }) => {
        this.moderator(token);
        const stored = this.mustGet(params.id);
        this.pinElsewhere(params.id, body.pinned);
        return { comment: stored.comment };
      },
      // The moderator's operations, for <parley-admin>: enough to answer, not a moderation queue.
      listModerationQueue: ({ token, query }) => {
        this.moderator(token);
        const status = { reported: 'published', pending: 'pending', removed: 'removed' }[query.queue];
        const items = [...this.store.values()]
          .filter((s) => s.comment.status === status && (query.queue !== 'reported' || this.reports.some((r) => r.commentId === s.comment.id)))
          .map((s) => ({
            comment: s.comment,
            author: s.comment.author ? { ...s.comment.author, ban: this.accounts.find((a) => a.id === s.comment.author?.id)?.ban ?? null } : null,
            page: this.pageRef(s.site, s.page),
            heldReason: null,
            removedReason: null,
            reports: [],
            reportDetails: [],
          }));
        return { items, nextCursor: null };
      },
      moderateComment: ({ token, params, body }) => {
        this.moderator(token);
        const stored = this.mustGet(params.id);
        if (body.action === 'remove') this.hide(params.id, 'removed');
        else this.approveElsewhere(params.id);
        return { comment: stored.comment };
      },
      banUser: ({ token, body }) => {
        this.moderator(token);
        const account = this.mustGetAccount(body.userId);
        const days = { '1d': 1, '7d': 7, '30d': 30, permanent: 0 }[body.duration];
        const expiresAt = days ? new Date(Date.now() + days * 86_400_000).toISOString() : null;
        account.ban = { reason: body.reason, expiresAt };
        return {
          ban: { user: { id: account.id, name: account.name }, reason: body.reason, expiresAt, createdAt: new Date().toISOString(), removedComments: 0 },
        };
      },
      unbanUser: ({ token, params }) => {
        this.moderator(token);
        this.mustGetAccount(params.userId).ban = null;
        return undefined;
      },
      listBans: ({ token }) => {
        this.moderator(token);
        const bans = this.accounts
          .filter((a) => a.ban)
          .map((a) => ({ user: { id: a.id, name: a.name }, reason: a.ban!.reason, expiresAt: a.ban!.expiresAt, createdAt: new Date().toISOString(), removedComments: 0 }));
        return { bans };
      },
      listAuditLog: ({ token }) => {
        this.moderator(token);
        return { entries: [], nextCursor: null };
      },
      getSiteSettings: ({ token }) => {
        this.moderator(token);
        return { settings: { ...this.settings, lockedPages: [...this.lockedPages].map((key) => key.split('|')[1]!) } };
      },
      updateSiteSettings: ({ token, body }) => {
        this.moderator(token);
        const { site: _, lockedPages, ...changes } = body;
        this.settings = { ...this.settings, ...changes };
        if (lockedPages) {
          this.lockedPages.clear();
          for (const page of lockedPages) this.lockedPages.add(`${body.site ?? 'default'}|${page}`);
        }
        return { settings: { ...this.settings, lockedPages: lockedPages ?? [] } };
      },
    };
    return (answers[operation] as (input: CallInput<K>) => RouteOutput<K>)(input);
  }

  private list(site: string, page: string, sort: Sort, limit: number, cursor: string | undefined, viewer: string | null): RouteOutput<'listComments'> {
    const onPage = [...this.store.values()]
      .filter((s) => s.site === site && s.page === page)
      .map((s) => this.viewOf(s.comment, viewer))
      .filter((c): c is Comment => c !== null);
    const order = (a: Comment, b: Comment) => (sort === 'oldest' ? Number(a.id) - Number(b.id) : Number(b.id) - Number(a.id));
    const roots = onPage.filter((c) => c.parentId === null).sort((a, b) => Number(b.pinned) - Number(a.pinned) || order(a, b));
    const start = cursor ? roots.findIndex((c) => c.id === cursor) + 1 : 0;
    const shown = roots.slice(start, start + limit);
    const comments: Comment[] = [];
    const withReplies = (comment: Comment) => {
      comments.push(comment);
      onPage
        .filter((c) => c.parentId === comment.id)
        .sort((a, b) => Number(a.id) - Number(b.id))
        .forEach(withReplies);
    };
    shown.forEach(withReplies);
    const more = start + limit < roots.length;
    return {
      comments,
      count: this.count(site, page),
      seq: this.seq,
      nextCursor: more ? shown[shown.length - 1]!.id : null,
      locked: this.lockedPages.has(`${site}|${page}`),
      moreReplies: shown.filter((c) => this.cutShort.has(c.id)).map((c) => c.id),
    };
  }

  /**
   * A comment as `viewer` sees it: their own held comments in full; someone
   * else's held or removed comment as a placeholder without author or body
   * when it has replies, and not at all otherwise.
   */
  private viewOf(comment: Comment, viewer: string | null): Comment | null {
    if (comment.status === 'published' || comment.status === 'deleted') return comment;
    if (comment.status === 'pending' && viewer && comment.author?.id === viewer) return comment;
    return this.hasReplies(comment.id) ? { ...comment, author: null, html: '' } : null;
  }

  private hasReplies(id: string): boolean {
    return [...this.store.values()].some((s) => s.comment.parentId === id);
  }

  /** Removal or hold by a moderator or by reports, with the event the room hears. */
  private hide(id: string, status: 'removed' | 'pending'): PageEventOf<'comment:updated'> | PageEventOf<'comment:deleted'> {
    const stored = this.mustGet(id);
    stored.comment = { ...stored.comment, status, pinned: false };
    if (this.hasReplies(id)) return this.updated(stored);
    return this.emit<PageEventOf<'comment:deleted'>>({ type: 'comment:deleted', site: stored.site, page: stored.page, id, mode: 'removed' });
  }

  /** The `comment:updated` event of a stored comment, as the room (nobody in particular) sees it. */
  private updated(stored: StoredComment): PageEventOf<'comment:updated'> {
    const comment = this.viewOf(stored.comment, null) ?? { ...stored.comment, author: null, html: '' };
    return this.emit<PageEventOf<'comment:updated'>>({ type: 'comment:updated', site: stored.site, page: stored.page, comment });
  }

  private commentsBy(userId: string): StoredComment[] {
    return [...this.store.values()].filter((s) => s.comment.author?.id === userId);
  }

  private pageRef(site: string, page: string): PageRef {
    return this.pageRefs.get(`${site}|${page}`) ?? { key: page, url: null, title: null };
  }

  private create(seed: SeedComment): StoredComment {
    const id = String(++this.lastId);
    const body = seed.body ?? `Comment ${id}`;
    const stored: StoredComment = {
      site: seed.site ?? 'default',
      page: seed.page ?? '/p',
      source: body,
      comment: {
        id,
        parentId: seed.parentId ?? null,
        author: seed.author ? { id: seed.author.id, name: seed.author.name } : null,
        html: `<p>${escapeHtml(body)}</p>`,
        status: seed.status ?? 'published',
        createdAt: seed.createdAt ?? new Date(Date.now() - 3_600_000).toISOString(),
        editedAt: seed.editedAt ?? null,
        pinned: seed.pinned ?? false,
      },
    };
    this.store.set(id, stored);
    return stored;
  }

  private rewrite(stored: StoredComment, body: string): void {
    stored.source = body;
    stored.comment = { ...stored.comment, html: `<p>${escapeHtml(body)}</p>`, editedAt: new Date().toISOString() };
  }

  private deleteFromStore(id: string): 'removed' | 'tombstoned' {
    const stored = this.mustGet(id);
    const hasReplies = [...this.store.values()].some((s) => s.comment.parentId === id);
    if (!hasReplies) {
      this.store.delete(id);
      return 'removed';
    }
    stored.comment = { ...stored.comment, status: 'deleted', author: null, html: '' };
    return 'tombstoned';
  }

  private emit<E extends PageEvent = PageEvent>(event: Unsequenced<E>): E {
    // Adding back the two omitted fields restores E; TypeScript cannot follow that through the conditional type.
    return { ...event, seq: ++this.seq, count: this.count(event.site, event.page) } as unknown as E;
  }

  /** The protocol's types let a client leave `site` out; the server refuses that. */
  private siteOf(query: { site?: string }): string {
    if (!query.site) throw serverError('validation_failed', { status: 400, fields: { site: 'Required' } });
    return query.site;
  }

  private mustGet(id: string): StoredComment {
    const stored = this.store.get(id);
    if (!stored) throw serverError('comment_not_found', { status: 404 });
    return stored;
  }

  private openSession(userId: string): string {
    const token = `token-${++this.lastToken}`;
    this.sessions.set(token, userId);
    return token;
  }

  private sessionFor(userId: string): RouteOutput<'signIn'> {
    const token = this.openSession(userId);
    const account = this.accounts.find((a) => a.id === userId)!;
    return { token, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), user: toMe(account) };
  }

  private userOf(token: string | null | undefined): Account {
    const userId = token ? this.sessions.get(token) : undefined;
    const account = this.accounts.find((a) => a.id === userId);
    if (!account) throw serverError('unauthenticated', { status: 401 });
    return account;
  }

  /** The viewer of a public route: a token the server does not know identifies nobody. */
  private viewerOf(token: string | null | undefined): string | null {
    return (token && this.sessions.get(token)) || null;
  }

  private moderator(token: string | null | undefined): Account {
    const account = this.userOf(token);
    if (account.role !== 'moderator') throw serverError('forbidden', { status: 403 });
    return account;
  }

  private mustGetAccount(id: string): Account {
    const account = this.accounts.find((a) => a.id === id);
    if (!account) throw serverError('user_not_found', { status: 404 });
    return account;
  }
}

function toMe({ id, name, email, role, ban }: Account | Me): Me {
  return { id, name, email, role, ban };
}

/**
 * A RealtimeClient driven by the test: {@link push} delivers events to the
 * subscribers of their page, {@link setStatus} flips the connection.
 */
export class FakeRealtime implements RealtimeClient {
  status: ConnectionStatus = 'online';
  private readonly subscriptions = new Set<{ site: string; page: string; sub: PageSubscription }>();

  /** Whether anyone listens to live updates right now. */
  get subscribed(): boolean {
    return this.subscriptions.size > 0;
  }

  subscribe(site: string, page: string, sub: PageSubscription): () => void {
    const entry = { site, page, sub };
    this.subscriptions.add(entry);
    sub.onStatus(this.status);
    return () => this.subscriptions.delete(entry);
  }

  /** Delivers events in the order given, as a socket would. */
  push(...events: PageEvent[]): void {
    for (const event of events) {
      for (const { site, page, sub } of this.subscriptions) {
        if (site === event.site && page === event.page) sub.onEvent(event);
      }
    }
  }

  /** Tells subscribers the server no longer has the events they missed. */
  reload(): void {
    for (const { sub } of this.subscriptions) sub.onReload();
  }

  setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const { sub } of this.subscriptions) sub.onStatus(status);
  }
}
