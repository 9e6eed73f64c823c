import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditPage,
  BanResponse,
  BansPage,
  CommentResponse,
  DeleteCommentResponse,
  JoinPageReply,
  MeResponse,
  QueuePage,
  ReportResponse,
  banDurations,
  routes,
  type BanDuration,
} from '@parley/protocol';
import {
  EventLog,
  callRoute,
  cleanup,
  connect,
  expectError,
  expectOk,
  joinPage,
  listComments,
  postComment,
  signInModerator,
  signUp,
  startServer,
  type ApiResponse,
} from './helpers.js';

afterEach(cleanup);

const DAY_MS = 86_400_000;

/** A server with a troll, a reader and a moderator of the default site. */
async function setup() {
  const running = await startServer();
  const { url } = running;
  const troll = await signUp(url, 'Troll');
  const reader = await signUp(url, 'Bob');
  const moderator = await signInModerator(running, 'Mod');
  const ban = (body: Record<string, unknown>): Promise<ApiResponse> =>
    callRoute(url, 'banUser', { token: moderator.token, body: { site: 'default', duration: 'permanent', reason: 'Trolling', ...body } });
  const unban = (userId: string): Promise<ApiResponse> =>
    callRoute(url, 'unbanUser', { token: moderator.token, params: { userId }, query: { site: 'default' } });
  const me = async (token: string, site = 'default') => expectOk(await callRoute(url, 'getMe', { token, query: { site } }), 200, MeResponse).user;
  return { ...running, troll, reader, moderator, ban, unban, me };
}

const create = (url: string, token: string, body: string, site = 'default'): Promise<ApiResponse> =>
  callRoute(url, 'createComment', { token, body: { site, page: '/a', body } });

async function follow(url: string, page: string) {
  const socket = await connect(url);
  const log = new EventLog(socket);
  expect(JoinPageReply.parse(await joinPage(socket, page)).ok).toBe(true);
  return log;
}

describe('banUser', () => {
  it.each(banDurations.filter((d) => d !== 'permanent'))('bans for %s: expiresAt is that long from now', async (duration) => {
    const { troll, ban } = await setup();
    const days = { '1d': 1, '7d': 7, '30d': 30 }[duration as Exclude<BanDuration, 'permanent'>];
    const before = Date.now();
    const res = expectOk(await ban({ userId: troll.user.id, duration, reason: 'Spam' }), 201, BanResponse);
    const after = Date.now();
    expect(res.ban).toMatchObject({ user: { id: troll.user.id, name: 'Troll' }, reason: 'Spam', removedComments: 0 });
    const expires = Date.parse(res.ban.expiresAt!);
    expect(expires).toBeGreaterThanOrEqual(before + days * DAY_MS);
    expect(expires).toBeLessThanOrEqual(after + days * DAY_MS);
  });

  it('bans for good with no end date', async () => {
    const { troll, ban } = await setup();
    const res = expectOk(await ban({ userId: troll.user.id, duration: 'permanent' }), 201, BanResponse);
    expect(res.ban.expiresAt).toBeNull();
  });

  it('shows the ban to the banned user in getMe, and only on that site', async () => {
    const { server, url, troll, ban, me } = await setup();
    await server.store.ensureSite('other', 'other');
    expect((await me(troll.token)).ban).toBeNull();
    const { ban: made } = expectOk(await ban({ userId: troll.user.id, duration: '7d', reason: 'Insults' }), 201, BanResponse);
    expect((await me(troll.token)).ban).toEqual({ reason: 'Insults', expiresAt: made.expiresAt });
    expect((await me(troll.token, 'other')).ban).toBeNull();
    expectOk(await create(url, troll.token, 'Still welcome here', 'other'), 201, CommentResponse);
  });

  it('refuses a temporary ban\'s writes with 403 user_banned and a message with the end date', async () => {
    const { url, troll, reader, ban } = await setup();
    const own = await postComment(url, troll.token, 'Before the ban');
    const others = await postComment(url, reader.token, 'A reader');
    const { ban: made } = expectOk(await ban({ userId: troll.user.id, duration: '1d' }), 201, BanResponse);
    const until = made.expiresAt!.slice(0, 10);

    const refusals = [
      ['createComment', await create(url, troll.token, 'After the ban')],
      ['createComment', await callRoute(url, 'createComment', { token: troll.token, body: { site: 'default', page: '/a', body: 'A reply', parentId: others.comment.id } })],
      ['updateComment', await callRoute(url, 'updateComment', { token: troll.token, params: { id: own.comment.id }, query: { site: 'default' }, body: { body: 'Edited' } })],
      ['reportComment', await callRoute(url, 'reportComment', { token: troll.token, params: { id: others.comment.id }, body: { site: 'default', reason: 'spam' } })],
    ] as const;
    for (const [operationId, res] of refusals) {
      const error = expectError(res, 403, 'user_banned');
      expect(error.message).toBe(`You can't comment on this site until ${until}.`);
      // The OpenAPI document lists the code for the route.
      expect(routes[operationId].errors, operationId).toContain('user_banned');
    }
    expect((await listComments(url)).comments.map((c) => c.html)).toEqual(['<p>A reader</p>', '<p>Before the ban</p>']);
  });

  it("refuses a permanent ban's writes with the plain message", async () => {
    const { url, troll, ban } = await setup();
    await ban({ userId: troll.user.id, duration: 'permanent' });
    const error = expectError(await create(url, troll.token, 'Hello'), 403, 'user_banned');
    expect(error.message).toBe("You can't comment on this site.");
  });

  it('still lets a banned user delete their own comment', async () => {
    const { url, troll, ban } = await setup();
    const { comment } = await postComment(url, troll.token, 'Regrettable');
    await ban({ userId: troll.user.id });
    const res = await callRoute(url, 'deleteComment', { token: troll.token, params: { id: comment.id }, query: { site: 'default' } });
    expect(expectOk(res, 200, DeleteCommentResponse)).toMatchObject({ id: comment.id, mode: 'removed' });
    expect((await listComments(url)).comments).toEqual([]);
  });

  it('removes their comments when asked, live on every page, and lists them as removed', async () => {
    const { url, troll, reader, ban, moderator } = await setup();
    const onA = await postComment(url, troll.token, 'Troll on A', { page: '/a' });
    const onB = await postComment(url, troll.token, 'Troll on B', { page: '/b' });
    const withReply = await postComment(url, troll.token, 'Troll with a reply', { page: '/b' });
    await postComment(url, reader.token, 'Do not feed', { page: '/b', parentId: withReply.comment.id });
    const kept = await postComment(url, reader.token, 'Reader on A', { page: '/a' });
    const logA = await follow(url, '/a');
    const logB = await follow(url, '/b');

    const res = expectOk(await ban({ userId: troll.user.id, reason: 'Trolling', removeComments: true }), 201, BanResponse);
    expect(res.ban.removedComments).toBe(3);

    expect(await logA.waitFor(1)).toEqual([expect.objectContaining({ type: 'comment:deleted', id: onA.comment.id, mode: 'removed' })]);
    const eventsB = await logB.waitFor(2);
    expect(eventsB).toEqual([
      expect.objectContaining({ type: 'comment:deleted', id: onB.comment.id, mode: 'removed' }),
      expect.objectContaining({ type: 'comment:updated', comment: expect.objectContaining({ id: withReply.comment.id, status: 'removed' }) }),
    ]);

    expect((await listComments(url, { page: '/a' })).comments.map((c) => c.id)).toEqual([kept.comment.id]);
    expect((await listComments(url, { page: '/b' })).comments.map((c) => [c.id, c.status])).toEqual([
      [withReply.comment.id, 'removed'],
      [expect.any(String), 'published'],
    ]);

    const removed = expectOk(
      await callRoute(url, 'listModerationQueue', { token: moderator.token, query: { site: 'default', queue: 'removed' } }),
      200,
      QueuePage,
    );
    expect(removed.items.map((i) => i.comment.id).sort()).toEqual([onA.comment.id, onB.comment.id, withReply.comment.id].sort());
    expect(removed.items.every((i) => i.removedReason === 'Author banned: Trolling')).toBe(true);
    expect(removed.items[0]?.author).toMatchObject({ id: troll.user.id, ban: { reason: 'Trolling', expiresAt: null } });
  });

  it('leaves their comments up when not asked to remove them', async () => {
    const { url, troll, ban } = await setup();
    const { comment } = await postComment(url, troll.token, 'Borderline');
    expectOk(await ban({ userId: troll.user.id }), 201, BanResponse);
    expect((await listComments(url)).comments.map((c) => c.id)).toEqual([comment.id]);
  });

  it("refuses to ban yourself with 400", async () => {
    const { moderator, ban } = await setup();
    const error = expectError(await ban({ userId: moderator.user.id }), 400, 'validation_failed');
    expect(error.message).toBe("You can't ban yourself.");
    expect(error.fields).toEqual({ userId: "You can't ban yourself." });
  });

  it('refuses an unknown user with 404', async () => {
    const { ban } = await setup();
    expectError(await ban({ userId: '999999' }), 404, 'user_not_found');
  });

  it('needs a reason and a known duration: 400 naming each field', async () => {
    const { troll, ban } = await setup();
    const error = expectError(await ban({ userId: troll.user.id, reason: ' ', duration: 'forever' }), 400, 'validation_failed');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['duration', 'reason']);
    expect(error.fields?.reason).toBe('Reason is required.');
  });

  it('replaces an earlier ban of the same user', async () => {
    const { troll, ban, me } = await setup();
    await ban({ userId: troll.user.id, duration: '1d', reason: 'First' });
    await ban({ userId: troll.user.id, duration: 'permanent', reason: 'Second' });
    expect((await me(troll.token)).ban).toEqual({ reason: 'Second', expiresAt: null });
  });
});

describe('unbanUser and listBans', () => {
  it('lists the users banned now, newest first, with reason and end', async () => {
    const { url, troll, reader, ban, moderator } = await setup();
    const first = expectOk(await ban({ userId: troll.user.id, duration: '30d', reason: 'Trolling' }), 201, BanResponse);
    await ban({ userId: reader.user.id, duration: 'permanent', reason: 'Spam' });
    const res = expectOk(await callRoute(url, 'listBans', { token: moderator.token, query: { site: 'default' } }), 200, BansPage);
    expect(res.bans.map((b) => ({ user: b.user, reason: b.reason, expiresAt: b.expiresAt }))).toEqual([
      { user: { id: reader.user.id, name: 'Bob' }, reason: 'Spam', expiresAt: null },
      { user: { id: troll.user.id, name: 'Troll' }, reason: 'Trolling', expiresAt: first.ban.expiresAt },
    ]);
  });

  it('lifts a ban with 204: the user may post again and is no longer listed', async () => {
    const { url, troll, ban, unban, me, moderator } = await setup();
    await ban({ userId: troll.user.id });
    expectError(await create(url, troll.token, 'Let me in'), 403, 'user_banned');

    const res = await unban(troll.user.id);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await me(troll.token)).ban).toBeNull();
    expectOk(await create(url, troll.token, 'I will behave'), 201, CommentResponse);
    const bans = expectOk(await callRoute(url, 'listBans', { token: moderator.token, query: { site: 'default' } }), 200, BansPage);
    expect(bans.bans).toEqual([]);
  });

  it('answers 204 for a user who is not banned, and logs nothing', async () => {
    const { url, troll, unban, moderator } = await setup();
    expect((await unban(troll.user.id)).status).toBe(204);
    const audit = expectOk(await callRoute(url, 'listAuditLog', { token: moderator.token, query: { site: 'default' } }), 200, AuditPage);
    expect(audit.entries).toEqual([]);
  });

  it('records bans and unbans in the audit log', async () => {
    const { url, troll, ban, unban, moderator } = await setup();
    await postComment(url, troll.token, 'One');
    await postComment(url, troll.token, 'Two');
    await ban({ userId: troll.user.id, duration: '7d', reason: 'Trolling', removeComments: true });
    await unban(troll.user.id);
    const audit = expectOk(await callRoute(url, 'listAuditLog', { token: moderator.token, query: { site: 'default' } }), 200, AuditPage);
    expect(audit.entries.map(({ actor, action, targetType, targetId, targetLabel, reason }) => ({ actor, action, targetType, targetId, targetLabel, reason }))).toEqual([
      { actor: { id: moderator.user.id, name: 'Mod' }, action: 'unban', targetType: 'user', targetId: troll.user.id, targetLabel: 'Troll', reason: null },
      {
        actor: { id: moderator.user.id, name: 'Mod' },
        action: 'ban',
        targetType: 'user',
        targetId: troll.user.id,
        targetLabel: 'Troll (7 days, 2 comments removed)',
        reason: 'Trolling',
      },
    ]);
  });
});

describe('a ban and reports', () => {
  it('lets a banned user still read and see their own comments', async () => {
    const { url, troll, ban } = await setup();
    const { comment } = await postComment(url, troll.token, 'Mine');
    await ban({ userId: troll.user.id });
    expect((await listComments(url, { token: troll.token })).comments.map((c) => c.id)).toEqual([comment.id]);
  });

  it('does not count against other readers: their reports still go through', async () => {
    const { url, troll, reader, ban } = await setup();
    const { comment } = await postComment(url, troll.token, 'Spam');
    await ban({ userId: troll.user.id });
    const res = await callRoute(url, 'reportComment', { token: reader.token, params: { id: comment.id }, body: { site: 'default', reason: 'spam' } });
    expectOk(res, 201, ReportResponse);
  });
});
