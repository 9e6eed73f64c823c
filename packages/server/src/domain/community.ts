import type {
  BlockedUsers,
  BlockResponse,
  DataExport,
  MyComments,
  ReportBody,
  ReportResponse,
} from '@parley/protocol';
import { ErrorCode, ParleyError } from '../errors.js';
import type { Store } from '../store/types.js';
import type { Viewer } from './accounts.js';
import type { DomainEvents } from './events.js';
import { bannedError, reachedReportThreshold } from './moderation/pipeline.js';

export interface CommunityServiceOptions {
  now?: () => Date;
}

/** What readers do about other readers and their own data: report, block, export, leave. */
export class CommunityService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly events: DomainEvents,
    options: CommunityServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** One report per reader per comment; enough distinct reporters hide it pending review. */
  async report(viewer: Viewer, id: string, input: ReportBody & { site: string }): Promise<ReportResponse> {
    await this.requireSite(input.site);
    const record = await this.store.getComment(input.site, id);
    if (!record) throw new ParleyError(ErrorCode.CommentNotFound);
    if (record.hidden || record.comment.status !== 'published') {
      // Hidden after reports, perhaps this reader's own: say so rather than "gone".
      const mine = await this.store.listReportsBy(input.site, viewer.user.id);
      if (mine.some((r) => r.commentId === id)) throw new ParleyError(ErrorCode.AlreadyReported);
      throw new ParleyError(ErrorCode.CommentNotFound);
    }
    if (record.authorId === viewer.user.id) {
      throw new ParleyError(ErrorCode.Forbidden, { message: "You can't report your own comment." });
    }
    await this.refuseBanned(input.site, viewer);
    const now = this.now().toISOString();
    const report = await this.store.addReport({
      siteId: input.site,
      commentId: id,
      reporterId: viewer.user.id,
      reason: input.reason,
      details: input.details ?? '',
      now,
    });
    if (!report) throw new ParleyError(ErrorCode.AlreadyReported);
    const settings = await this.store.getSettings(input.site);
    const reporters = await this.store.openReporters(input.site, id);
    if (record.moderation === 'approved' && reachedReportThreshold(reporters, settings)) {
      const write = await this.store.setModeration({
        siteId: input.site,
        id,
        moderation: 'pending',
        reason: `Reported by ${reporters} readers`,
        resolveReports: false,
        now,
      });
      this.events.publish(write.events);
    }
    this.events.emit('moderation:changed', { site: input.site, change: 'reported', commentId: id });
    return { report };
  }

  async block(viewer: Viewer, site: string, userId: string): Promise<BlockResponse> {
    await this.requireSite(site);
    if (userId === viewer.user.id) {
      throw new ParleyError(ErrorCode.ValidationFailed, { message: "You can't block yourself.", fields: { userId: "You can't block yourself." } });
    }
    const user = await this.store.getUser(userId);
    if (!user) throw new ParleyError(ErrorCode.UserNotFound);
    await this.store.addBlock({ siteId: site, blockerId: viewer.user.id, blockedId: userId, now: this.now().toISOString() });
    return { user: { id: user.id, name: user.name } };
  }

  async unblock(viewer: Viewer, site: string, userId: string): Promise<void> {
    await this.requireSite(site);
    await this.store.removeBlock({ siteId: site, blockerId: viewer.user.id, blockedId: userId });
  }

  async listBlocked(viewer: Viewer, site: string): Promise<BlockedUsers> {
    await this.requireSite(site);
    return { users: (await this.store.listBlocks(site, viewer.user.id)).map((b) => b.user) };
  }

  async myComments(viewer: Viewer, site: string, cursor: string | undefined, limit: number): Promise<MyComments> {
    await this.requireSite(site);
    const { records, nextCursor } = await this.store.listUserComments({ siteId: site, userId: viewer.user.id, cursor, limit });
    return { comments: records.map((r) => ({ comment: r.comment, page: r.page })), nextCursor };
  }

  async exportData(viewer: Viewer, site: string): Promise<DataExport> {
    await this.requireSite(site);
    const [comments, reports, blocks] = await Promise.all([
      this.store.listAllUserComments(site, viewer.user.id),
      this.store.listReportsBy(site, viewer.user.id),
      this.store.listBlocks(site, viewer.user.id),
    ]);
    return {
      exportedAt: this.now().toISOString(),
      site,
      account: { id: viewer.user.id, name: viewer.user.name, email: viewer.user.email, createdAt: viewer.user.createdAt },
      comments: comments.map((r) => ({
        id: r.comment.id,
        page: r.page,
        parentId: r.comment.parentId,
        source: r.source,
        status: r.comment.status,
        createdAt: r.comment.createdAt,
        editedAt: r.comment.editedAt,
      })),
      reports,
      blocks,
    };
  }

  /** Comments become "This comment was deleted.", the account is anonymised, sessions end. */
  async deleteAccount(viewer: Viewer): Promise<void> {
    const { events } = await this.store.deleteUser(viewer.user.id, this.now().toISOString());
    this.events.publish(events);
  }

  private async refuseBanned(site: string, viewer: Viewer): Promise<void> {
    const ban = await this.store.getBan(site, viewer.user.id, this.now().toISOString());
    if (ban) throw bannedError(ban, { site, reporterId: viewer.user.id });
  }

  private async requireSite(site: string): Promise<void> {
    if (!(await this.store.siteExists(site))) throw new ParleyError(ErrorCode.SiteNotFound);
  }
}
