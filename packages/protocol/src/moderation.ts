import { z } from 'zod';
import { banDurations, premoderationModes, reportReasons } from './labels.js';
import { limits } from './limits.js';
import { BanInfo, Comment, Id, IsoDate, PageKey, PublicUser, SiteField } from './schemas.js';

// ----- Reports -----

export const ReportReason = z
  .enum(reportReasons)
  .describe('spam: "Spam"; harassment: "Harassment or hate"; off_topic: "Off-topic"; illegal: "Illegal content"; other: "Other".')
  .meta({ id: 'ReportReason' });
export type ReportReason = z.infer<typeof ReportReason>;

export const ReportBody = z
  .object({
    site: SiteField,
    reason: ReportReason,
    details: z.string().trim().max(limits.reportDetailsMax, `Details must be at most ${limits.reportDetailsMax} characters.`).optional(),
  })
  .meta({ id: 'ReportBody' });
export type ReportBody = z.infer<typeof ReportBody>;

export const Report = z
  .object({ commentId: Id, reason: ReportReason, details: z.string(), createdAt: IsoDate })
  .meta({ id: 'Report' });
export type Report = z.infer<typeof Report>;

export const ReportResponse = z.object({ report: Report }).meta({ id: 'ReportResponse' });
export type ReportResponse = z.infer<typeof ReportResponse>;

// ----- Blocks -----

export const BlockBody = z.object({ site: SiteField, userId: Id }).meta({ id: 'BlockBody' });
export type BlockBody = z.infer<typeof BlockBody>;

export const UserPath = z.object({ userId: Id });
export type UserPath = z.infer<typeof UserPath>;

export const BlockedUsers = z
  .object({ users: z.array(PublicUser).describe('Users the signed-in reader blocked on this site, most recent first.') })
  .meta({ id: 'BlockedUsers' });
export type BlockedUsers = z.infer<typeof BlockedUsers>;

export const BlockResponse = z.object({ user: PublicUser }).meta({ id: 'BlockResponse' });
export type BlockResponse = z.infer<typeof BlockResponse>;

// ----- The reader's own data -----

export const PageRef = z
  .object({ key: PageKey, url: z.string().nullable(), title: z.string().nullable() })
  .meta({ id: 'PageRef' });
export type PageRef = z.infer<typeof PageRef>;

export const MyComment = z.object({ comment: Comment, page: PageRef }).meta({ id: 'MyComment' });
export type MyComment = z.infer<typeof MyComment>;

export const MyCommentsQuery = z
  .object({
    site: SiteField,
    cursor: Id.optional(),
    limit: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
  })
  .meta({ id: 'MyCommentsQuery' });

export const MyComments = z
  .object({ comments: z.array(MyComment).describe('Newest first.'), nextCursor: Id.nullable() })
  .meta({ id: 'MyComments' });
export type MyComments = z.infer<typeof MyComments>;

export const DataExport = z
  .object({
    exportedAt: IsoDate,
    site: z.string(),
    account: z.object({ id: Id, name: z.string(), email: z.string(), createdAt: IsoDate }),
    comments: z.array(
      z.object({
        id: Id,
        page: PageRef,
        parentId: Id.nullable(),
        source: z.string(),
        status: z.string(),
        createdAt: IsoDate,
        editedAt: IsoDate.nullable(),
      }),
    ),
    reports: z.array(Report),
    blocks: z.array(z.object({ user: PublicUser, createdAt: IsoDate })),
  })
  .meta({ id: 'DataExport' });
export type DataExport = z.infer<typeof DataExport>;

// ----- Moderation -----

export const Queue = z.enum(['reported', 'pending', 'removed']).meta({ id: 'Queue' });
export type Queue = z.infer<typeof Queue>;

export const QueueQuery = z
  .object({
    site: SiteField,
    queue: Queue,
    cursor: Id.optional(),
    limit: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
  })
  .meta({ id: 'QueueQuery' });

export const QueueItem = z
  .object({
    comment: Comment.extend({ html: z.string().describe('The rendered body, also for removed and held comments.') }),
    author: PublicUser.extend({ ban: BanInfo.nullable() }).nullable(),
    page: PageRef,
    heldReason: z.string().nullable().describe('Why the comment is pending, e.g. "Banned word: foo", "Pre-moderation", "Reported by 3 readers".'),
    removedReason: z.string().nullable(),
    reports: z.array(z.object({ reason: ReportReason, count: z.number().int() })).describe('Open reports by reason.'),
    reportDetails: z.array(z.object({ reason: ReportReason, details: z.string(), createdAt: IsoDate })),
  })
  .meta({ id: 'QueueItem' });
export type QueueItem = z.infer<typeof QueueItem>;

export const QueuePage = z
  .object({ items: z.array(QueueItem), nextCursor: Id.nullable() })
  .meta({ id: 'QueuePage' });
export type QueuePage = z.infer<typeof QueuePage>;

export const ModerationAction = z.enum(['approve', 'remove', 'restore']).meta({ id: 'ModerationAction' });
export type ModerationAction = z.infer<typeof ModerationAction>;

export const ModerateBody = z
  .object({
    site: SiteField,
    action: ModerationAction,
    reason: z.string().trim().max(limits.reasonMax).optional().describe('Required to remove.'),
  })
  .meta({ id: 'ModerateBody' });
export type ModerateBody = z.infer<typeof ModerateBody>;

export const ModeratedComment = z.object({ comment: Comment }).meta({ id: 'ModeratedComment' });
export type ModeratedComment = z.infer<typeof ModeratedComment>;

export const BanDuration = z.enum(banDurations).meta({ id: 'BanDuration' });
export type BanDuration = z.infer<typeof BanDuration>;

export const BanBody = z
  .object({
    site: SiteField,
    userId: Id,
    duration: BanDuration,
    reason: z.string().trim().min(1, 'Reason is required.').max(limits.reasonMax),
    removeComments: z.boolean().default(false),
  })
  .meta({ id: 'BanBody' });
export type BanBody = z.infer<typeof BanBody>;

export const Ban = z
  .object({ user: PublicUser, reason: z.string(), expiresAt: IsoDate.nullable(), createdAt: IsoDate, removedComments: z.number().int() })
  .meta({ id: 'Ban' });
export type Ban = z.infer<typeof Ban>;

export const BanResponse = z.object({ ban: Ban }).meta({ id: 'BanResponse' });
export type BanResponse = z.infer<typeof BanResponse>;

export const AuditEntry = z
  .object({
    id: Id,
    actor: PublicUser.nullable(),
    action: z.string().describe('approve, remove, restore, ban, unban, pin, unpin, settings, lock, unlock.'),
    targetType: z.enum(['comment', 'user', 'page', 'site']),
    targetId: z.string(),
    targetLabel: z.string().describe('What the action was on, for people: an excerpt, a name, a page.'),
    reason: z.string().nullable(),
    createdAt: IsoDate,
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z
  .object({
    site: SiteField,
    cursor: Id.optional(),
    limit: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
  })
  .meta({ id: 'AuditQuery' });

export const AuditPage = z
  .object({ entries: z.array(AuditEntry).describe('Newest first.'), nextCursor: Id.nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;

export const Premoderation = z
  .enum(premoderationModes)
  .describe('off: "Off"; new: "New commenters" (until one of their comments is approved); all: "Everyone".')
  .meta({ id: 'Premoderation' });
export type Premoderation = z.infer<typeof Premoderation>;

export const SiteSettings = z
  .object({
    premoderation: Premoderation,
    reportThreshold: z.number().int().min(1).max(100).describe('Distinct reporters that hide a comment pending review.'),
    bannedWords: z.array(z.string().trim().min(1).max(100)).max(500).describe('A comment containing one (whole word, any case) is held.'),
    editWindowMinutes: z.number().int().min(0).max(525_600).describe('How long authors may edit; 0 for no limit.'),
    lockedPages: z.array(PageKey).max(10_000).describe('Pages where comments are closed.'),
  })
  .meta({ id: 'SiteSettings' });
export type SiteSettings = z.infer<typeof SiteSettings>;

export const SettingsResponse = z.object({ settings: SiteSettings }).meta({ id: 'SettingsResponse' });
export type SettingsResponse = z.infer<typeof SettingsResponse>;

export const UpdateSettingsBody = SiteSettings.partial().extend({ site: SiteField }).meta({ id: 'UpdateSettingsBody' });
export type UpdateSettingsBody = z.infer<typeof UpdateSettingsBody>;

export const PinBody = z.object({ site: SiteField, pinned: z.boolean() }).meta({ id: 'PinBody' });
export type PinBody = z.infer<typeof PinBody>;

export const BansPage = z.object({ bans: z.array(Ban) }).meta({ id: 'BansPage' });
export type BansPage = z.infer<typeof BansPage>;
