import type { Comment, Me, OperationId, PageEvent, PageEventOf, RouteOutput, Sort } from '@parley/protocol';
import { limits } from '@parley/protocol/client';
import { ApiError, type CallInput, type ParleyApi } from '../api/api-client.js';
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
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * A ParleyApi that answers from memory, the way the server would: accounts,
 * sessions, one page's comments with a running `count` and `seq`. Every call
 * is recorded in {@link calls}; {@link failNext} and {@link holdNext} let a
 * test decide the fate of the next call to an operation.
 */
export class FakeApi implements ParleyApi {
  readonly server: string;
  readonly calls: RecordedCall[] = [];
  /** The page's event sequence number, as `listComments` reports it. */
  seq = 0;

  private readonly accounts: Account[] = [];
  private readonly sessions = new Map<string, string>();
  private readonly store = new Map<string, StoredComment>();
  private readonly next = new Map<OperationId, Answer<OperationId>[]>();
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
  addUser(user: { name: string; email: string; password?: string; role?: Me['role'] }): Me {
    const account: Account = {
      id: String(this.accounts.length + 1),
      name: user.name,
      email: user.email,
      role: user.role ?? 'commenter',
      password: user.password ?? 'correct horse',
    };
    this.accounts.push(account);
    return toMe(account);
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

  /** Deletes a comment as a moderator elsewhere would, returning the event. */
  removeElsewhere(id: string): PageEventOf<'comment:deleted'> {
    const stored = this.mustGet(id);
    const mode = this.deleteFromStore(id);
    return this.emit<PageEventOf<'comment:deleted'>>({ type: 'comment:deleted', site: stored.site, page: stored.page, id, mode });
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
  failNext(operation: OperationId, error: Error = new ApiError('network_error')): void {
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
          throw new ApiError('validation_failed', {
            status: 400,
            message: `Password must be at least ${limits.passwordMin} characters.`,
            fields: { password: `Password must be at least ${limits.passwordMin} characters.` },
          });
        }
        if (this.accounts.some((a) => a.email === body.email)) throw new ApiError('email_taken', { status: 409 });
        const user = this.addUser({ name: body.name, email: body.email, password: body.password });
        return this.sessionFor(user.id);
      },
      signIn: ({ body }) => {
        const account = this.accounts.find((a) => a.email === body.email && a.password === body.password);
        if (!account) throw new ApiError('invalid_credentials', { status: 401 });
        return this.sessionFor(account.id);
      },
      signOut: ({ token }) => {
        if (token) this.sessions.delete(token);
        return undefined;
      },
      getMe: ({ token }) => ({ user: toMe(this.userOf(token)) }),
      listComments: ({ query }) => this.list(this.siteOf(query), query.page, query.sort ?? 'newest', Number(query.limit ?? limits.pageSizeDefault), query.cursor),
      getComment: ({ params }) => {
        const stored = this.mustGet(params.id);
        return { comment: { ...stored.comment, source: stored.source } };
      },
      createComment: ({ token, body }) => {
        const author = this.userOf(token);
        if (body.parentId && !this.store.has(body.parentId)) throw new ApiError('parent_not_found', { status: 404 });
        const stored = this.create({ author: toMe(author), parentId: body.parentId ?? null, body: body.body, site: body.site, page: body.page });
        const event = this.emit({ type: 'comment:created', site: stored.site, page: stored.page, comment: stored.comment });
        return { comment: { ...stored.comment, source: stored.source }, count: event.count, seq: event.seq };
      },
      updateComment: ({ token, params, body }) => {
        const stored = this.mustGet(params.id);
        if (stored.comment.author?.id !== this.userOf(token).id) throw new ApiError('forbidden', { status: 403 });
        this.rewrite(stored, body.body);
        const event = this.emit({ type: 'comment:updated', site: stored.site, page: stored.page, comment: stored.comment });
        return { comment: { ...stored.comment, source: stored.source }, count: event.count, seq: event.seq };
      },
      deleteComment: ({ token, params }) => {
        const stored = this.mustGet(params.id);
        if (stored.comment.author?.id !== this.userOf(token).id) throw new ApiError('forbidden', { status: 403 });
        const mode = this.deleteFromStore(params.id);
        const event = this.emit({ type: 'comment:deleted', site: stored.site, page: stored.page, id: params.id, mode });
        return { id: params.id, mode, count: event.count, seq: event.seq };
      },
    };
    return (answers[operation] as (input: CallInput<K>) => RouteOutput<K>)(input);
  }

  private list(site: string, page: string, sort: Sort, limit: number, cursor?: string): RouteOutput<'listComments'> {
    const onPage = [...this.store.values()].filter((s) => s.site === site && s.page === page).map((s) => s.comment);
    const roots = onPage
      .filter((c) => c.parentId === null)
      .sort((a, b) => (sort === 'oldest' ? Number(a.id) - Number(b.id) : Number(b.id) - Number(a.id)));
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
    return { comments, count: this.count(site, page), seq: this.seq, nextCursor: more ? shown[shown.length - 1]!.id : null };
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
        status: 'published',
        createdAt: seed.createdAt ?? new Date(Date.now() - 3_600_000).toISOString(),
        editedAt: seed.editedAt ?? null,
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
    if (!query.site) throw new ApiError('validation_failed', { status: 400, fields: { site: 'Required' } });
    return query.site;
  }

  private mustGet(id: string): StoredComment {
    const stored = this.store.get(id);
    if (!stored) throw new ApiError('comment_not_found', { status: 404 });
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
    if (!account) throw new ApiError('unauthenticated', { status: 401 });
    return account;
  }
}

function toMe({ id, name, email, role }: Account | Me): Me {
  return { id, name, email, role };
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
