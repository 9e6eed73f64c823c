import type {
  AuditPage,
  Ban,
  BanBody,
  BansPage,
  ModerateBody,
  ModeratedComment,
  QueuePage,
  Queue,
  SiteSettings,
  UpdateSettingsBody,
} from '@parley/protocol';
import { ErrorCode, ParleyError } from '../../errors.js';
import type { CommentRecord, Store } from '../../store/types.js';
import type { Viewer } from '../accounts.js';
import type { DomainEvents } from '../events.js';

export interface ModerationServiceOptions {
  now?: () => Date;
}

const DAY_MS = 86_400_000;
const BAN_DAYS: Record<BanBody['duration'], number | null> = { '1d': 1, '7d': 7, '30d': 30, permanent: null };

/** A short label for the audit log: the first words of a comment. */
function excerpt(record: CommentRecord): string {
  const text = record.source.replace(/\s+/g, ' ').trim();
  // The public form hides the author of a removed or held comment; moderators still need the name.
  const who = record.authorName ?? 'deleted user';
  return `Comment by ${who}: "${text.length > 80 ? `${text.slice(0, 77)}…` : text}"`;
}

/**
 * The moderator's work on one site. Every method expects a viewer already
 * checked to be a moderator of `site` (the HTTP layer does that from the
 * route table), and writes an audit entry for every action.
 */
export class ModerationService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly events: DomainEvents,
    options: ModerationServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async queue(site: string, queue: Queue, cursor: string | undefined, limit: number): Promise<QueuePage> {
    const { items, nextCursor } = await this.store.listQueue({ siteId: site, queue, cursor, limit, now: this.now().toISOString() });
    return {
      items: items.map(({ record, authorBan, reports, reportDetails }) => ({
        comment: { ...record.comment, html: record.html, author: record.comment.author ?? authorOf(record) },
        author: authorOf(record) ? { ...authorOf(record)!, ban: authorBan } : null,
        page: record.page,
        heldReason: record.moderation === 'pending' ? record.heldReason : null,
        removedReason: record.moderation === 'removed' ? record.removedReason : null,
        reports,
        reportDetails,
      })),
      nextCursor,
    };
  }

  async moderate(viewer: Viewer, site: string, id: string, input: ModerateBody): Promise<ModeratedComment> {
    const record = await this.store.getComment(site, id);
    if (!record || record.comment.status === 'deleted') throw new ParleyError(ErrorCode.CommentNotFound);
    const reason = input.reason?.trim() || null;
    if (input.action === 'remove' && !reason) {
      throw new ParleyError(ErrorCode.ValidationFailed, { message: 'Give a reason for removing.', fields: { reason: 'Reason is required.' } });
    }
    const now = this.now().toISOString();
    const write = await this.store.setModeration({
      siteId: site,
      id,
      moderation: input.action === 'remove' ? 'removed' : 'approved',
      reason,
      resolveReports: input.action !== 'restore',
      now,
    });
    this.events.publish(write.events);
    await this.audit(viewer, site, input.action, 'comment', id, excerpt(record), reason, now);
    this.events.emit('moderation:changed', { site, change: 'moderated', commentId: id });
    return { comment: write.record.comment };
  }

  async pin(viewer: Viewer, site: string, id: string, pinned: boolean): Promise<ModeratedComment> {
    const record = await this.store.getComment(site, id);
    if (!record || record.hidden || record.comment.status !== 'published') throw new ParleyError(ErrorCode.CommentNotFound);
    if (record.comment.parentId !== null) {
      throw new ParleyError(ErrorCode.ValidationFailed, { message: 'Only top-level comments can be pinned.', fields: { id: 'Only top-level comments can be pinned.' } });
    }
    if (record.comment.pinned === pinned) return { comment: record.comment };
    const now = this.now().toISOString();
    const write = await this.store.setPinned({ siteId: site, id, pinned, now });
    this.events.publish(write.events);
    await this.audit(viewer, site, pinned ? 'pin' : 'unpin', 'comment', id, excerpt(record), null, now);
    this.events.emit('moderation:changed', { site, change: 'moderated', commentId: id });
    return { comment: write.record.comment };
  }

  async ban(viewer: Viewer, site: string, input: BanBody): Promise<{ ban: Ban }> {
    const user = await this.store.getUser(input.userId);
    if (!user) throw new ParleyError(ErrorCode.UserNotFound);
    if (user.id === viewer.user.id) {
      throw new ParleyError(ErrorCode.ValidationFailed, { message: "You can't ban yourself.", fields: { userId: "You can't ban yourself." } });
    }
    const now = this.now();
    const days = BAN_DAYS[input.duration];
    const expiresAt = days === null ? null : new Date(now.getTime() + days * DAY_MS).toISOString();
    await this.store.setBan({ siteId: site, userId: user.id, reason: input.reason, expiresAt, createdBy: viewer.user.id, now: now.toISOString() });
    let removed = 0;
    if (input.removeComments) {
      for (const id of await this.store.listLiveCommentIds(site, user.id)) {
        const write = await this.store.setModeration({
          siteId: site,
          id,
          moderation: 'removed',
          reason: `Author banned: ${input.reason}`,
          resolveReports: true,
          now: now.toISOString(),
        });
        this.events.publish(write.events);
        removed += 1;
      }
    }
    const label = `${user.name} (${input.duration === 'permanent' ? 'permanent' : `${days} day${days === 1 ? '' : 's'}`}${removed ? `, ${removed} comment${removed === 1 ? '' : 's'} removed` : ''})`;
    await this.audit(viewer, site, 'ban', 'user', user.id, label, input.reason, now.toISOString());
    this.events.emit('moderation:changed', { site, change: 'banned', commentId: null });
    return {
      ban: { user: { id: user.id, name: user.name }, reason: input.reason, expiresAt, createdAt: now.toISOString(), removedComments: removed },
    };
  }

  async unban(viewer: Viewer, site: string, userId: string): Promise<void> {
    const user = await this.store.getUser(userId);
    const lifted = await this.store.removeBan(site, userId);
    if (!lifted) return;
    await this.audit(viewer, site, 'unban', 'user', userId, user?.name ?? `user ${userId}`, null, this.now().toISOString());
    this.events.emit('moderation:changed', { site, change: 'banned', commentId: null });
  }

  async bans(site: string): Promise<BansPage> {
    const bans = await this.store.listBans(site, this.now().toISOString());
    return { bans: bans.map((b) => ({ ...b, removedComments: 0 })) };
  }

  async auditLog(site: string, cursor: string | undefined, limit: number): Promise<AuditPage> {
    return this.store.listAudit({ siteId: site, cursor, limit });
  }

  async settings(site: string): Promise<{ settings: SiteSettings }> {
    return { settings: await this.store.getSettings(site) };
  }

  async updateSettings(viewer: Viewer, site: string, input: UpdateSettingsBody): Promise<{ settings: SiteSettings }> {
    const current = await this.store.getSettings(site);
    const { site: _site, ...changes } = input;
    const next: SiteSettings = {
      ...current,
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    };
    // Matching ignores case, so the list does too: the first spelling of a word is kept.
    const seen = new Set<string>();
    next.bannedWords = next.bannedWords
      .map((w) => w.trim())
      .filter((w) => w && !seen.has(w.toLowerCase()) && seen.add(w.toLowerCase()));
    next.lockedPages = [...new Set(next.lockedPages)];
    const now = this.now().toISOString();
    const { settings, events } = await this.store.saveSettings(site, next, now);
    this.events.publish(events);
    const locked = settings.lockedPages.filter((p) => !current.lockedPages.includes(p));
    const unlocked = current.lockedPages.filter((p) => !settings.lockedPages.includes(p));
    for (const page of locked) await this.audit(viewer, site, 'lock', 'page', page, page, null, now);
    for (const page of unlocked) await this.audit(viewer, site, 'unlock', 'page', page, page, null, now);
    const changed = (['premoderation', 'reportThreshold', 'bannedWords', 'editWindowMinutes'] as const).filter(
      (key) => JSON.stringify(current[key]) !== JSON.stringify(settings[key]),
    );
    if (changed.length) await this.audit(viewer, site, 'settings', 'site', site, `Changed ${changed.join(', ')}`, null, now);
    this.events.emit('moderation:changed', { site, change: 'settings', commentId: null });
    return { settings };
  }

  private async audit(
    viewer: Viewer,
    site: string,
    action: string,
    targetType: 'comment' | 'user' | 'page' | 'site',
    targetId: string,
    targetLabel: string,
    reason: string | null,
    now: string,
  ): Promise<void> {
    await this.store.addAudit({ siteId: site, actorId: viewer.user.id, action, targetType, targetId, targetLabel, reason, now });
  }
}

/** The author as moderators see them, even when readers no longer do. */
function authorOf(record: CommentRecord): { id: string; name: string } | null {
  if (record.authorId === null) return null;
  return record.comment.author ?? { id: record.authorId, name: record.authorName ?? '' };
}
