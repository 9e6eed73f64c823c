/**
 * Fakes for `<parley-admin>`: a server that knows accounts with a role per
 * site and one site's moderation data, and a moderation room the test drives.
 * Separate from fake-api.ts, which serves the reader's widget.
 */
import type {
  AuditEntry,
  Ban,
  BanInfo,
  Me,
  ModerationChangedEvent,
  OperationId,
  Queue,
  QueueItem,
  ReportReason,
  Role,
  RouteOutput,
  SiteSettings,
} from '@parley/protocol';
import type { CallInput, ParleyApi } from '../api/api-client.js';
import type { ConnectionStatus } from '../api/realtime.js';
import type { JoinRefusal, ModerationRealtime, ModerationSubscription } from '../admin/moderation-realtime.js';
import { serverError } from './fake-api.js';

/** One request the admin made, as it made it. */
export interface ModerationCall {
  operation: OperationId;
  input: CallInput<OperationId>;
}

interface ModerationAccount {
  id: string;
  name: string;
  email: string;
  password: string;
  /** Role per site id; `commenter` where not listed. */
  roles: Record<string, Role>;
}

export interface SeedQueueItem {
  author?: Me | { id: string; name: string } | null;
  body?: string;
  page?: { key: string; url?: string | null; title?: string | null };
  createdAt?: string;
  reports?: { reason: ReportReason; count: number }[];
  reportDetails?: { reason: ReportReason; details: string }[];
  heldReason?: string | null;
  removedReason?: string | null;
}

type Answer<K extends OperationId> = (input: CallInput<K>) => RouteOutput<K> | Promise<RouteOutput<K>>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const durationDays: Record<string, number | null> = { '1d': 1, '7d': 7, '30d': 30, permanent: null };

/**
 * A ParleyApi for the admin: sign-in, `getMe` with the role on the asked
 * site, and the moderation routes of one site (`default` unless told),
 * refusing anyone who is not its moderator the way the server does. Every
 * call is recorded; {@link failNext} and {@link answerNext} decide the fate
 * of the next call to an operation.
 */
export class FakeModerationApi implements ParleyApi {
  readonly server: string;
  readonly site: string;
  readonly calls: ModerationCall[] = [];
  readonly queues: Record<Queue, QueueItem[]> = { reported: [], pending: [], removed: [] };
  /** Newest first, as the server lists it. */
  readonly audit: AuditEntry[] = [];
  readonly bans = new Map<string, Ban>();
  settings: SiteSettings = { premoderation: 'off', reportThreshold: 3, bannedWords: [], editWindowMinutes: 15, lockedPages: [] };

  private readonly accounts: ModerationAccount[] = [];
  private readonly sessions = new Map<string, string>();
  private readonly next = new Map<OperationId, Answer<OperationId>[]>();
  private lastId = 0;
  private lastToken = 0;

  constructor(options: { server?: string; site?: string } = {}) {
    this.server = options.server ?? 'http://parley.test';
    this.site = options.site ?? 'default';
  }

  /** The calls made to one operation, oldest first. */
  callsTo<K extends OperationId>(operation: K): CallInput<K>[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.input as CallInput<K>);
  }

  /** Adds an account; `moderatorOf` lists the sites it moderates. */
  addUser(user: { name: string; email?: string; password?: string; moderatorOf?: string[] }): Me {
    const roles: Record<string, Role> = {};
    for (const site of user.moderatorOf ?? []) roles[site] = 'moderator';
    const account: ModerationAccount = {
      id: String(this.accounts.length + 1),
      name: user.name,
      email: user.email ?? `${user.name.toLowerCase()}@example.com`,
      password: user.password ?? 'correct horse',
      roles,
    };
    this.accounts.push(account);
    return this.meOf(account, this.site);
  }

  /** Signs `user` in the way an earlier visit would have: a token in localStorage where the widget looks. */
  seedSession(user: Me): string {
    const token = this.openSession(user.id);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    localStorage.setItem(`parley:session:${this.server}`, JSON.stringify({ token, expiresAt, user }));
    return token;
  }

  /** Puts a comment in a queue, newest on top; returns it as listed. */
  addItem(queue: Queue, seed: SeedQueueItem = {}): QueueItem {
    const id = String(++this.lastId + 100);
    const body = seed.body ?? `Comment ${id}`;
    const author = seed.author === null ? null : (seed.author ?? { id: '99', name: 'Someone' });
    const status = queue === 'removed' ? 'removed' : queue === 'pending' ? 'pending' : 'published';
    const item: QueueItem = {
      comment: {
        id,
        parentId: null,
        author: author ? { id: author.id, name: author.name } : null,
        html: `<p>${escapeHtml(body)}</p>`,
        status,
        createdAt: seed.createdAt ?? new Date(Date.now() - 2 * 3_600_000).toISOString(),
        editedAt: null,
        pinned: false,
      },
      author: author ? { id: author.id, name: author.name, ban: this.banInfo(author.id) } : null,
      page: { key: seed.page?.key ?? '/p', url: seed.page?.url === undefined ? 'http://host.test/p' : seed.page.url, title: seed.page?.title === undefined ? 'A page' : seed.page.title },
      heldReason: seed.heldReason ?? (queue === 'pending' ? 'Pre-moderation' : null),
      removedReason: seed.removedReason ?? (queue === 'removed' ? 'Spam' : null),
      reports: seed.reports ?? (queue === 'reported' ? [{ reason: 'spam', count: 1 }] : []),
      reportDetails: (seed.reportDetails ?? []).map((report) => ({ ...report, createdAt: new Date().toISOString() })),
    };
    this.queues[queue].unshift(item);
    return item;
  }

  /** Adds an audit entry, newest on top. */
  addAudit(entry: Partial<AuditEntry> & { action: string }): AuditEntry {
    const full: AuditEntry = {
      id: String(++this.lastId + 1000),
      actor: null,
      targetType: 'comment',
      targetId: '1',
      targetLabel: 'a comment',
      reason: null,
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      ...entry,
    };
    this.audit.unshift(full);
    return full;
  }

  /** Bans a user as another moderator would have. */
  addBan(user: { id: string; name: string }, ban: { reason?: string; expiresAt?: string | null } = {}): Ban {
    const record: Ban = {
      user: { id: user.id, name: user.name },
      reason: ban.reason ?? 'Spam',
      expiresAt: ban.expiresAt === undefined ? null : ban.expiresAt,
      createdAt: new Date().toISOString(),
      removedComments: 0,
    };
    this.bans.set(user.id, record);
    this.applyBan(user.id);
    return record;
  }

  /** Takes an item out of every queue, as another moderator acting on it would. */
  takeOut(commentId: string): void {
    for (const queue of Object.keys(this.queues) as Queue[]) this.queues[queue] = this.queues[queue].filter((item) => item.comment.id !== commentId);
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

  async call<K extends OperationId>(operation: K, input: CallInput<K>): Promise<RouteOutput<K>> {
    this.calls.push({ operation, input: input as CallInput<OperationId> });
    const override = this.next.get(operation)?.shift();
    // A real request never answers in the same task; neither does the fake.
    await Promise.resolve();
    if (override) return (await override(input as CallInput<OperationId>)) as RouteOutput<K>;
    return this.answer(operation, input);
  }

  private answer<K extends OperationId>(operation: K, input: CallInput<K>): RouteOutput<K> {
    // Each entry builds the output of its own operation; the cast joins them back to K.
    const answers: { [Op in OperationId]?: (input: CallInput<Op>) => RouteOutput<Op> } = {
      signIn: ({ body }) => {
        const account = this.accounts.find((a) => a.email === body.email && a.password === body.password);
        if (!account) throw serverError('invalid_credentials', { status: 401 });
        const token = this.openSession(account.id);
        return { token, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), user: this.meOf(account, body.site ?? this.site) };
      },
      signOut: ({ token }) => {
        if (token) this.sessions.delete(token);
        return undefined;
      },
      getMe: ({ token, query }) => ({ user: this.meOf(this.userOf(token), query.site ?? this.site) }),
      listModerationQueue: ({ token, query }) => {
        this.moderator(token, query.site);
        const { items, nextCursor } = this.page(this.queues[query.queue], (item) => item.comment.id, query.cursor, query.limit);
        return { items, nextCursor };
      },
      moderateComment: ({ token, params, body }) => {
        const actor = this.moderator(token, body.site);
        const found = (Object.keys(this.queues) as Queue[]).flatMap((queue) => this.queues[queue].filter((i) => i.comment.id === params.id));
        const item = found[0];
        if (!item) throw serverError('comment_not_found', { status: 404 });
        if (body.action === 'remove' && !body.reason) {
          throw serverError('validation_failed', { status: 400, message: 'A reason is required to remove.', fields: { reason: 'A reason is required to remove.' } });
        }
        this.takeOut(params.id);
        const status = body.action === 'remove' ? 'removed' : 'published';
        if (body.action === 'remove') this.queues.removed.unshift({ ...item, comment: { ...item.comment, status }, removedReason: body.reason ?? null, reports: [], reportDetails: [] });
        this.log(actor, body.action, 'comment', params.id, item.comment.html, body.reason ?? null);
        return { comment: { ...item.comment, status } };
      },
      banUser: ({ token, body }) => {
        const actor = this.moderator(token, body.site);
        const user = this.accounts.find((a) => a.id === body.userId) ?? this.authorById(body.userId);
        if (!user) throw serverError('user_not_found', { status: 404 });
        const days = durationDays[body.duration] ?? null;
        const ban = this.addBan(user, { reason: body.reason, expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString() });
        if (body.removeComments) {
          for (const queue of ['reported', 'pending'] as const) {
            const theirs = this.queues[queue].filter((item) => item.author?.id === body.userId);
            this.queues[queue] = this.queues[queue].filter((item) => item.author?.id !== body.userId);
            this.queues.removed.unshift(...theirs.map((item) => ({ ...item, removedReason: body.reason })));
          }
        }
        this.log(actor, 'ban', 'user', body.userId, user.name, body.reason);
        return { ban };
      },
      unbanUser: ({ token, params, query }) => {
        const actor = this.moderator(token, query.site);
        this.bans.delete(params.userId);
        this.applyBan(params.userId);
        this.log(actor, 'unban', 'user', params.userId, params.userId, null);
        return undefined;
      },
      listBans: ({ token, query }) => {
        this.moderator(token, query.site);
        return { bans: [...this.bans.values()] };
      },
      listAuditLog: ({ token, query }) => {
        this.moderator(token, query.site);
        const { items, nextCursor } = this.page(this.audit, (entry) => entry.id, query.cursor, query.limit);
        return { entries: items, nextCursor };
      },
      getSiteSettings: ({ token, query }) => {
        this.moderator(token, query.site);
        return { settings: this.settings };
      },
      updateSiteSettings: ({ token, body }) => {
        const actor = this.moderator(token, body.site);
        const { site: _site, ...changes } = body;
        const fields: Record<string, string> = {};
        const whole = (value: unknown, min: number, max: number) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
        if (changes.reportThreshold !== undefined && !whole(changes.reportThreshold, 1, 100)) fields.reportThreshold = 'Must be a whole number from 1 to 100.';
        if (changes.editWindowMinutes !== undefined && !whole(changes.editWindowMinutes, 0, 525_600)) fields.editWindowMinutes = 'Must be a whole number of minutes, 0 or more.';
        const badWord = (changes.bannedWords ?? []).findIndex((word) => word.length > 100);
        if (badWord >= 0) fields[`bannedWords.${badWord}`] = 'Too long: at most 100 characters.';
        if (Object.keys(fields).length) throw serverError('validation_failed', { status: 400, message: Object.values(fields)[0], fields });
        this.settings = { ...this.settings, ...changes } as SiteSettings;
        this.log(actor, 'settings', 'site', this.site, this.site, null);
        return { settings: this.settings };
      },
    };
    const handler = answers[operation] as ((input: CallInput<K>) => RouteOutput<K>) | undefined;
    if (!handler) throw serverError('not_found', { status: 404, message: `The fake does not answer ${operation}.` });
    return handler(input);
  }

  private page<T>(all: T[], idOf: (item: T) => string, cursor: string | undefined, limitInput: unknown): { items: T[]; nextCursor: string | null } {
    const limit = Number(limitInput ?? 20);
    const start = cursor ? all.findIndex((item) => idOf(item) === cursor) + 1 : 0;
    const items = all.slice(start, start + limit);
    return { items, nextCursor: start + limit < all.length ? idOf(items[items.length - 1]!) : null };
  }

  private log(actor: ModerationAccount, action: string, targetType: AuditEntry['targetType'], targetId: string, targetLabel: string, reason: string | null): void {
    this.addAudit({ actor: { id: actor.id, name: actor.name }, action, targetType, targetId, targetLabel, reason, createdAt: new Date().toISOString() });
  }

  private banInfo(userId: string): BanInfo | null {
    const ban = this.bans.get(userId);
    return ban ? { reason: ban.reason, expiresAt: ban.expiresAt } : null;
  }

  private applyBan(userId: string): void {
    const ban = this.banInfo(userId);
    for (const queue of Object.keys(this.queues) as Queue[]) {
      this.queues[queue] = this.queues[queue].map((item) => (item.author?.id === userId ? { ...item, author: { ...item.author, ban } } : item));
    }
  }

  private authorById(userId: string): { id: string; name: string } | undefined {
    for (const items of Object.values(this.queues)) {
      const author = items.find((item) => item.author?.id === userId)?.author;
      if (author) return { id: author.id, name: author.name };
    }
    return undefined;
  }

  private meOf(account: ModerationAccount, site: string): Me {
    return { id: account.id, name: account.name, email: account.email, role: account.roles[site] ?? 'commenter', ban: null };
  }

  private openSession(userId: string): string {
    const token = `token-${++this.lastToken}`;
    this.sessions.set(token, userId);
    return token;
  }

  private userOf(token: string | null | undefined): ModerationAccount {
    const userId = token ? this.sessions.get(token) : undefined;
    const account = this.accounts.find((a) => a.id === userId);
    if (!account) throw serverError('unauthenticated', { status: 401 });
    return account;
  }

  /** The signed-in moderator of `site`; 401 signed out, 403 otherwise, as the server answers. */
  private moderator(token: string | null | undefined, site: string | undefined): ModerationAccount {
    const account = this.userOf(token);
    if (account.roles[site ?? this.site] !== 'moderator') throw serverError('forbidden', { status: 403 });
    return account;
  }
}

/**
 * A ModerationRealtime driven by the test: {@link change} delivers a
 * `moderation:changed` to the subscribers of its site, {@link setStatus}
 * flips the connection, {@link refuse} turns a join down.
 */
export class FakeModerationRealtime implements ModerationRealtime {
  status: ConnectionStatus = 'online';
  /** Every join, as the server would have received it. */
  readonly joins: { site: string; token: string }[] = [];
  private readonly subscriptions = new Set<{ site: string; sub: ModerationSubscription }>();

  /** Whether an admin follows the moderation room right now. */
  get subscribed(): boolean {
    return this.subscriptions.size > 0;
  }

  subscribe(site: string, token: string, sub: ModerationSubscription): () => void {
    const entry = { site, sub };
    this.subscriptions.add(entry);
    this.joins.push({ site, token });
    sub.onStatus(this.status);
    return () => this.subscriptions.delete(entry);
  }

  /** Delivers a change to the subscribers of `event.site`, as the server's room would. */
  change(event: Partial<ModerationChangedEvent> = {}): void {
    const full: ModerationChangedEvent = { site: 'default', change: 'reported', commentId: null, ...event };
    for (const { site, sub } of this.subscriptions) if (site === full.site) sub.onChange(full);
  }

  setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const { sub } of this.subscriptions) sub.onStatus(status);
  }

  refuse(error: JoinRefusal): void {
    for (const entry of this.subscriptions) {
      this.subscriptions.delete(entry);
      entry.sub.onRefused(error);
    }
  }
}
