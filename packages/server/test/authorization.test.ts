import { afterEach, describe, expect, it } from 'vitest';
import { AuditPage, QueuePage, endpointPath, routes, type OperationId, type RouteSpec } from '@parley/protocol';
import {
  api,
  callRoute,
  cleanup,
  expectError,
  postComment,
  signInModerator,
  signUp,
  startServer,
  type RouteCall,
} from './helpers.js';

afterEach(cleanup);

type ModeratorOperation = { [K in OperationId]: (typeof routes)[K]['auth'] extends 'moderator' ? K : never }[OperationId];

/** Every route of the table, with its operationId, whose `auth` is `auth`. */
const routesWith = (auth: RouteSpec['auth']) =>
  (Object.entries(routes) as [OperationId, RouteSpec][]).filter(([, spec]) => spec.auth === auth);

const moderatorRoutes = routesWith('moderator');
const sessionRoutes = routesWith('session');

/** What a request builder gets: ids that exist on the default site. */
interface Fixture {
  commentId: string;
  /** A commenter a moderator may ban and unban. */
  userId: string;
}

type Request = Pick<RouteCall, 'params' | 'query' | 'body'>;

/**
 * A valid request for each moderator route, without `site` (added where the
 * route reads it). A moderator route added to the protocol without an entry
 * here fails to compile, and fails the test below.
 */
const validRequests: Record<ModeratorOperation, (f: Fixture) => Request> = {
  listModerationQueue: () => ({ query: { queue: 'reported' } }),
  moderateComment: (f) => ({ params: { id: f.commentId }, body: { action: 'approve' } }),
  pinComment: (f) => ({ params: { id: f.commentId }, body: { pinned: true } }),
  banUser: (f) => ({ body: { userId: f.userId, duration: '1d', reason: 'Testing the matrix' } }),
  unbanUser: (f) => ({ params: { userId: f.userId } }),
  listBans: () => ({}),
  listAuditLog: () => ({ query: { limit: 5 } }),
  getSiteSettings: () => ({}),
  updateSiteSettings: () => ({ body: { reportThreshold: 4 } }),
};

/** Puts `site` where the route reads it: the query string if it has one, else the body. */
function withSite(spec: RouteSpec, request: Request, site: string | undefined): Request {
  if (site === undefined) return request;
  if (spec.query && 'site' in spec.query.shape) return { ...request, query: { ...request.query, site } };
  if (spec.body) return { ...request, body: { ...(request.body as object), site } };
  throw new Error(`${spec.operationId} names no site`);
}

/** A server with a commenter who posted, a moderator of the default site and a moderator of another site. */
async function setup() {
  const running = await startServer();
  const { url, server } = running;
  await server.store.ensureSite('other', 'other');
  const commenter = await signUp(url, 'Alice');
  const { comment } = await postComment(url, commenter.token, 'A comment');
  const moderator = await signInModerator(running, 'Mod');
  const otherModerator = await signInModerator(running, 'Otto', 'other');
  const fixture: Fixture = { commentId: comment.id, userId: commenter.user.id };
  const call = (operationId: ModeratorOperation, token: string | undefined, site: string | undefined = 'default') => {
    const spec = routes[operationId] as RouteSpec;
    return callRoute(url, operationId, { token, ...withSite(spec, validRequests[operationId](fixture), site) });
  };
  const auditLog = async () =>
    AuditPage.parse((await callRoute(url, 'listAuditLog', { token: moderator.token, query: { site: 'default' } })).body).entries;
  return { ...running, commenter, moderator, otherModerator, fixture, call, auditLog };
}

describe('moderator routes', () => {
  it('has a valid request for every moderator route of the protocol', () => {
    expect(moderatorRoutes.length).toBeGreaterThan(0);
    expect(Object.keys(validRequests).sort()).toEqual(moderatorRoutes.map(([id]) => id).sort());
  });

  it.each(moderatorRoutes.map(([id]) => id as ModeratorOperation))(
    '%s: 401 signed out, 403 for a commenter and for a moderator of another site, success for a moderator of the site',
    async (operationId) => {
      const spec = routes[operationId] as RouteSpec;
      const { call, commenter, otherModerator, moderator, auditLog } = await setup();

      const signedOut = expectError(await call(operationId, undefined), 401, 'unauthenticated');
      expect(signedOut.message).toBe('Please sign in first.');
      expectError(await call(operationId, 'not-a-real-token'), 401, 'unauthenticated');

      for (const token of [commenter.token, otherModerator.token]) {
        const error = expectError(await call(operationId, token), 403, 'forbidden');
        expect(error.message).toBe('You are not a moderator of this site.');
      }
      // Without a site the request means the server's default site, which Otto does not moderate either.
      expectError(await call(operationId, otherModerator.token, undefined), 403, 'forbidden');
      // Nothing the refused requests asked for happened.
      expect(await auditLog()).toEqual([]);

      const res = await call(operationId, moderator.token);
      expect(res.status, res.text).toBe(spec.status);
      if (spec.response) spec.response.parse(res.body);
      else expect(res.text).toBe('');
    },
  );

  it("refuses a moderator of the default site on another site's routes", async () => {
    const { call, moderator } = await setup();
    for (const [operationId] of moderatorRoutes) {
      expectError(await call(operationId as ModeratorOperation, moderator.token, 'other'), 403, 'forbidden');
    }
  });

  it('refuses a site the server does not serve with 403, not a hint that it exists', async () => {
    const { call, moderator } = await setup();
    expectError(await call('getSiteSettings', moderator.token, 'nowhere'), 403, 'forbidden');
  });

  it('checks the role on every request: a moderator demoted is refused at once', async () => {
    const { server, call, moderator } = await setup();
    expect((await call('getSiteSettings', moderator.token)).status).toBe(200);
    await server.store.setRole('default', moderator.user.id, 'commenter');
    expectError(await call('getSiteSettings', moderator.token), 403, 'forbidden');
  });

  it("shows a moderator of one site nothing of another site's queues", async () => {
    const { url, fixture, moderator, otherModerator } = await setup();
    const reader = await signUp(url, 'Bob');
    await callRoute(url, 'reportComment', { token: reader.token, params: { id: fixture.commentId }, body: { site: 'default', reason: 'spam' } });
    const queue = async (token: string, site: string) =>
      QueuePage.parse((await callRoute(url, 'listModerationQueue', { token, query: { site, queue: 'reported' } })).body).items;
    expect((await queue(moderator.token, 'default')).map((i) => i.comment.id)).toEqual([fixture.commentId]);
    expect(await queue(otherModerator.token, 'other')).toEqual([]);
  });

  it("cannot act on another site's comments through its own site", async () => {
    const { url, otherModerator, fixture } = await setup();
    for (const [operationId, body] of [
      ['moderateComment', { site: 'other', action: 'remove', reason: 'Not mine to remove' }],
      ['pinComment', { site: 'other', pinned: true }],
    ] as const) {
      expectError(await callRoute(url, operationId, { token: otherModerator.token, params: { id: fixture.commentId }, body }), 404, 'comment_not_found');
    }
  });

  it('bans only on the site the moderator moderates', async () => {
    const { url, otherModerator, commenter } = await setup();
    await callRoute(url, 'banUser', {
      token: otherModerator.token,
      body: { site: 'other', userId: commenter.user.id, duration: 'permanent', reason: 'Elsewhere' },
    });
    expect((await postComment(url, commenter.token, 'Still fine on default')).comment.status).toBe('published');
  });
});

describe('session routes', () => {
  it.each(sessionRoutes.map(([id]) => id))('%s refuses a signed-out request with 401', async (operationId) => {
    const { url } = await startServer();
    const spec = routes[operationId];
    // Authentication comes before validation, so any well-formed path will do.
    const path = endpointPath(spec.path, { id: '1', userId: '1' });
    const signedOut = expectError(await api(url, spec.method.toUpperCase(), path), 401, 'unauthenticated');
    expect(signedOut.message).toBe('Please sign in first.');
    const expired = expectError(await api(url, spec.method.toUpperCase(), path, { token: 'no-such-session' }), 401, 'unauthenticated');
    expect(expired.message).toBe('Your session has expired. Please sign in again.');
  });
});

describe('the OpenAPI document', () => {
  it('marks every route that needs a session, moderator routes included, with bearer security', async () => {
    const { url } = await startServer();
    const doc = (await api(url, 'GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, { operationId: string; security?: unknown }>>;
    };
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    for (const operation of operations) {
      const spec = routes[operation.operationId as OperationId];
      if (spec.auth === 'public') expect(operation.security, operation.operationId).toBeUndefined();
      else expect(operation.security, operation.operationId).toEqual([{ bearer: [] }]);
    }
  });
});
