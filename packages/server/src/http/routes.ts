import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { routes, type OperationId, type RouteInput, type RouteOutput, type RouteSpec } from '@parley/protocol';
import type { AccountService, Viewer } from '../domain/accounts.js';
import type { CommentService } from '../domain/comments.js';
import type { CommunityService } from '../domain/community.js';
import type { ModerationService } from '../domain/moderation/service.js';
import { ErrorCode, ParleyError } from '../errors.js';
import type { RateLimits } from './rate-limits.js';
import { matchesAny, type ThreadCache } from './thread-cache.js';
import { parseInput } from './validate.js';

export interface HandlerContext {
  /** The signed-in viewer; always set on routes whose `auth` is `session`. */
  viewer: Viewer | null;
}

type Handler<K extends OperationId> = (input: RouteInput<K>, ctx: HandlerContext) => Promise<RouteOutput<K>>;

/** One handler per route of the protocol: a route without a handler fails to compile. */
export type Handlers = { [K in OperationId]: Handler<K> };

export interface ApiServices {
  accounts: AccountService;
  comments: CommentService;
  community: CommunityService;
  moderation: ModerationService;
  /** The site a request means when it names none. */
  defaultSite: string;
}

const viewerOf = (ctx: HandlerContext): Viewer => {
  if (!ctx.viewer) throw new ParleyError(ErrorCode.Unauthenticated);
  return ctx.viewer;
};

export function createHandlers({ accounts, comments, community, moderation, defaultSite }: ApiServices): Handlers {
  const site = <T extends { site?: string }>(input: T): T & { site: string } => ({ ...input, site: input.site ?? defaultSite });
  const siteOf = (input: { site?: string }) => input.site ?? defaultSite;
  return {
    signUp: ({ body }) => accounts.signUp(site(body)),
    signIn: ({ body }) => accounts.signIn(site(body)),
    signOut: async (_input, ctx) => {
      await accounts.signOut(viewerOf(ctx));
      return undefined;
    },
    getMe: async ({ query }, ctx) => ({ user: await accounts.me(viewerOf(ctx), siteOf(query)) }),
    changePassword: async ({ body }, ctx) => {
      await accounts.changePassword(viewerOf(ctx), body);
      return undefined;
    },
    listComments: ({ query }, ctx) => comments.list(site(query), ctx.viewer),
    getComment: ({ params, query }, ctx) => comments.get(siteOf(query), params.id, ctx.viewer),
    getCommentCounts: ({ query }) => comments.counts(siteOf(query), query.page),
    createComment: ({ body }, ctx) => comments.create(viewerOf(ctx), site(body)),
    updateComment: ({ params, query, body }, ctx) => comments.update(viewerOf(ctx), siteOf(query), params.id, body.body),
    deleteComment: ({ params, query }, ctx) => comments.remove(viewerOf(ctx), siteOf(query), params.id),
    reportComment: ({ params, body }, ctx) => community.report(viewerOf(ctx), params.id, site(body)),
    blockUser: ({ body }, ctx) => community.block(viewerOf(ctx), siteOf(body), body.userId),
    unblockUser: async ({ params, query }, ctx) => {
      await community.unblock(viewerOf(ctx), siteOf(query), params.userId);
      return undefined;
    },
    listBlockedUsers: ({ query }, ctx) => community.listBlocked(viewerOf(ctx), siteOf(query)),
    listMyComments: ({ query }, ctx) => community.myComments(viewerOf(ctx), siteOf(query), query.cursor, query.limit),
    exportMyData: ({ query }, ctx) => community.exportData(viewerOf(ctx), siteOf(query)),
    deleteMyAccount: async (_input, ctx) => {
      await community.deleteAccount(viewerOf(ctx));
      return undefined;
    },
    listModerationQueue: ({ query }) => moderation.queue(siteOf(query), query.queue, query.cursor, query.limit),
    moderateComment: ({ params, body }, ctx) => moderation.moderate(viewerOf(ctx), siteOf(body), params.id, body),
    pinComment: ({ params, body }, ctx) => moderation.pin(viewerOf(ctx), siteOf(body), params.id, body.pinned),
    banUser: ({ body }, ctx) => moderation.ban(viewerOf(ctx), siteOf(body), body),
    unbanUser: async ({ params, query }, ctx) => {
      await moderation.unban(viewerOf(ctx), siteOf(query), params.userId);
      return undefined;
    },
    listBans: ({ query }) => moderation.bans(siteOf(query)),
    listAuditLog: ({ query }) => moderation.auditLog(siteOf(query), query.cursor, query.limit),
    getSiteSettings: ({ query }) => moderation.settings(siteOf(query)),
    updateSiteSettings: ({ body }, ctx) => moderation.updateSettings(viewerOf(ctx), siteOf(body), body),
  };
}

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header?.match(/^Bearer ([A-Za-z0-9_-]+)$/);
  return match?.[1];
}

/**
 * Sends a JSON body that is the same for every viewer (comment counts) with a
 * strong ETag made from its bytes, and answers a matching `If-None-Match`
 * with 304. `no-cache`: a browser keeps the body but asks every time, so
 * nobody is shown a stale count.
 */
function sendRevalidatable(req: Request, res: Response, body: Buffer): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  res.vary('Origin');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', etag);
  if (matchesAny(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/**
 * Mounts every route of the protocol's table with authentication,
 * validation, rate limits and, for moderation routes, the moderator check on
 * the request's site. Signed-out thread reads go through `threads`
 * (ETag, 304, rendered cache), comment counts carry an ETag of their body;
 * every other response is `no-store`.
 */
export function apiRouter(
  handlers: Handlers,
  accounts: AccountService,
  defaultSite: string,
  limits: RateLimits,
  threads: ThreadCache,
): Router {
  const router = Router();
  for (const [operationId, spec] of Object.entries(routes) as [OperationId, RouteSpec][]) {
    const handler = handlers[operationId] as (input: unknown, ctx: HandlerContext) => Promise<unknown>;
    router[spec.method](spec.path, async (req, res) => {
      // Public routes read a valid token too (a viewer sees their own held comments); a bad one is ignored there.
      const token = bearerToken(req);
      const viewer = token ? await accounts.authenticate(token) : null;
      if (spec.auth !== 'public' && !viewer) {
        throw new ParleyError(ErrorCode.Unauthenticated, {
          message: req.headers.authorization ? 'Your session has expired. Please sign in again.' : 'Please sign in first.',
        });
      }
      const input = {
        params: spec.params ? parseInput(spec.params, req.params, 'params') : undefined,
        query: spec.query ? parseInput(spec.query, req.query, 'query') : undefined,
        body: spec.body ? parseInput(spec.body, req.body, 'body') : undefined,
      };
      // After validation, so a limit counts requests the server would act on,
      // and before any work (a password hash, a write) is done for them.
      await limits.check(operationId, req, res, {
        user: viewer ? { id: viewer.user.id, email: viewer.user.email } : undefined,
        email: (input.body as { email?: string } | undefined)?.email,
      });
      if (spec.auth === 'moderator') {
        const site = (input.query as { site?: string } | undefined)?.site ?? (input.body as { site?: string } | undefined)?.site ?? defaultSite;
        if (!(await accounts.isModerator(viewer!, site))) {
          throw new ParleyError(ErrorCode.Forbidden, { message: 'You are not a moderator of this site.' });
        }
      }
      if (operationId === 'listComments') {
        // The only response a cache may keep: its CORS headers follow Origin and,
        // for a signed-in reader (their own held comments), its body follows Authorization.
        res.vary('Origin');
        res.vary('Authorization');
        if (!viewer) {
          const query = input.query as RouteInput<'listComments'>['query'];
          await threads.serve({ ...query, site: query.site ?? defaultSite }, req, res);
          return;
        }
      }
      const output = await handler(input, { viewer });
      if (operationId === 'getCommentCounts') {
        sendRevalidatable(req, res, Buffer.from(JSON.stringify(output)));
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      if (output === undefined) res.status(spec.status).end();
      else res.status(spec.status).json(output);
    });
  }
  return router;
}
