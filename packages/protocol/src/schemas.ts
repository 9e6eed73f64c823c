import { z } from 'zod';
import { limits } from './limits.js';

/** Trimmed text that must not be empty once trimmed. */
const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} must be at most ${max} characters.`);

export const SiteId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Site ids are lowercase letters, digits and dashes.')
  .max(limits.siteIdMax)
  .meta({ id: 'SiteId', description: 'The id of a site served by this Parley server.' });

/** The `site` of a request; optional, for the server's default site (`PARLEY_SITE`). */
export const SiteField = SiteId.optional().describe(
  "The site this request is about. Defaults to the server's default site (PARLEY_SITE).",
);

/** A page key: which thread on the site; by default the host page's URL path. */
export const PageKey = text(limits.pageKeyMax, 'Page').meta({
  id: 'PageKey',
  description: "The thread's key on its site; the widget defaults it to the host page's canonical URL path.",
});

export const Id = z.string().regex(/^[1-9][0-9]{0,15}$/, 'Not a valid id.');

export const IsoDate = z.iso.datetime();

export const Role = z.enum(['commenter', 'moderator']).meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

/** What anyone may see of a user. */
export const PublicUser = z
  .object({ id: Id, name: z.string() })
  .meta({ id: 'PublicUser' });
export type PublicUser = z.infer<typeof PublicUser>;

/** The signed-in user, as they see themselves. */
/** A ban of a user from commenting on one site. */
export const BanInfo = z
  .object({
    reason: z.string(),
    expiresAt: IsoDate.nullable().describe('When the ban ends; null for a permanent ban.'),
  })
  .meta({ id: 'BanInfo' });
export type BanInfo = z.infer<typeof BanInfo>;

export const Me = z
  .object({
    id: Id,
    name: z.string(),
    email: z.string(),
    role: Role.describe('Role on the site named by the `site` query parameter.'),
    ban: BanInfo.nullable().describe('Set while the user is banned from commenting on that site.'),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

/**
 * `published`: shown to everyone. `deleted`: its author deleted it; kept as
 * "This comment was deleted." because it has replies. `removed`: a moderator
 * removed it; kept as "Removed by a moderator." because it has replies.
 * `pending`: held for review; shown only to its author ("Awaiting
 * moderation"), or to readers as a placeholder when it already has replies.
 */
export const CommentStatus = z.enum(['published', 'deleted', 'removed', 'pending']).meta({ id: 'CommentStatus' });
export type CommentStatus = z.infer<typeof CommentStatus>;


/**
 * A comment as readers see it. `html` is rendered and sanitised by the server
 * and is the only form of the body a client renders. A deleted comment that
 * still has replies keeps its place with `status: 'deleted'`, no author and no
 * html.
 */
export const Comment = z
  .object({
    id: Id,
    parentId: Id.nullable(),
    author: PublicUser.nullable(),
    html: z.string(),
    status: CommentStatus,
    createdAt: IsoDate,
    editedAt: IsoDate.nullable(),
    pinned: z.boolean().describe("Pinned by a moderator: shown first on its page, marked \"Pinned\"."),
  })
  .meta({ id: 'Comment' });
export type Comment = z.infer<typeof Comment>;

/**
 * A comment with its markdown source, for editing. The source is no secret:
 * the published HTML is rendered from it. A deleted comment's source is empty.
 */
export const OwnComment = Comment.extend({ source: z.string() }).meta({ id: 'OwnComment' });
export type OwnComment = z.infer<typeof OwnComment>;

// ----- Accounts -----

export const Email = z
  .string()
  .trim()
  .max(limits.emailMax, `Email must be at most ${limits.emailMax} characters.`)
  .pipe(z.email('Enter a valid email address.'));

/**
 * The form of an email that identifies an account: accounts are unique
 * regardless of case and surrounding space, and so are sign-in limits.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const Password = z
  .string()
  .min(limits.passwordMin, `Password must be at least ${limits.passwordMin} characters.`)
  .max(limits.passwordMax, `Password must be at most ${limits.passwordMax} characters.`);

export const DisplayName = text(limits.nameMax, 'Name').refine(
  (name) => !/[\u0000-\u001f\u007f]/.test(name),
  'Name cannot contain control characters.',
);

export const SignUpBody = z
  .object({ site: SiteField, name: DisplayName, email: Email, password: Password })
  .meta({ id: 'SignUpBody' });
export type SignUpBody = z.infer<typeof SignUpBody>;

export const SignInBody = z
  .object({
    site: SiteField,
    email: Email,
    password: z.string().min(1, 'Password is required.').max(limits.passwordMax),
  })
  .meta({ id: 'SignInBody' });
export type SignInBody = z.infer<typeof SignInBody>;

export const ChangePasswordBody = z
  .object({
    currentPassword: z.string().min(1, 'Current password is required.').max(limits.passwordMax),
    newPassword: Password,
  })
  .meta({ id: 'ChangePasswordBody' });
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const Session = z
  .object({
    token: z.string().describe('Opaque bearer token; send as `Authorization: Bearer TOKEN`.'),
    expiresAt: IsoDate,
    user: Me,
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

export const SiteQuery = z.object({ site: SiteField }).meta({ id: 'SiteQuery' });
export type SiteQuery = z.infer<typeof SiteQuery>;

export const MeResponse = z.object({ user: Me }).meta({ id: 'MeResponse' });
export type MeResponse = z.infer<typeof MeResponse>;

// ----- Comments -----

export const Sort = z.enum(['newest', 'oldest']).meta({ id: 'Sort' });
export type Sort = z.infer<typeof Sort>;

export const ListCommentsQuery = z
  .object({
    site: SiteField,
    page: PageKey,
    sort: Sort.default('newest'),
    cursor: Id.optional().describe('`nextCursor` from the previous response, for "load more".'),
    limit: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
  })
  .meta({ id: 'ListCommentsQuery' });
export type ListCommentsQuery = z.input<typeof ListCommentsQuery>;

export const CommentThread = z
  .object({
    comments: z
      .array(Comment)
      .describe('One page of top-level comments in the requested order, each followed by its replies (oldest first, any depth; see `moreReplies`).'),
    count: z.number().int().describe('Published comments on the whole page, replies included.'),
    nextCursor: Id.nullable(),
    seq: z.number().int().describe("The page's event sequence number at the time of reading; pass it as `since` when joining the page's room."),
    locked: z.boolean().describe('Comments are closed on this page: no new comments or replies.'),
    moreReplies: z
      .array(Id)
      .describe(
        `Top-level comments of this response whose replies were cut short. A response carries at most ${limits.repliesPerResponseMax} replies: the page ends before a comment whose replies would not fit (\`nextCursor\` continues there), and only a comment with more replies than that on its own is cut, keeping its oldest replies. Usually empty.`,
      ),
  })
  .meta({ id: 'CommentThread' });
export type CommentThread = z.infer<typeof CommentThread>;

/**
 * One page key or several: `page=/a` or `page=/a&page=/b` in a query string.
 * Parsed into the distinct keys, in the order first given.
 */
export const PageKeys = z
  .union([PageKey, z.array(PageKey).min(1, 'Page is required.').max(limits.countPagesMax)], {
    error: (issue) =>
      issue.input === undefined
        ? 'Page is required.'
        : Array.isArray(issue.input) && issue.input.length > limits.countPagesMax
          ? `At most ${limits.countPagesMax} pages per request.`
          : 'Page must be a page key; repeat the parameter for several pages.',
  })
  .transform((keys) => [...new Set(Array.isArray(keys) ? keys : [keys])]);

export const CommentCountsQuery = z
  .object({
    site: SiteField,
    page: PageKeys.describe(
      `The page keys to count, as the parameter repeated (\`page=/a&page=/b\`), at most ${limits.countPagesMax}.`,
    ),
  })
  .meta({ id: 'CommentCountsQuery' });
export type CommentCountsQuery = z.input<typeof CommentCountsQuery>;

export const CommentCounts = z
  .object({
    counts: z
      .record(z.string(), z.number().int().min(0))
      .describe(
        "Each page key asked about (trimmed, once each) with its published comments, replies included: the `count` a signed-out thread read shows. 0 for a page nobody has commented on.",
      ),
  })
  .meta({ id: 'CommentCounts' });
export type CommentCounts = z.infer<typeof CommentCounts>;

const HttpUrl = z
  .url({ protocol: /^https?$/, error: 'Must be an http(s) URL.' })
  .max(limits.pageUrlMax);

export const CreateCommentBody = z
  .object({
    site: SiteField,
    page: PageKey,
    pageUrl: HttpUrl.optional().describe('The host page URL, stored when the page is first seen.'),
    pageTitle: z.string().trim().max(limits.pageTitleMax).optional(),
    parentId: Id.nullable().optional(),
    body: text(limits.commentMax, 'Comment'),
  })
  .meta({ id: 'CreateCommentBody' });
export type CreateCommentBody = z.infer<typeof CreateCommentBody>;

export const UpdateCommentBody = z
  .object({ body: text(limits.commentMax, 'Comment') })
  .meta({ id: 'UpdateCommentBody' });
export type UpdateCommentBody = z.infer<typeof UpdateCommentBody>;

export const CommentPath = z.object({ id: Id });
export type CommentPath = z.infer<typeof CommentPath>;

export const CommentResponse = z
  .object({ comment: OwnComment, count: z.number().int(), seq: z.number().int() })
  .meta({ id: 'CommentResponse' });
export type CommentResponse = z.infer<typeof CommentResponse>;

export const SingleCommentResponse = z.object({ comment: OwnComment }).meta({ id: 'SingleCommentResponse' });
export type SingleCommentResponse = z.infer<typeof SingleCommentResponse>;

export const DeleteMode = z
  .enum(['removed', 'tombstoned'])
  .describe('`removed`: the comment left the thread. `tombstoned`: it has replies, so it stays as "This comment was deleted."')
  .meta({ id: 'DeleteMode' });
export type DeleteMode = z.infer<typeof DeleteMode>;

export const DeleteCommentResponse = z
  .object({ id: Id, mode: DeleteMode, count: z.number().int(), seq: z.number().int() })
  .meta({ id: 'DeleteCommentResponse' });
export type DeleteCommentResponse = z.infer<typeof DeleteCommentResponse>;

export const Health = z.object({ ok: z.literal(true), version: z.string() }).meta({ id: 'Health' });
