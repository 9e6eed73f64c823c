import { limits } from '@parley/protocol/client';
import { ApiError } from '../api/api-client.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
  signal: AbortSignal;
}

export interface PagedListOptions<T> {
  fetchPage(request: PageRequest): Promise<Page<T>>;
  idOf(item: T): string;
  /** Called after every change a reader could see. */
  onChange(): void;
  /** Called with every failure before it is shown (to expire a session, say). */
  onError(error: ApiError): void;
  pageSize: number;
}

const isAbort = (error: unknown) => (error as Error | null)?.name === 'AbortError';

const toApiError = (error: unknown) => (error instanceof ApiError ? error : new ApiError('internal_error', { message: (error as Error).message }));

/**
 * A newest-first list read page by page, that can be refreshed in place: a
 * refresh reads again as many items as are shown (so "Load more" pages stay
 * and the scroll position holds), and drops the answer of any read it
 * superseded. An item taken out here while a read was on its way stays out.
 */
export class PagedList<T> {
  status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  items: T[] = [];
  nextCursor: string | null = null;
  /** Why the last load or refresh failed; the items shown stay. */
  error: ApiError | null = null;
  loadingMore = false;
  loadMoreError: ApiError | null = null;
  /** The server changed since this list was read. */
  stale = true;

  private controller?: AbortController;
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  /** Counts local removals, so a read knows which happened after it started. */
  private removals = 0;
  private readonly removedAt = new Map<string, number>();

  constructor(private readonly options: PagedListOptions<T>) {}

  /** Reads the first page, replacing what is shown (with a loading state). */
  async load(): Promise<void> {
    this.status = 'loading';
    this.items = [];
    this.error = null;
    this.options.onChange();
    await this.read(this.options.pageSize);
  }

  /**
   * Reads the first pages again without a loading state. Calls that come in
   * while one is on its way are folded into one more read after it.
   */
  refresh(): Promise<void> {
    if (this.status !== 'ready') return this.load();
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const shown = Math.min(Math.max(this.items.length, this.options.pageSize), limits.pageSizeMax);
        await this.read(shown);
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Reads the next page and appends it. */
  async loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor || this.loadingMore) return;
    // A load or refresh aborts this signal: it replaces the list and its cursor, and this page may no longer follow on.
    const signal = (this.controller ??= new AbortController()).signal;
    this.loadingMore = true;
    this.loadMoreError = null;
    this.options.onChange();
    try {
      const page = await this.options.fetchPage({ cursor, limit: this.options.pageSize, signal });
      if (signal.aborted) return;
      const known = new Set(this.items.map(this.options.idOf));
      this.items = [...this.items, ...page.items.filter((item) => !known.has(this.options.idOf(item)))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      this.loadMoreError = toApiError(error);
      this.options.onError(this.loadMoreError);
    } finally {
      this.loadingMore = false;
      this.options.onChange();
    }
  }

  /** Takes an item out at once (it was acted on). */
  remove(id: string): void {
    const before = this.items.length;
    this.items = this.items.filter((item) => this.options.idOf(item) !== id);
    this.removedAt.set(id, ++this.removals);
    if (this.items.length !== before) this.options.onChange();
  }

  /** Changes the items in place. */
  update(change: (item: T) => T): void {
    this.items = this.items.map(change);
    this.options.onChange();
  }

  /** Stops any read on its way. */
  abort(): void {
    this.controller?.abort();
  }

  private async read(limit: number): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const removalsBefore = this.removals;
    try {
      const page = await this.options.fetchPage({ limit, signal: controller.signal });
      if (controller.signal.aborted) return;
      this.items = page.items.filter((item) => (this.removedAt.get(this.options.idOf(item)) ?? 0) <= removalsBefore);
      this.nextCursor = page.nextCursor;
      this.status = 'ready';
      this.error = null;
      this.stale = false;
    } catch (error) {
      if (controller.signal.aborted || isAbort(error)) return;
      this.error = toApiError(error);
      if (this.status !== 'ready') this.status = 'error';
      this.options.onError(this.error);
    }
    this.options.onChange();
  }
}
