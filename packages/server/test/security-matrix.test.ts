import { afterEach, describe, expect, it } from 'vitest';
import {
  CommentResponse,
  CommentThread,
  JoinModerationReply,
  JoinPageReply,
  MeResponse,
  Session,
  SingleCommentResponse,
  routes,
  type ClientToServerEvents,
  type ErrorCode,
  type OperationId,
  type RouteSpec,
} from '@parley/protocol';
import {
  EventLog,
  ModerationLog,
  PASSWORD,
  WAIT_MS,
  callRoute,
  cleanup,
  connect,
  expectError,
  expectOk,
  joinModeration,
  joinPage,
  openSession,
  quickUser,
  roundTrip,
  sharedServer,
  untyped,
  type ClientSocket,
  type RouteCall,
  type RunningServer,
  type TestUser,
} from './helpers.js';

afterEach(cleanup);

// ----- Who asks -----

/** Every kind of caller the policy distinguishes, in the order of the tables' columns. */
const roles = ['signedOut', 'reader', 'author', 'otherCommenter', 'banned', 'otherModerator', 'moderator'] as const;
type MatrixRole = (typeof roles)[number];

const roleNames: Record<MatrixRole, string> = {
  signedOut: 'signed out',
  reader: 'a reader',
  author: 'the author',
  otherCommenter: 'another commenter',
  banned: 'a banned user',
  otherModerator: 'a moderator of another site',
  moderator: 'a moderator of the site',
};

/**
 * A small world of its own for one cell of a matrix: a site and a second
 * site, a thread with the author's comment and another commenter's reply to
 * it, a reader who only reads, a user the site's moderator banned, and a
 * moderator of each site. Every cell builds a new one on its own sites with
 * its own users, so no cell sees what another did.
 */
interface Cell {
  site: string;
  otherSite: string;
  page: string;
  author: TestUser;
  reader: TestUser;
  otherCommenter: TestUser;
  banned: TestUser;
  otherModerator: TestUser;
  moderator: TestUser;
  /** The author's comment: what comment routes target. */
  commentId: string;
  /** The other commenter's reply to it. */
  replyId: string;
}

let cellCount = 0;

async function buildCell({ server, url }: RunningServer): Promise<Cell> {
  const n = ++cellCount;
  const site = `cell-${n}`;
  const otherSite = `cell-${n}-other`;
  const page = '/thread';
  await server.store.ensureSite(site, site);
  await server.store.ensureSite(otherSite, otherSite);
  const user = (name: string, role?: { site: string; role: 'moderator' }) =>
    quickUser(server, name, { email: `${name.toLowerCase()}-${n}@example.com`, ...role });
  const author = await user('Alice');
  const reader = await user('Rita');
  const otherCommenter = await user('Oscar');
  const banned = await user('Bert');
  const otherModerator = await user('Otto', { site: otherSite, role: 'moderator' });
  const moderator = await user('Mod', { site, role: 'moderator' });

  const post = async (token: string, body: string, parentId?: string) =>
    expectOk(await callRoute(url, 'createComment', { token, body: { site, page, body, parentId } }), 201, CommentResponse).comment.id;
  const commentId = await post(author.token, 'The original comment');
  const replyId = await post(otherCommenter.token, 'A reply to it', commentId);
  const ban = await callRoute(url, 'banUser', {
    token: moderator.token,
    body: { site, userId: banned.id, duration: 'permanent', reason: 'Banned for the matrix' },
  });
  expect(ban.status, ban.text).toBe(201);
  return { site, otherSite, page, author, reader, otherCommenter, banned, otherModerator, moderator, commentId, replyId };
}

const actorOf = (cell: Cell, role: MatrixRole): TestUser | null => (role === 'signedOut' ? null : cell[role]);

/**
 * What the cell's site looks like to the store: its comments, audit log,
 * bans, settings and the author's blocks. A refused request must leave all of
 * it as it was.
 */
async function snapshot({ server }: RunningServer, cell: Cell) {
  const { store } = server;
  const now = new Date().toISOString();
  return {
    comment: await store.getComment(cell.site, cell.commentId),
    reply: await store.getComment(cell.site, cell.replyId),
    audit: await store.listAudit({ siteId: cell.site, limit: 100 }),
    bans: await store.listBans(cell.site, now),
    settings: await store.getSettings(cell.site),
    authorBlocks: await store.listBlocks(cell.site, cell.author.id),
  };
}

// ----- REST -----

type Request = Pick<RouteCall, 'params' | 'query' | 'body'>;

/**
 * A valid request for every route, on the cell's site, as `actor` (null when
 * signed out) would send it. Routes about a comment target the author's
 * comment; routes about a user target the author (or, to lift a ban, the
 * banned user). A route added to the protocol without an entry here fails to
 * compile, and fails the first test below.
 */
const requests: Record<OperationId, (cell: Cell, actor: TestUser | null) => Request> = {
  signUp: (c) => ({ body: { site: c.site, name: 'Newcomer', email: `newcomer@${c.site}.example.com`, password: PASSWORD } }),
  // Each caller signs in to their own account; signed out, to the author's.
  signIn: (c, actor) => ({ body: { site: c.site, email: (actor ?? c.author).email, password: PASSWORD } }),
  signOut: () => ({}),
  getMe: (c) => ({ query: { site: c.site } }),
  changePassword: () => ({ body: { currentPassword: PASSWORD, newPassword: 'an entirely new passphrase' } }),
  listComments: (c) => ({ query: { site: c.site, page: c.page } }),
  getComment: (c) => ({ params: { id: c.commentId }, query: { site: c.site } }),
  getCommentCounts: (c) => ({ query: { site: c.site, page: c.page } }),
  createComment: (c) => ({ body: { site: c.site, page: c.page, parentId: c.commentId, body: 'Replying' } }),
  updateComment: (c) => ({ params: { id: c.commentId }, query: { site: c.site }, body: { body: 'Rewritten' } }),
  deleteComment: (c) => ({ params: { id: c.commentId }, query: { site: c.site } }),
  reportComment: (c) => ({ params: { id: c.commentId }, body: { site: c.site, reason: 'spam' } }),
  blockUser: (c) => ({ body: { site: c.site, userId: c.author.id } }),
  unblockUser: (c) => ({ params: { userId: c.author.id }, query: { site: c.site } }),
  listBlockedUsers: (c) => ({ query: { site: c.site } }),
  listMyComments: (c) => ({ query: { site: c.site } }),
  exportMyData: (c) => ({ query: { site: c.site } }),
  deleteMyAccount: () => ({}),
  listModerationQueue: (c) => ({ query: { site: c.site, queue: 'reported' } }),
  moderateComment: (c) => ({ params: { id: c.commentId }, body: { site: c.site, action: 'remove', reason: 'Removed by the matrix' } }),
  pinComment: (c) => ({ params: { id: c.commentId }, body: { site: c.site, pinned: true } }),
  banUser: (c) => ({ body: { site: c.site, userId: c.author.id, duration: '1d', reason: 'Banned by the matrix' } }),
  unbanUser: (c) => ({ params: { userId: c.banned.id }, query: { site: c.site } }),
  listBans: (c) => ({ query: { site: c.site } }),
  listAuditLog: (c) => ({ query: { site: c.site } }),
  getSiteSettings: (c) => ({ query: { site: c.site } }),
  updateSiteSettings: (c) => ({ body: { site: c.site, premoderation: 'all', lockedPages: [c.page] } }),
};

/** The route's own success status. */
const OK = 'ok';
type Outcome = typeof OK | { status: number; code: ErrorCode };
const SIGN_IN: Outcome = { status: 401, code: 'unauthenticated' };
const FORBIDDEN: Outcome = { status: 403, code: 'forbidden' };
const BANNED: Outcome = { status: 403, code: 'user_banned' };
const INVALID: Outcome = { status: 400, code: 'validation_failed' };

type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
const MODERATORS_ONLY: Row = [SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK];
const ANY_SESSION: Row = [SIGN_IN, OK, OK, OK, OK, OK, OK];
const ANYONE: Row = [OK, OK, OK, OK, OK, OK, OK];

/**
 * The policy: who may call what. Columns are {@link roles}. A moderator of
 * another site is, here, just another reader; a ban stops writing on the site
 * (posting, reporting), not reading, blocking or leaving. Moderators don't
 * edit or delete other people's words: they remove them (moderateComment).
 */
const policy: Record<OperationId, Row> = {
  //                   signed out  reader     author     other      banned     mod elsewhere  moderator
  signUp:              ANYONE,
  signIn:              ANYONE,
  signOut:             ANY_SESSION,
  getMe:               ANY_SESSION,
  changePassword:      ANY_SESSION,
  listComments:        ANYONE,
  getComment:          ANYONE,
  getCommentCounts:    ANYONE,
  createComment:       [SIGN_IN,    OK,        OK,        OK,        BANNED,    OK,            OK],
  updateComment:       [SIGN_IN,    FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,     FORBIDDEN],
  deleteComment:       [SIGN_IN,    FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,     FORBIDDEN],
  reportComment:       [SIGN_IN,    OK,        FORBIDDEN, OK,        BANNED,    OK,            OK],
  blockUser:           [SIGN_IN,    OK,        INVALID,   OK,        OK,        OK,            OK],
  unblockUser:         ANY_SESSION,
  listBlockedUsers:    ANY_SESSION,
  listMyComments:      ANY_SESSION,
  exportMyData:        ANY_SESSION,
  deleteMyAccount:     ANY_SESSION,
  listModerationQueue: MODERATORS_ONLY,
  moderateComment:     MODERATORS_ONLY,
  pinComment:          MODERATORS_ONLY,
  banUser:             MODERATORS_ONLY,
  unbanUser:           MODERATORS_ONLY,
  listBans:            MODERATORS_ONLY,
  listAuditLog:        MODERATORS_ONLY,
  getSiteSettings:     MODERATORS_ONLY,
  updateSiteSettings:  MODERATORS_ONLY,
};

const operationIds = Object.keys(routes) as OperationId[];

const outcomeLabel = (operationId: OperationId, outcome: Outcome) =>
  outcome === OK ? `${routes[operationId].status}` : `${outcome.status} ${outcome.code}`;

describe('REST authorization matrix: every route × every role', () => {
  const running = sharedServer();

  it('has a request and a policy row for every route of the protocol, and no others', () => {
    expect(Object.keys(requests).sort()).toEqual([...operationIds].sort());
    expect(Object.keys(policy).sort()).toEqual([...operationIds].sort());
  });

  const cells = operationIds.flatMap((operationId) =>
    roles.map((role, column) => {
      // A route missing from the policy still gets its cells, which then fail.
      const expected = policy[operationId]?.[column];
      const label = expected ? outcomeLabel(operationId, expected) : 'no policy';
      return { operationId, role, expected, name: `${operationId} by ${roleNames[role]} → ${label}` };
    }),
  );

  it.each(cells)('$name', async ({ operationId, role, expected }) => {
    if (!expected) throw new Error(`${operationId} has no row in the policy table`);
    const server = running();
    const cell = await buildCell(server);
    const actor = actorOf(cell, role);
    const spec = routes[operationId] as RouteSpec;
    const before = await snapshot(server, cell);

    const res = await callRoute(server.url, operationId, { token: actor?.token, ...requests[operationId](cell, actor) });

    if (expected === OK) {
      expect(res.status, res.text).toBe(spec.status);
      if (spec.response) spec.response.parse(res.body);
      else expect(res.text).toBe('');
    } else {
      expectError(res, expected.status, expected.code);
      expect(await snapshot(server, cell)).toEqual(before);
    }
  });
});

// ----- Sockets -----

type ClientEvent = keyof ClientToServerEvents;

/** What a socket gets after sending an event: the room's events, nothing, or a refusal (and nothing). */
type SocketOutcome = { receives: true } | { receives: false; refused?: ErrorCode };
const RECEIVES: SocketOutcome = { receives: true };
const NOTHING: SocketOutcome = { receives: false };
const refused = (code: ErrorCode): SocketOutcome => ({ receives: false, refused: code });
const NOT_MODERATOR = refused('forbidden');
const NO_TOKEN = refused('validation_failed');

type SocketRow = readonly [SocketOutcome, SocketOutcome, SocketOutcome, SocketOutcome, SocketOutcome, SocketOutcome, SocketOutcome];

/**
 * The socket policy, columns as in {@link roles}. Page rooms are public like
 * the threads they follow (a socket carries no identity there); the
 * moderation room needs a moderator's token for the site. Signed out, there
 * is no token to send, which the request's schema refuses. After leaving,
 * nothing arrives.
 */
const socketPolicy: Record<ClientEvent, SocketRow> = {
  //                  signed out  reader         author         other          banned         mod elsewhere  moderator
  'page:join':        [RECEIVES,  RECEIVES,      RECEIVES,      RECEIVES,      RECEIVES,      RECEIVES,      RECEIVES],
  'page:leave':       [NOTHING,   NOTHING,       NOTHING,       NOTHING,       NOTHING,       NOTHING,       NOTHING],
  'moderation:join':  [NO_TOKEN,  NOT_MODERATOR, NOT_MODERATOR, NOT_MODERATOR, NOT_MODERATOR, NOT_MODERATOR, RECEIVES],
  'moderation:leave': [NOTHING,   NOTHING,       NOTHING,       NOTHING,       NOTHING,       NOTHING,       NOTHING],
};

const replyCode = (reply: JoinPageReply | JoinModerationReply): string =>
  reply.ok ? 'ok' : (reply.error?.code ?? 'reload');

interface SocketAction {
  /** Which room's events the cell listens for. */
  room: 'page' | 'moderation';
  /** Sends the event (after whatever it needs first); returns the reply's code, if the event has a reply. */
  send(socket: ClientSocket, cell: Cell, actor: TestUser | null): Promise<string | undefined>;
}

const socketActions: Record<ClientEvent, SocketAction> = {
  'page:join': {
    room: 'page',
    send: async (socket, c) => replyCode(JoinPageReply.parse(await joinPage(socket, c.page, undefined, c.site))),
  },
  'page:leave': {
    room: 'page',
    send: async (socket, c) => {
      expect((await joinPage(socket, c.page, undefined, c.site)).ok).toBe(true);
      socket.emit('page:leave', { site: c.site, page: c.page });
      return undefined;
    },
  },
  'moderation:join': {
    room: 'moderation',
    send: async (socket, c, actor) => {
      const reply = actor
        ? await joinModeration(socket, actor.token, c.site)
        : await untyped(socket).timeout(WAIT_MS).emitWithAck('moderation:join', { site: c.site });
      return replyCode(JoinModerationReply.parse(reply));
    },
  },
  'moderation:leave': {
    room: 'moderation',
    send: async (socket, c, actor) => {
      if (actor) await joinModeration(socket, actor.token, c.site);
      socket.emit('moderation:leave', { site: c.site });
      return undefined;
    },
  },
};

/** Makes something happen in a cell's room: a new comment on its page, or a report for its moderators. */
async function stirRoom({ url }: RunningServer, cell: Cell, room: 'page' | 'moderation') {
  const res =
    room === 'page'
      ? await callRoute(url, 'createComment', { token: cell.author.token, body: { site: cell.site, page: cell.page, body: 'Something new' } })
      : await callRoute(url, 'reportComment', { token: cell.reader.token, params: { id: cell.commentId }, body: { site: cell.site, reason: 'spam' } });
  expect(res.status, res.text).toBe(201);
}

describe('socket authorization matrix: every client event × every role', () => {
  const running = sharedServer();

  const cells = (Object.keys(socketPolicy) as ClientEvent[]).flatMap((event) =>
    roles.map((role, column) => {
      const expected = socketPolicy[event][column]!;
      const label = expected.receives ? 'receives the room' : expected.refused ? `refused (${expected.refused}), receives nothing` : 'receives nothing';
      return { event, role, expected, name: `${event} by ${roleNames[role]} → ${label}` };
    }),
  );

  it.each(cells)('$name', async ({ event, role, expected }) => {
    const server = running();
    const cell = await buildCell(server);
    const action = socketActions[event];
    const socket = await connect(server.url);
    const pageLog = new EventLog(socket);
    const moderationLog = new ModerationLog(socket);

    const reply = await action.send(socket, cell, actorOf(cell, role));
    if (expected.receives) expect(reply).toBe('ok');
    else if (expected.refused) expect(reply).toBe(expected.refused);
    // The server has handled what was sent before anything happens in the room.
    await roundTrip(socket);
    await stirRoom(server, cell, action.room);

    if (expected.receives) {
      const [received] = action.room === 'page' ? await pageLog.waitFor(1) : await moderationLog.waitFor(1);
      expect(received).toMatchObject({ site: cell.site });
    } else {
      // Anything sent to this socket before the round trip's answer has arrived by now.
      await roundTrip(socket);
      expect(pageLog.events).toEqual([]);
      expect(moderationLog.events).toEqual([]);
    }
  });
});

// ----- Targeted cases -----

describe('targeted authorization cases', () => {
  const running = sharedServer();

  it("refuses to edit or delete someone else's comment with 403, and nothing changes, not even live", async () => {
    const server = running();
    const cell = await buildCell(server);
    const watcher = await connect(server.url);
    const log = new EventLog(watcher);
    expect((await joinPage(watcher, cell.page, undefined, cell.site)).ok).toBe(true);
    const { url } = server;
    const original = expectOk(
      await callRoute(url, 'getComment', { params: { id: cell.commentId }, query: { site: cell.site } }),
      200,
      SingleCommentResponse,
    ).comment;

    for (const intruder of [cell.otherCommenter, cell.reader, cell.moderator]) {
      const target = { token: intruder.token, params: { id: cell.commentId }, query: { site: cell.site } };
      const edit = expectError(await callRoute(url, 'updateComment', { ...target, body: { body: 'Hijacked' } }), 403, 'forbidden');
      expect(edit.message).toBe('You can only change your own comments.');
      expectError(await callRoute(url, 'deleteComment', target), 403, 'forbidden');
    }

    const after = expectOk(
      await callRoute(url, 'getComment', { params: { id: cell.commentId }, query: { site: cell.site } }),
      200,
      SingleCommentResponse,
    ).comment;
    expect(after).toEqual(original);
    await roundTrip(watcher);
    expect(log.events).toEqual([]);
  });

  it('keeps a non-moderator out of the moderation room, also by a page key that spells its name', async () => {
    const server = running();
    const cell = await buildCell(server);
    const socket = await connect(server.url);
    const log = new ModerationLog(socket);
    expect(await joinModeration(socket, cell.reader.token, cell.site)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Room names are prefixed by kind, so no page key lands in `moderation:SITE`.
    for (const page of [`moderation:${cell.site}`, `:moderation:${cell.site}`, '../moderation']) {
      expect((await joinPage(socket, page, undefined, cell.site)).ok).toBe(true);
    }
    await stirRoom(server, cell, 'moderation');
    const held = await callRoute(server.url, 'updateSiteSettings', { token: cell.moderator.token, body: { site: cell.site, bannedWords: ['forbidden'] } });
    expect(held.status, held.text).toBe(200);
    await roundTrip(socket);
    expect(log.events).toEqual([]);
  });

  it("takes a comment's author from the token, never from the body", async () => {
    const server = running();
    const cell = await buildCell(server);
    const { url } = server;
    const forged = {
      site: cell.site,
      page: cell.page,
      body: 'Posted as someone else?',
      authorId: cell.moderator.id,
      author: { id: cell.moderator.id, name: cell.moderator.name },
      userId: cell.moderator.id,
      user: { id: cell.moderator.id },
      name: 'Mod',
      id: '1',
      status: 'published',
      pinned: true,
      createdAt: '2000-01-01T00:00:00.000Z',
    };
    const { comment } = expectOk(await callRoute(url, 'createComment', { token: cell.reader.token, body: forged }), 201, CommentResponse);
    expect(comment.author).toEqual({ id: cell.reader.id, name: cell.reader.name });
    expect(comment.id).not.toBe('1');
    expect(comment.pinned).toBe(false);
    expect(comment.createdAt).not.toBe(forged.createdAt);
    expect((await server.server.store.getComment(cell.site, comment.id))?.authorId).toBe(cell.reader.id);

    // An edit carrying an author changes the text, not whose it is.
    const edited = expectOk(
      await callRoute(url, 'updateComment', {
        token: cell.reader.token,
        params: { id: comment.id },
        query: { site: cell.site },
        body: { body: 'Edited', author: { id: cell.author.id, name: 'Alice' }, authorId: cell.author.id },
      }),
      200,
      CommentResponse,
    ).comment;
    expect(edited.author).toEqual({ id: cell.reader.id, name: cell.reader.name });

    const thread = expectOk(await callRoute(url, 'listComments', { query: { site: cell.site, page: cell.page } }), 200, CommentThread);
    expect(thread.comments.find((c) => c.id === comment.id)?.author).toEqual({ id: cell.reader.id, name: cell.reader.name });
  });

  it('makes every new account a commenter, whatever the sign-up body claims', async () => {
    const server = running();
    const cell = await buildCell(server);
    const { url } = server;
    const session = expectOk(
      await callRoute(url, 'signUp', {
        body: {
          site: cell.site,
          name: 'Mallory',
          email: `mallory@${cell.site}.example.com`,
          password: PASSWORD,
          role: 'moderator',
          user: { role: 'moderator' },
          id: cell.moderator.id,
          ban: null,
        },
      }),
      201,
      Session,
    );
    expect(session.user.role).toBe('commenter');
    expect(session.user.id).not.toBe(cell.moderator.id);
    const me = expectOk(await callRoute(url, 'getMe', { token: session.token, query: { site: cell.site } }), 200, MeResponse);
    expect(me.user.role).toBe('commenter');
    expectError(await callRoute(url, 'getSiteSettings', { token: session.token, query: { site: cell.site } }), 403, 'forbidden');
  });

  /** Ways a moderator's token stops being good; each returns the dead token. */
  const deadTokens: Record<string, (server: RunningServer, cell: Cell) => Promise<string>> = {
    'revoked by signing out': async ({ url }, cell) => {
      expect((await callRoute(url, 'signOut', { token: cell.moderator.token })).status).toBe(204);
      return cell.moderator.token;
    },
    'of a deleted account': async ({ url }, cell) => {
      expect((await callRoute(url, 'deleteMyAccount', { token: cell.moderator.token })).status).toBe(204);
      return cell.moderator.token;
    },
    'past its expiry': async ({ server }, cell) => openSession(server, cell.moderator.id, new Date(Date.now() - 1000).toISOString()),
    'ended by a password change in another session': async ({ server, url }, cell) => {
      const other = await openSession(server, cell.moderator.id);
      const res = await callRoute(url, 'changePassword', {
        token: other,
        body: { currentPassword: PASSWORD, newPassword: 'a different passphrase' },
      });
      expect(res.status, res.text).toBe(204);
      return cell.moderator.token;
    },
  };

  it.each(Object.keys(deadTokens))('answers a token %s with 401 on every route that needs a session, and as to a stranger elsewhere', async (how) => {
    const server = running();
    const cell = await buildCell(server);
    const { url } = server;
    // Alive, the token opens the moderator routes, so a 401 below is the token's death and nothing else.
    expect((await callRoute(url, 'getSiteSettings', { token: cell.moderator.token, query: { site: cell.site } })).status).toBe(200);
    const token = await deadTokens[how]!(server, cell);

    for (const operationId of operationIds) {
      const request = requests[operationId](cell, cell.moderator);
      const res = await callRoute(url, operationId, { token, ...request });
      if (routes[operationId].auth === 'public') {
        // A public route ignores a bad token: the answer is the one a signed-out caller gets.
        if (operationId === 'signUp' || operationId === 'signIn') continue;
        const anonymous = await callRoute(url, operationId, request);
        expect(res.status, `${operationId}: ${res.text}`).toBe(anonymous.status);
        expect(res.body).toEqual(anonymous.body);
      } else {
        const error = expectError(res, 401, 'unauthenticated');
        expect(error.message, operationId).toBe('Your session has expired. Please sign in again.');
      }
    }

    const socket = await connect(url);
    expect(await joinModeration(socket, token, cell.site)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('honours a token until its expiry and refuses it from then on', async () => {
    const server = running();
    const cell = await buildCell(server);
    const expiresAt = Date.now() + 1000;
    const token = await openSession(server.server, cell.reader.id, new Date(expiresAt).toISOString());
    const me = () => callRoute(server.url, 'getMe', { token, query: { site: cell.site } });
    expect((await me()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 20));
    expectError(await me(), 401, 'unauthenticated');
  });
});
