import { endpoints, limits } from '@parley/protocol/client';
import type { CommentCounts } from '@parley/protocol';
import type { ParleyApi } from '../api/api-client.js';

/** Asks one server for the counts of some pages of a site (at most `limits.countPagesMax`). */
type CountSource = (site: string, pages: string[]) => Promise<CommentCounts['counts']>;

interface Waiter {
  resolve(count: number): void;
  reject(error: unknown): void;
}

/** Pages asked about since the last flush: by source, then site, then page key. */
type Queue = Map<CountSource, Map<string, Map<string, Waiter[]>>>;

/**
 * Gathers the counts every `<parley-count>` asks for within one task and asks
 * each server once per site for all of them (`getCommentCounts`, up to
 * `limits.countPagesMax` pages a request), when the task's microtasks run.
 *
 * It has to outlive any one element: the elements of an article list have no
 * common ancestor Parley controls, and the point is that they share requests.
 */
export class CountBatcher {
  private queue: Queue = new Map();
  private scheduled = false;
  /** One source per server and per client, so that the elements using the same one batch together. */
  private readonly servers = new Map<string, CountSource>();
  private readonly clients = new WeakMap<ParleyApi, CountSource>();

  /**
   * The comment count of one page, from the next batch, asked through `api`
   * or else with `fetch` from `server`. A key the server would refuse fails
   * alone instead of failing its whole batch.
   */
  count(from: { api?: ParleyApi; server: string }, site: string, page: string): Promise<number> {
    // The server trims keys and answers under the trimmed key.
    const key = page.trim();
    if (!key || key.length > limits.pageKeyMax) return Promise.reject(new RangeError(`Not a page key: "${page}"`));
    const source = from.api ? this.sourceOfClient(from.api) : this.sourceOfServer(from.server);
    return new Promise((resolve, reject) => {
      const sites = this.queue.get(source) ?? new Map<string, Map<string, Waiter[]>>();
      const pages = sites.get(site) ?? new Map<string, Waiter[]>();
      pages.set(key, [...(pages.get(key) ?? []), { resolve, reject }]);
      sites.set(site, pages);
      this.queue.set(source, sites);
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  private flush(): void {
    const queue = this.queue;
    this.queue = new Map();
    this.scheduled = false;
    for (const [source, sites] of queue) {
      for (const [site, pages] of sites) {
        const keys = [...pages.keys()];
        for (let start = 0; start < keys.length; start += limits.countPagesMax) {
          const chunk = keys.slice(start, start + limits.countPagesMax);
          const settle = (each: (waiter: Waiter, key: string) => void) => {
            for (const key of chunk) for (const waiter of pages.get(key)!) each(waiter, key);
          };
          source(site, chunk).then(
            // typeof, not `in`: a key such as "constructor" must not find Object.prototype's.
            (counts) => settle((waiter, key) => waiter.resolve(typeof counts[key] === 'number' ? counts[key] : 0)),
            (error: unknown) => settle((waiter) => waiter.reject(error)),
          );
        }
      }
    }
  }

  private sourceOfClient(api: ParleyApi): CountSource {
    let source = this.clients.get(api);
    if (!source) {
      source = async (site, page) => (await api.call('getCommentCounts', { query: { site, page } })).counts;
      this.clients.set(api, source);
    }
    return source;
  }

  /**
   * A plain `fetch`, not `HttpApi`: its error table and endpoint handling
   * would double `count.js`, and a count that fails to load only leaves the
   * element showing its own content.
   */
  private sourceOfServer(server: string): CountSource {
    let source = this.servers.get(server);
    if (!source) {
      const { method, path } = endpoints.getCommentCounts;
      source = async (site, pages) => {
        const url = new URL(server.replace(/\/+$/, '') + path);
        url.searchParams.set('site', site);
        for (const page of pages) url.searchParams.append('page', page);
        const response = await fetch(url, { method: method.toUpperCase(), headers: { Accept: 'application/json' }, credentials: 'omit', mode: 'cors' });
        if (!response.ok) throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}`);
        return ((await response.json()) as CommentCounts).counts;
      };
      this.servers.set(server, source);
    }
    return source;
  }
}
