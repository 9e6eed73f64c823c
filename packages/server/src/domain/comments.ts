import { limits } from '@parley/protocol';
import type {
  CommentCounts,
  CommentResponse,
  CommentThread,
  CreateCommentBody,
  DeleteCommentResponse,
  OwnComment,
  RouteInput,
} from '@parley/protocol';
import { ErrorCode, ParleyError } from '../errors.js';
import type { CommentRecord, PageState, Store } from '../store/types.js';
import type { Viewer } from './accounts.js';
import type { DomainEvents } from './events.js';
import { runPipeline, writePipeline } from './moderation/pipeline.js';

export interface CommentServiceOptions {
  render: (source: string) => string;
  now?: () => Date;
}

type ListInput = RouteInput<'listComments'>['query'] & { site: string };

/** The rules of a thread: who may post, edit and delete what, and what waits for review. */
export class CommentService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly events: DomainEvents,
    private readonly options: CommentServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async list(query: ListInput, viewer: Viewer | null = null): Promise<CommentThread> {
    await this.requireSite(query.site);
    const slice = await this.store.listThread({
      siteId: query.site,
      pageKey: query.page,
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit,
      maxReplies: limits.repliesPerResponseMax,
      viewerId: viewer?.user.id,
    });
    return {
      comments: slice.comments,
      count: slice.count,
      nextCursor: slice.nextCursor,
      seq: slice.seq,
      locked: slice.locked,
      moreReplies: slice.moreReplies,
    };
  }

  /**
   * What a signed-out read of the page depends on besides its query, from one
   * page-row read: every change a reader can see advances `seq`, so a thread
   * read at the same state is the same body.
   */
  async threadState(site: string, page: string): Promise<PageState> {
    await this.requireSite(site);
    return this.store.getPageState(site, page);
  }

  /**
   * The comment count of each page, as a signed-out thread read reports it:
   * comments shown on their own merits, replies included; 0 for a page
   * nobody has commented on. Keys come back in the order asked.
   */
  async counts(site: string, pages: readonly string[]): Promise<CommentCounts> {
    await this.requireSite(site);
    const found = await this.store.countComments(site, pages);
    return { counts: Object.fromEntries(pages.map((page) => [page, found.get(page) ?? 0])) };
  }

  async get(site: string, id: string, viewer: Viewer | null = null): Promise<{ comment: OwnComment }> {
    await this.requireSite(site);
    const record = await this.store.getComment(site, id);
    const mine = !!viewer && record?.authorId === viewer.user.id;
    if (!record || (record.hidden && !mine)) throw new ParleyError(ErrorCode.CommentNotFound);
    // A held or removed comment kept for its replies shows nobody but its author what it said.
    if (record.comment.status !== 'published' && !mine) {
      return { comment: { ...record.comment, author: null, html: '', source: '' } };
    }
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
      if (parent.comment.status !== 'published') {
        throw new ParleyError(ErrorCode.Forbidden, { message: "You can't reply to a comment that is held or removed." });
      }
      // Past this, a thread is a chain two people trade forever; it also bounds
      // the ancestor walk every later change of a reply makes.
      if (parent.depth + 1 > limits.maxDepth) {
        const message = `Replies can nest at most ${limits.maxDepth} levels deep. Reply to an earlier comment in this conversation instead.`;
        throw new ParleyError(ErrorCode.ValidationFailed, { message, fields: { parentId: message } });
      }
    }
    const now = this.now().toISOString();
    const verdict = await runPipeline(writePipeline, {
      store: this.store,
      site: input.site,
      page: input.page,
      authorId: viewer.user.id,
      source: input.body,
      settings: await this.store.getSettings(input.site),
      now,
      kind: 'create',
    });
    const write = await this.store.createComment({
      siteId: input.site,
      page: { key: input.page, url: input.pageUrl, title: input.pageTitle || undefined },
      parentId,
      authorId: viewer.user.id,
      source: input.body,
      html: this.options.render(input.body),
      now,
      heldReason: verdict.action === 'hold' ? verdict.reason : null,
    });
    this.events.publish(write.events);
    if (verdict.action === 'hold') {
      this.events.emit('moderation:changed', { site: input.site, change: 'held', commentId: write.record.comment.id });
    }
    return { comment: own(write.record), count: write.count, seq: write.seq };
  }

  async update(viewer: Viewer, site: string, id: string, body: string): Promise<CommentResponse> {
    const record = await this.requireOwn(viewer, site, id);
    if (record.comment.status === 'deleted') throw new ParleyError(ErrorCode.CommentDeleted);
    if (record.moderation === 'removed') throw new ParleyError(ErrorCode.Forbidden, { message: 'A moderator removed this comment.' });
    const now = this.now();
    const settings = await this.store.getSettings(site);
    if (settings.editWindowMinutes > 0) {
      const closes = Date.parse(record.comment.createdAt) + settings.editWindowMinutes * 60_000;
      if (now.getTime() > closes) {
        const minutes = settings.editWindowMinutes;
        throw new ParleyError(ErrorCode.EditWindowClosed, {
          message: `Comments can be edited for ${minutes} minute${minutes === 1 ? '' : 's'} after posting.`,
        });
      }
    }
    const verdict = await runPipeline(writePipeline, {
      store: this.store,
      site,
      page: record.pageKey,
      authorId: viewer.user.id,
      source: body,
      settings,
      now: now.toISOString(),
      kind: 'edit',
    });
    const write = await this.store.updateComment({
      siteId: site,
      id,
      source: body,
      html: this.options.render(body),
      now: now.toISOString(),
      heldReason: verdict.action === 'hold' ? verdict.reason : null,
    });
    this.events.publish(write.events);
    if (verdict.action === 'hold') this.events.emit('moderation:changed', { site, change: 'held', commentId: id });
    return { comment: own(write.record), count: write.count, seq: write.seq };
  }

  async remove(viewer: Viewer, site: string, id: string): Promise<DeleteCommentResponse> {
    const record = await this.requireOwn(viewer, site, id);
    if (record.comment.status === 'deleted') throw new ParleyError(ErrorCode.CommentNotFound);
    const deletion = await this.store.deleteComment({ siteId: site, id, now: this.now().toISOString() });
    this.events.publish(deletion.events);
    if (record.moderation !== 'approved') this.events.emit('moderation:changed', { site, change: 'moderated', commentId: id });
    return { id, mode: deletion.mode, count: deletion.count, seq: deletion.seq };
  }

  /**
   * The comment, if the viewer wrote it. Someone else's comment is 403; a
   * missing or gone one 404.
   */
  private async requireOwn(viewer: Viewer, site: string, id: string): Promise<CommentRecord> {
    const record = await this.store.getComment(site, id);
    const mine = record?.authorId === viewer.user.id;
    if (!record || (record.hidden && !(mine && record.moderation === 'pending' && record.comment.status !== 'deleted'))) {
      throw new ParleyError(ErrorCode.CommentNotFound);
    }
    if (!mine) throw new ParleyError(ErrorCode.Forbidden, { message: 'You can only change your own comments.' });
    return record;
  }

  private async requireSite(site: string): Promise<void> {
    if (!(await this.store.siteExists(site))) throw new ParleyError(ErrorCode.SiteNotFound);
  }
}

function own(record: CommentRecord): OwnComment {
  return { ...record.comment, source: record.source };
}
