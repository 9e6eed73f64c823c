import { Router, type Request } from 'express';
import { routes, type OperationId, type RouteInput, type RouteOutput, type RouteSpec } from '@parley/protocol';
import type { AccountService, Viewer } from '../domain/accounts.js';
import type { CommentService } from '../domain/comments.js';
import { ErrorCode, ParleyError } from '../errors.js';
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
  /** The site a request means when it names none. */
  defaultSite: string;
}

const viewerOf = (ctx: HandlerContext): Viewer => {
  if (!ctx.viewer) throw new ParleyError(ErrorCode.Unauthenticated);
  return ctx.viewer;
};

export function createHandlers({ accounts, comments, defaultSite }: ApiServices): Handlers {
  const site = <T extends { site?: string }>(input: T): T & { site: string } => ({ ...input, site: input.site ?? defaultSite });
  return {
    signUp: ({ body }) => accounts.signUp(site(body)),
    signIn: ({ body }) => accounts.signIn(site(body)),
    signOut: async (_input, ctx) => {
      await accounts.signOut(viewerOf(ctx));
      return undefined;
    },
    getMe: async ({ query }, ctx) => ({ user: await accounts.me(viewerOf(ctx), site(query).site) }),
    listComments: ({ query }) => comments.list(site(query)),
    getComment: ({ params, query }) => comments.get(site(query).site, params.id),
    createComment: ({ body }, ctx) => comments.create(viewerOf(ctx), site(body)),
    updateComment: ({ params, query, body }, ctx) =>
      comments.update(viewerOf(ctx), site(query).site, params.id, body.body),
    deleteComment: ({ params, query }, ctx) => comments.remove(viewerOf(ctx), site(query).site, params.id),
  };
}

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header?.match(/^Bearer ([A-Za-z0-9_-]+)$/);
  return match?.[1];
}

/** Mounts every route of the protocol's table with validation and authentication. */
export function apiRouter(handlers: Handlers, accounts: AccountService): Router {
  const router = Router();
  for (const [operationId, spec] of Object.entries(routes) as [OperationId, RouteSpec][]) {
    const handler = handlers[operationId] as (input: unknown, ctx: HandlerContext) => Promise<unknown>;
    router[spec.method](spec.path, async (req, res) => {
      const viewer = spec.auth === 'session' ? await accounts.authenticate(bearerToken(req)) : null;
      if (spec.auth === 'session' && !viewer) {
        throw new ParleyError(ErrorCode.Unauthenticated, {
          message: req.headers.authorization ? 'Your session has expired. Please sign in again.' : 'Please sign in first.',
        });
      }
      const input = {
        params: spec.params ? parseInput(spec.params, req.params, 'params') : undefined,
        query: spec.query ? parseInput(spec.query, req.query, 'query') : undefined,
        body: spec.body ? parseInput(spec.body, req.body, 'body') : undefined,
      };
      const output = await handler(input, { viewer });
      res.setHeader('Cache-Control', 'no-store');
      if (output === undefined) res.status(spec.status).end();
      else res.status(spec.status).json(output);
    });
  }
  return router;
}
