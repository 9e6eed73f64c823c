import type { Comment, OwnComment, PageEvent, PublicUser, Sort } from '@parley/protocol';
import { ApiError, type ParleyApi } from '../api/api-client.js';
import type { ConnectionStatus, RealtimeClient } from '../api/realtime.js';
import { Observable } from '../lib/observable.js';
import type { SessionState } from './session-state.js';

export interface ThreadOptions {
  api: ParleyApi;
  session: SessionState;
  site: string;
  page: string;
  sort: Sort;
  pageUrl?: string;
  pageTitle?: string;
  pageSize?: number;
}

/** How long a comment that arrived live stays highlighted. */
const FRESH_MS = 4000;

const byId = (sort: Sort) => (a: string, b: string) =>
  sort === 'oldest' ? Number(a) - Number(b) : Number(b) - Number(a);

/**
 * One page's thread as the reader sees it: the comments loaded so far, the
 * count, whether the page is locked, the last event applied, and the actions
 * on them. Live events are applied strictly in `seq` order; one that arrives
 * early waits for the gap to fill, and one already applied is dropped, so
 * each shows exactly once. A comment that arrives again (approved, restored)
 * replaces the one shown.
 */
export class ThreadState extends Observable {
  status: 'loading' | 'ready' | 'error' = 'loading';
  error: ApiError | null = null;
  count = 0;
  seq = 0;
  nextCursor: string | null = null;
  loadingMore = false;
  loadMoreError: ApiError | null = null;
  connection: ConnectionStatus | 'idle' = 'idle';
  /** Comments are closed on this page: no composer, no replies. */
  locked = false;
  /**
   * A comment to bring into view (a permalink), set by {@link focusOn}; the
   * element showing it scrolls to it and calls {@link targetReached}.
   */
  target: string | null = null;
  /** Updated every half minute so relative times move on. */
  now = new Date();

  readonly options: Readonly<ThreadOptions>;
  private readonly comments = new Map<string, Comment>();
  private readonly children = new Map<string | null, string[]>();
  /** @internal Markdown sources of comments, for editing (./thread-writes.ts). */
  readonly sources = new Map<string, string>();
  private readonly fresh = new Set<string>();
  /** Top-level comments the server sent only some replies of (`moreReplies`). */
  private readonly cutShort = new Set<string>();
  /** Comments of blocked users the reader chose to show. */
  private readonly revealed = new Set<string>();
  private pendingMore: Promise<void> | null = null;
  private readonly early = new Map<number, PageEvent>();
  private loadToken = 0;

  constructor(options: ThreadOptions) {
    super();
    this.options = { pageSize: 20, ...options };
  }

  get site(): string {
    return this.options.site;
  }

  get page(): string {
    return this.options.page;
  }

  /** Top-level comments in display order: the pinned one first. */
  get roots(): Comment[] {
    const roots = this.list(null);
    return [...roots.filter((c) => c.pinned), ...roots.filter((c) => !c.pinned)];
  }

  repliesOf(id: string): Comment[] {
    return this.list(id);
  }

  get(id: string): Comment | undefined {
    return this.comments.get(id);
  }

  isFresh(id: string): boolean {
    return this.fresh.has(id);
  }

  /** Whether the server left some replies of top-level comment `id` out, having too many to send at once. */
  hasMoreReplies(id: string): boolean {
    return this.cutShort.has(id);
  }

  /**
   * The author of `comment` when the reader blocked them and has not chosen
   * to show this comment: it collapses to "You blocked NAME.". Null otherwise.
   */
  blockedAuthor(comment: Comment): PublicUser | null {
    const author = comment.author;
    if (!author || this.revealed.has(comment.id) || !this.options.session.isBlocked(author.id)) return null;
    return author;
  }

  /** Shows one collapsed comment of a blocked user. */
  reveal(id: string): void {
    this.revealed.add(id);
    this.notify();
  }

  /** Loads the first page of the thread, replacing what was there. */
  async load(): Promise<void> {
    const token = ++this.loadToken;
    // A reload (after signing in or out) keeps the thread on screen until the new one is in.
    if (this.status !== 'ready') this.status = 'loading';
    this.error = null;
    this.notify();
    try {
      // The blocked users come with the first paint, so their comments never flash up.
      const [thread] = await Promise.all([this.fetchPage({}), this.options.session.loadBlocked()]);
      if (token !== this.loadToken) return;
      this.comments.clear();
      this.children.clear();
      this.cutShort.clear();
      for (const comment of thread.comments) this.insert(comment);
      // Absent from a server older than the field.
      for (const id of thread.moreReplies ?? []) this.cutShort.add(id);
      this.count = thread.count;
      this.seq = thread.seq;
      this.nextCursor = thread.nextCursor;
      this.locked = thread.locked;
      this.status = 'ready';
      // Live events that arrived while reloading and are newer than the reload still count.
      this.drainEarly();
    } catch (error) {
      if (token !== this.loadToken) return;
      this.status = 'error';
      this.error = toApiError(error);
    }
    this.notify();
  }

  /** Loads the next page; while one is on its way, waits for that one instead. */
  loadMore(): Promise<void> {
    if (!this.nextCursor) return Promise.resolve();
    this.pendingMore ??= this.fetchMore(this.nextCursor).finally(() => (this.pendingMore = null));
    return this.pendingMore;
  }

  private async fetchMore(cursor: string): Promise<void> {
    this.loadingMore = true;
    this.loadMoreError = null;
    this.notify();
    try {
      const thread = await this.fetchPage({ cursor });
      for (const comment of thread.comments) if (!this.comments.has(comment.id)) this.insert(comment);
      for (const id of thread.moreReplies ?? []) this.cutShort.add(id);
      this.nextCursor = thread.nextCursor;
    } catch (error) {
      this.loadMoreError = toApiError(error);
    }
    this.loadingMore = false;
    this.notify();
  }

  /**
   * One page of the thread. With the reader's token the server adds their own
   * held comments; a token it no longer knows signs the reader out, and the
   * page is asked for again without it.
   */
  private async fetchPage({ cursor }: { cursor?: string }) {
    const query = { site: this.site, page: this.page, sort: this.options.sort, limit: this.options.pageSize, ...(cursor ? { cursor } : {}) };
    const token = this.options.session.token;
    try {
      return await this.options.api.call('listComments', { query, token });
    } catch (error) {
      if (!token || !(error instanceof ApiError) || error.code !== 'unauthenticated') throw error;
      this.options.session.expire();
      return this.options.api.call('listComments', { query });
    }
  }

  /**
   * @internal Makes comment `id`, loaded, the {@link target} and highlights
   * it (a permalink; see ./permalinks.ts).
   */
  focusOn(id: string): void {
    this.revealed.add(id);
    this.target = id;
    this.markFresh(id);
    this.notify();
  }

  /** The element showing {@link target} has brought it into view. */
  targetReached(): void {
    this.target = null;
  }

  /** Starts live updates; call after the first load so the thread paints first. */
  connect(realtime: RealtimeClient): () => void {
    return realtime.subscribe(this.site, this.page, {
      since: () => this.seq,
      onEvent: (event) => this.apply(event),
      onStatus: (status) => this.setConnection(status),
      onReload: () => void this.load(),
    });
  }

  /** The live connection's state, shown as "Connection lost" while `offline`. */
  setConnection(status: ConnectionStatus): void {
    this.connection = status;
    this.notify();
  }

  /** Applies a live event in seq order; see the class comment. */
  apply(event: PageEvent): void {
    if (event.seq <= this.seq) return;
    if (event.seq > this.seq + 1) {
      this.early.set(event.seq, event);
      return;
    }
    this.applyOne(event);
    this.drainEarly();
    this.notify();
  }

  /** Applies buffered events that now follow on, and forgets those already covered. */
  private drainEarly(): void {
    for (let next = this.early.get(this.seq + 1); next; next = this.early.get(this.seq + 1)) {
      this.early.delete(next.seq);
      this.applyOne(next);
    }
    for (const seq of this.early.keys()) if (seq <= this.seq) this.early.delete(seq);
  }

  /*
   * The reader's writes (post, edit, delete, report, pin) are functions of
   * ./thread-writes.ts, which the script-tag bundle loads after the first
   * paint; these are what they tell the thread.
   */

  /** @internal The reader's own comment as the server answered a post or an edit, and the count as of that write. */
  acceptOwn(comment: OwnComment, count: number, seq: number): Comment {
    const { source, ...shown } = comment;
    this.sources.set(comment.id, source);
    // A held comment (pending) is shown to its author only, marked "Awaiting moderation".
    this.upsert(shown);
    if (seq > this.seq) this.count = count;
    this.notify();
    return shown;
  }

  /** @internal A comment a moderator just pinned or unpinned. */
  acceptPin(comment: Comment): void {
    // One pinned comment per page: pinning this one unpinned the other. Its event follows.
    if (comment.pinned) this.unpinAllBut(comment.id);
    this.upsert(comment);
    this.notify();
  }

  /** @internal The reader's comment was deleted. */
  acceptDeletion(id: string, mode: 'removed' | 'tombstoned', count: number, seq: number): void {
    this.applyDeletion(id, mode);
    if (seq > this.seq) this.count = count;
    this.notify();
  }

  /** @internal A write was refused because comments are closed here. */
  markLocked(): void {
    this.locked = true;
    this.notify();
  }

  tick(now = new Date()): void {
    this.now = now;
    this.notify();
  }

  private applyOne(event: PageEvent): void {
    this.seq = event.seq;
    this.count = event.count;
    switch (event.type) {
      case 'comment:created': {
        // Also a comment approved or restored by a moderator, which may be shown already.
        const known = this.comments.has(event.comment.id);
        this.upsert(event.comment);
        if (!known && event.comment.author?.id !== this.options.session.user?.id) this.markFresh(event.comment.id);
        break;
      }
      case 'comment:updated':
        if (this.comments.has(event.comment.id)) this.upsert(event.comment);
        this.sources.delete(event.comment.id);
        break;
      case 'comment:deleted':
        this.applyDeletion(event.id, event.mode);
        break;
      case 'page:updated':
        this.locked = event.locked;
        break;
    }
  }

  /** Replaces a comment shown already, in its place; adds one that is not. */
  private upsert(comment: Comment): void {
    const shown = this.comments.get(comment.id);
    if (!shown) {
      this.insert(comment);
      return;
    }
    this.comments.set(comment.id, this.keepOwnHeld(shown, comment));
  }

  /**
   * The room hears of a comment held for review without its author or body;
   * its author keeps seeing their own, marked "Awaiting moderation", as the
   * server shows it to them on reload.
   */
  private keepOwnHeld(shown: Comment, incoming: Comment): Comment {
    const me = this.options.session.user;
    if (incoming.status !== 'pending' || incoming.author || !me || shown.author?.id !== me.id) return incoming;
    return { ...incoming, author: shown.author, html: shown.html };
  }

  private unpinAllBut(id: string): void {
    for (const [otherId, other] of this.comments) {
      if (otherId !== id && other.pinned) this.comments.set(otherId, { ...other, pinned: false });
    }
  }

  private applyDeletion(id: string, mode: 'removed' | 'tombstoned'): void {
    const comment = this.comments.get(id);
    if (!comment) return;
    this.sources.delete(id);
    if (mode === 'tombstoned') {
      this.comments.set(id, { ...comment, status: 'deleted', author: null, html: '' });
      return;
    }
    this.comments.delete(id);
    const siblings = this.children.get(comment.parentId);
    if (siblings) this.children.set(comment.parentId, siblings.filter((other) => other !== id));
  }

  /** Adds a comment under its parent in order; one whose parent is not loaded is left out. */
  private insert(comment: Comment): void {
    if (comment.parentId !== null && !this.comments.has(comment.parentId)) return;
    this.comments.set(comment.id, comment);
    const order = comment.parentId === null ? byId(this.options.sort) : byId('oldest');
    const siblings = this.children.get(comment.parentId) ?? [];
    const at = siblings.findIndex((other) => order(comment.id, other) < 0);
    if (at === -1) siblings.push(comment.id);
    else siblings.splice(at, 0, comment.id);
    this.children.set(comment.parentId, siblings);
  }

  private list(parentId: string | null): Comment[] {
    return (this.children.get(parentId) ?? []).map((id) => this.comments.get(id)).filter((c): c is Comment => !!c);
  }

  private markFresh(id: string): void {
    this.fresh.add(id);
    setTimeout(() => {
      this.fresh.delete(id);
      this.notify();
    }, FRESH_MS);
  }
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('internal_error', { message: (error as Error)?.message });
}
