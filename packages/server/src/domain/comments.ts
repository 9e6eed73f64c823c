import type {
  CommentResponse,
  CommentThread,
  CreateCommentBody,
  DeleteCommentResponse,
  OwnComment,
  PageEvent,
  RouteInput,
} from '@parley/protocol';
import { ErrorCode, ParleyError } from '../errors.js';
import type { CommentRecord, Store } from '../store/types.js';
import type { Viewer } from './accounts.js';
import type { DomainEvents } from './events.js';

export interface CommentServiceOptions {
  render: (source: string) => string;
  now?: () => Date;
}

type ListInput = RouteInput<'listComments'>['query'] & { site: string };

/** The rules of a thread: who may post, edit and delete what. */
export class CommentService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly events: DomainEvents,
    private readonly options: CommentServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async list(query: ListInput): Promise<CommentThread> {
    await this.requireSite(query.site);
    const slice = await this.store.listThread({
      siteId: query.site,
      pageKey: query.page,
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit,
    });
    return {
      comments: slice.records.map((r) => r.comment),
      count: slice.count,
      nextCursor: slice.nextCursor,
      seq: slice.seq,
    };
  }

  async get(site: string, id: string): Promise<{ comment: OwnComment }> {
    await this.requireSite(site);
    const record = await this.store.getComment(site, id);
    if (!record || record.hidden) throw new ParleyError(ErrorCode.CommentNotFound);
    return { comment: own(record) };
  }

  async create(viewer: Viewer, input: CreateCommentBody & { site: string }): Promise<CommentResponse> {
    await this.requireSite(input.site);
    const parentId = input.parentId ?? null;
    if (parentId !== null) {
      const parent = await this.store.getComment(input.site, parentId);
      if (!parent || parent.hidden || parent.pageKey !== input.page) {
        throw new ParleyError(ErrorCode.ParentNotFound, { fields: { parentId: 'The comment you are replying to no longer exists.' } });
      }
      if (parent.comment.status === 'deleted') throw new ParleyError(ErrorCode.CommentDeleted);
    }
    const write = await this.store.createComment({
      siteId: input.site,
      page: { key: input.page, url: input.pageUrl, title: input.pageTitle || undefined },
      parentId,
      authorId: viewer.user.id,
      source: input.body,
      html: this.options.render(input.body),
      now: this.now().toISOString(),
    });
    this.publish(write.events);
    return { comment: own(write.record), count: write.count, seq: write.seq };
  }

  async update(viewer: Viewer, site: string, id: string, body: string): Promise<CommentResponse> {
    const record = await this.requireOwn(viewer, site, id);
    if (record.comment.status === 'deleted') throw new ParleyError(ErrorCode.CommentDeleted);
    const write = await this.store.updateComment({
      siteId: site,
      id,
      source: body,
      html: this.options.render(body),
      now: this.now().toISOString(),
    });
    this.publish(write.events);
    return { comment: own(write.record), count: write.count, seq: write.seq };
  }

  async remove(viewer: Viewer, site: string, id: string): Promise<DeleteCommentResponse> {
    const record = await this.requireOwn(viewer, site, id);
    if (record.comment.status === 'deleted') throw new ParleyError(ErrorCode.CommentNotFound);
    const deletion = await this.store.deleteComment({ siteId: site, id, now: this.now().toISOString() });
    this.publish(deletion.events);
    return { id, mode: deletion.mode, count: deletion.count, seq: deletion.seq };
  }

  /**
   * The comment, if the viewer wrote it. Someone else's comment is 403; a
   * missing or removed one 404.
   */
  private async requireOwn(viewer: Viewer, site: string, id: string): Promise<CommentRecord> {
    const record = await this.store.getComment(site, id);
    if (!record || record.hidden) throw new ParleyError(ErrorCode.CommentNotFound);
    if (record.authorId !== viewer.user.id) {
      throw new ParleyError(ErrorCode.Forbidden, { message: 'You can only change your own comments.' });
    }
    return record;
  }

  private publish(events: PageEvent[]): void {
    for (const event of events) this.events.emit('page:event', event);
  }

  private async requireSite(site: string): Promise<void> {
    if (!(await this.store.siteExists(site))) throw new ParleyError(ErrorCode.SiteNotFound);
  }
}

function own(record: CommentRecord): OwnComment {
  return { ...record.comment, source: record.source };
}
