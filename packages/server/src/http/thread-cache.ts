import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { RouteInput } from '@parley/protocol';
import type { CommentService } from '../domain/comments.js';

type ThreadQuery = RouteInput<'listComments'>['query'] & { site: string };

export interface ThreadCacheOptions {
  /** Most rendered bodies kept. */
  maxEntries?: number;
  /** Most bytes of rendered bodies kept, so a few huge threads cannot take the heap. */
  maxBytes?: number;
}

/**
 * Signed-out thread reads (`GET /api/comments` without a valid token): an
 * ETag with 304s, and the rendered JSON of recent reads in a bounded LRU.
 *
 * Both are keyed by everything a signed-out body depends on: site, page,
 * sort, cursor, limit and the page row's state (`seq`, count, locked, pin).
 * Every change a reader can see advances the page's `seq` in the same
 * transaction, so a key read now never names an older body; entries for
 * older states are never asked for again and age out of the LRU.
 *
 * Signed-in reads never come here: they include the viewer's own held
 * comments, which can change without the page's `seq` moving.
 */
export class ThreadCache {
  private readonly rendered = new Map<string, Buffer>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  // Per instance, so a restarted (possibly upgraded) server never answers 304
  // to an ETag whose body it might now render differently.
  private readonly salt = randomBytes(16);

  constructor(
    private readonly comments: CommentService,
    options: ThreadCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 1_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Answers a signed-out thread read: 304, a kept body, or a fresh one that is then kept. */
  async serve(query: ThreadQuery, req: Request, res: Response): Promise<void> {
    const state = await this.comments.threadState(query.site, query.page);
    const key = JSON.stringify([
      query.site,
      query.page,
      query.sort,
      query.cursor ?? null,
      query.limit,
      state.seq,
      state.count,
      state.locked,
      state.pinnedCommentId,
    ]);
    const etag = `"${createHash('sha256').update(this.salt).update(key).digest('base64url').slice(0, 32)}"`;
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etag);
    if (matchesAny(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    let body = this.get(key);
    if (!body) {
      const thread = await this.comments.list(query, null);
      body = Buffer.from(JSON.stringify(thread));
      if (thread.seq === state.seq && thread.count === state.count && thread.locked === state.locked) {
        this.set(key, body);
      } else {
        // A write landed between the two reads: this body is newer than the
        // ETag says, so it goes out without one and is not kept.
        res.removeHeader('ETag');
      }
    }
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  }

  private get(key: string): Buffer | undefined {
    const body = this.rendered.get(key);
    if (body) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.rendered.delete(key);
      this.rendered.set(key, body);
    }
    return body;
  }

  private set(key: string, body: Buffer): void {
    if (body.length > this.maxBytes) return;
    // Two reads that missed at once both render; the second replaces the first.
    const previous = this.rendered.get(key);
    if (previous) {
      this.rendered.delete(key);
      this.bytes -= previous.length;
    }
    this.rendered.set(key, body);
    this.bytes += body.length;
    for (const [oldest, old] of this.rendered) {
      if (this.rendered.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.rendered.delete(oldest);
      this.bytes -= old.length;
    }
  }
}

/** `If-None-Match` against one strong ETag, by the weak comparison RFC 9110 asks of it. */
export function matchesAny(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
