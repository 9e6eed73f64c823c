import type { z } from 'zod';
import { endpoints, type Endpoint, type OperationId } from './endpoints.js';
import { limits } from './limits.js';
import {
  ChangePasswordBody,
  CommentCounts,
  CommentCountsQuery,
  CommentPath,
  CommentResponse,
  CommentThread,
  CreateCommentBody,
  DeleteCommentResponse,
  ListCommentsQuery,
  MeResponse,
  Session,
  SignInBody,
  SignUpBody,
  SingleCommentResponse,
  SiteQuery,
  UpdateCommentBody,
} from './schemas.js';
import {
  AuditPage,
  AuditQuery,
  BanBody,
  BanResponse,
  BansPage,
  BlockBody,
  BlockedUsers,
  BlockResponse,
  DataExport,
  ModerateBody,
  ModeratedComment,
  MyComments,
  MyCommentsQuery,
  PinBody,
  QueuePage,
  QueueQuery,
  ReportBody,
  ReportResponse,
  SettingsResponse,
  UpdateSettingsBody,
  UserPath,
} from './moderation.js';

/**
 * One REST route. The server mounts its handler from this entry, validates
 * input with these schemas, and the OpenAPI document is generated from them.
 */
export interface RouteSpec extends Endpoint {
  operationId: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Error codes this route can answer with, besides validation and internal errors. */
  errors: readonly string[];
}

function route<const T extends RouteSpec>(spec: T): T {
  return spec;
}

/** The REST API, keyed by operationId. */
export const routes = {
  signUp: route({
    ...endpoints.signUp,
    operationId: 'signUp',
    summary: 'Create an account and sign in.',
    body: SignUpBody,
    response: Session,
    errors: ['email_taken', 'site_not_found', 'rate_limited'],
  }),
  signIn: route({
    ...endpoints.signIn,
    operationId: 'signIn',
    summary: 'Sign in with email and password; returns a bearer token.',
    body: SignInBody,
    response: Session,
    errors: ['invalid_credentials', 'site_not_found', 'rate_limited'],
  }),
  signOut: route({
    ...endpoints.signOut,
    operationId: 'signOut',
    summary: 'Revoke the session token sent with the request.',
    errors: ['unauthenticated'],
  }),
  getMe: route({
    ...endpoints.getMe,
    operationId: 'getMe',
    summary: 'The signed-in user and their role on a site.',
    query: SiteQuery,
    response: MeResponse,
    errors: ['unauthenticated', 'site_not_found'],
  }),
  changePassword: route({
    ...endpoints.changePassword,
    operationId: 'changePassword',
    summary:
      'Change your password: needs the current one. Every other session of yours ends; the one making the request stays signed in.',
    body: ChangePasswordBody,
    errors: ['unauthenticated', 'invalid_credentials', 'rate_limited'],
  }),
  listComments: route({
    ...endpoints.listComments,
    operationId: 'listComments',
    summary: "A page of a thread's top-level comments with all their replies.",
    query: ListCommentsQuery,
    response: CommentThread,
    errors: ['site_not_found'],
  }),
  getComment: route({
    ...endpoints.getComment,
    operationId: 'getComment',
    summary: 'One comment with its markdown source (for editing or linking).',
    params: CommentPath,
    query: SiteQuery,
    response: SingleCommentResponse,
    errors: ['site_not_found', 'comment_not_found'],
  }),
  getCommentCounts: route({
    ...endpoints.getCommentCounts,
    operationId: 'getCommentCounts',
    summary: `How many comments each of up to ${limits.countPagesMax} pages has, in one request (for "12 comments" on article lists).`,
    query: CommentCountsQuery,
    response: CommentCounts,
    errors: ['site_not_found'],
  }),
  createComment: route({
    ...endpoints.createComment,
    operationId: 'createComment',
    summary: `Post a comment, or a reply when \`parentId\` is set; replies nest at most ${limits.maxDepth} levels deep.`,
    body: CreateCommentBody,
    response: CommentResponse,
    errors: ['unauthenticated', 'site_not_found', 'parent_not_found', 'comment_deleted', 'user_banned', 'page_locked', 'rate_limited'],
  }),
  updateComment: route({
    ...endpoints.updateComment,
    operationId: 'updateComment',
    summary: 'Edit your own comment; the previous text is kept as a revision.',
    params: CommentPath,
    query: SiteQuery,
    body: UpdateCommentBody,
    response: CommentResponse,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found', 'comment_deleted', 'user_banned', 'edit_window_closed', 'rate_limited'],
  }),
  deleteComment: route({
    ...endpoints.deleteComment,
    operationId: 'deleteComment',
    summary: 'Delete your own comment.',
    params: CommentPath,
    query: SiteQuery,
    response: DeleteCommentResponse,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found'],
  }),
  reportComment: route({
    ...endpoints.reportComment,
    operationId: 'reportComment',
    summary: "Report someone else's comment to the site's moderators; once per reader per comment.",
    params: CommentPath,
    body: ReportBody,
    response: ReportResponse,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found', 'already_reported', 'user_banned', 'site_not_found', 'rate_limited'],
  }),
  blockUser: route({
    ...endpoints.blockUser,
    operationId: 'blockUser',
    summary: "Block a user: their comments collapse for you on every page of the site. They are not told.",
    body: BlockBody,
    response: BlockResponse,
    errors: ['unauthenticated', 'user_not_found', 'site_not_found'],
  }),
  unblockUser: route({
    ...endpoints.unblockUser,
    operationId: 'unblockUser',
    summary: 'Unblock a user.',
    params: UserPath,
    query: SiteQuery,
    errors: ['unauthenticated', 'site_not_found'],
  }),
  listBlockedUsers: route({
    ...endpoints.listBlockedUsers,
    operationId: 'listBlockedUsers',
    summary: 'The users you blocked on a site.',
    query: SiteQuery,
    response: BlockedUsers,
    errors: ['unauthenticated', 'site_not_found'],
  }),
  listMyComments: route({
    ...endpoints.listMyComments,
    operationId: 'listMyComments',
    summary: 'Your comments on a site, newest first, with their pages.',
    query: MyCommentsQuery,
    response: MyComments,
    errors: ['unauthenticated', 'site_not_found'],
  }),
  exportMyData: route({
    ...endpoints.exportMyData,
    operationId: 'exportMyData',
    summary: 'Everything the site keeps about you: account, comments, reports and blocks, as a JSON file.',
    query: SiteQuery,
    response: DataExport,
    errors: ['unauthenticated', 'site_not_found'],
  }),
  deleteMyAccount: route({
    ...endpoints.deleteMyAccount,
    operationId: 'deleteMyAccount',
    summary: 'Delete your account: your comments become "This comment was deleted." with no name, and every session ends.',
    errors: ['unauthenticated'],
  }),
  listModerationQueue: route({
    ...endpoints.listModerationQueue,
    operationId: 'listModerationQueue',
    summary: 'Reported, pending or removed comments of a site, newest first.',
    query: QueueQuery,
    response: QueuePage,
    errors: ['unauthenticated', 'forbidden', 'site_not_found'],
  }),
  moderateComment: route({
    ...endpoints.moderateComment,
    operationId: 'moderateComment',
    summary: 'Approve (clears reports, shows it), remove (needs a reason) or restore a comment.',
    params: CommentPath,
    body: ModerateBody,
    response: ModeratedComment,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found', 'site_not_found'],
  }),
  pinComment: route({
    ...endpoints.pinComment,
    operationId: 'pinComment',
    summary: 'Pin a top-level comment to the top of its page (one per page; pinning another replaces it), or unpin it.',
    params: CommentPath,
    body: PinBody,
    response: ModeratedComment,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found', 'site_not_found'],
  }),
  banUser: route({
    ...endpoints.banUser,
    operationId: 'banUser',
    summary: "Ban a user from commenting on the site, for a time or for good, optionally removing their comments.",
    body: BanBody,
    response: BanResponse,
    errors: ['unauthenticated', 'forbidden', 'user_not_found', 'site_not_found'],
  }),
  unbanUser: route({
    ...endpoints.unbanUser,
    operationId: 'unbanUser',
    summary: 'Lift a ban.',
    params: UserPath,
    query: SiteQuery,
    errors: ['unauthenticated', 'forbidden', 'site_not_found'],
  }),
  listBans: route({
    ...endpoints.listBans,
    operationId: 'listBans',
    summary: 'The users banned on a site now.',
    query: SiteQuery,
    response: BansPage,
    errors: ['unauthenticated', 'forbidden', 'site_not_found'],
  }),
  listAuditLog: route({
    ...endpoints.listAuditLog,
    operationId: 'listAuditLog',
    summary: 'Every moderator action on a site: who, what, on what, why and when; newest first.',
    query: AuditQuery,
    response: AuditPage,
    errors: ['unauthenticated', 'forbidden', 'site_not_found'],
  }),
  getSiteSettings: route({
    ...endpoints.getSiteSettings,
    operationId: 'getSiteSettings',
    summary: "A site's moderation settings.",
    query: SiteQuery,
    response: SettingsResponse,
    errors: ['unauthenticated', 'forbidden', 'site_not_found'],
  }),
  updateSiteSettings: route({
    ...endpoints.updateSiteSettings,
    operationId: 'updateSiteSettings',
    summary: "Change a site's moderation settings; fields left out stay as they are.",
    body: UpdateSettingsBody,
    response: SettingsResponse,
    errors: ['unauthenticated', 'forbidden', 'site_not_found'],
  }),
} as const;

export type Routes = typeof routes;
export type { OperationId };

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type InferIn<T> = T extends z.ZodType ? z.input<T> : undefined;

/** Parsed input of a route, as the server's handler receives it. */
export interface RouteInput<K extends OperationId> {
  params: Infer<Routes[K] extends { params: infer P } ? P : undefined>;
  query: Infer<Routes[K] extends { query: infer Q } ? Q : undefined>;
  body: Infer<Routes[K] extends { body: infer B } ? B : undefined>;
}

/** Input of a route as a client sends it (defaults may be left out). */
export interface RouteRequest<K extends OperationId> {
  params: InferIn<Routes[K] extends { params: infer P } ? P : undefined>;
  query: InferIn<Routes[K] extends { query: infer Q } ? Q : undefined>;
  body: InferIn<Routes[K] extends { body: infer B } ? B : undefined>;
}

/** The success body of a route (`undefined` for 204). */
export type RouteOutput<K extends OperationId> = Infer<
  Routes[K] extends { response: infer R } ? R : undefined
>;
