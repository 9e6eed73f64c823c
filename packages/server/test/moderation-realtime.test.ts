import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { JoinModerationReply } from '@parley/protocol';
import {
  ModerationLog,
  WAIT_MS,
  callRoute,
  cleanup,
  connect,
  joinModeration,
  postComment,
  roundTrip,
  signInModerator,
  signUp,
  startServer,
  type ClientSocket,
} from './helpers.js';

afterEach(cleanup);

/** A server with an author, a reader, a moderator of the default site and one of another site. */
async function setup() {
  const running = await startServer();
  const { url, server } = running;
  await server.store.ensureSite('other', 'other');
  const author = await signUp(url, 'Alice');
  const reader = await signUp(url, 'Bob');
  const moderator = await signInModerator(running, 'Mod');
  const otherModerator = await signInModerator(running, 'Otto', 'other');
  /** A socket that asked to join `site`'s moderation room with `token`, and everything it then receives. */
  const joined = async (token: string, site = 'default') => {
    const socket = await connect(url);
    const log = new ModerationLog(socket);
    const reply = JoinModerationReply.parse(await joinModeration(socket, token, site));
    return { socket, log, reply };
  };
  const report = (id: string, token = reader.token) =>
    callRoute(url, 'reportComment', { token, params: { id }, body: { site: 'default', reason: 'spam' } });
  const updateSettings = (body: Record<string, unknown>, token = moderator.token, site = 'default') =>
    callRoute(url, 'updateSiteSettings', { token, body: { site, ...body } });
  return { ...running, author, reader, moderator, otherModerator, joined, report, updateSettings };
}

/** Types are not validation: this sends what a broken or hostile client might. */
const untyped = (socket: ClientSocket) => socket as unknown as Socket;

describe('moderation:join', () => {
  it('lets a moderator of the site in, who then hears of each new report', async () => {
    const { url, author, moderator, joined, report } = await setup();
    const { reply, log } = await joined(moderator.token);
    expect(reply).toEqual({ ok: true });

    const { comment } = await postComment(url, author.token, 'Questionable');
    expect((await report(comment.id)).status).toBe(201);
    expect(await log.waitFor(1)).toEqual([{ site: 'default', change: 'reported', commentId: comment.id }]);
  });

  it('tells the moderator when a comment is held for review', async () => {
    const { url, author, moderator, joined, updateSettings } = await setup();
    await updateSettings({ bannedWords: ['scam'] });
    const { log } = await joined(moderator.token);
    const { comment } = await postComment(url, author.token, 'a scam');
    expect(await log.waitFor(1)).toEqual([{ site: 'default', change: 'held', commentId: comment.id }]);
  });

  it("tells every open admin when another moderator acts, so the item leaves everyone's queue", async () => {
    const running = await setup();
    const { url, author, moderator, joined, report } = running;
    const second = await signInModerator(running, 'Mia');
    const { comment } = await postComment(url, author.token, 'Questionable');
    await report(comment.id);
    const admins = [await joined(moderator.token), await joined(second.token)];

    await callRoute(url, 'moderateComment', { token: moderator.token, params: { id: comment.id }, body: { site: 'default', action: 'approve' } });
    for (const { log } of admins) {
      expect(await log.waitFor(1)).toEqual([{ site: 'default', change: 'moderated', commentId: comment.id }]);
    }
  });

  it('tells the moderator of bans and settings changes', async () => {
    const { url, author, moderator, joined, updateSettings } = await setup();
    const { log } = await joined(moderator.token);
    await callRoute(url, 'banUser', { token: moderator.token, body: { site: 'default', userId: author.user.id, duration: '1d', reason: 'x' } });
    await updateSettings({ reportThreshold: 2 });
    expect(await log.waitFor(2)).toEqual([
      { site: 'default', change: 'banned', commentId: null },
      { site: 'default', change: 'settings', commentId: null },
    ]);
  });

  it('refuses a commenter with forbidden, who then receives nothing', async () => {
    const { url, author, reader, joined, report } = await setup();
    const { socket, reply, log } = await joined(reader.token);
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: 'You are not a moderator of this site.' } });

    const { comment } = await postComment(url, author.token, 'Questionable');
    await report(comment.id);
    await roundTrip(socket);
    expect(log.events).toEqual([]);
  });

  it('refuses a missing, unknown or signed-out token with unauthenticated', async () => {
    const { url, reader, joined } = await setup();
    expect((await joined('not-a-real-token')).reply).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    await callRoute(url, 'signOut', { token: reader.token });
    expect((await joined(reader.token)).reply).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('refuses a malformed request without an exception, and keeps serving the socket', async () => {
    const { moderator, joined } = await setup();
    const { socket } = await joined('x');
    for (const payload of [{ site: 'default' }, { site: 'Not A Site!', token: moderator.token }, { site: 'default', token: '' }, 'nonsense', null]) {
      const reply = JoinModerationReply.parse(await untyped(socket).timeout(WAIT_MS).emitWithAck('moderation:join', payload));
      expect(reply).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    expect(await joinModeration(socket, moderator.token)).toEqual({ ok: true });
  });

  it('gives a moderator of another site nothing of this one, whether refused here or joined there', async () => {
    const { url, author, otherModerator, joined, report, updateSettings } = await setup();
    const refused = await joined(otherModerator.token, 'default');
    expect(refused.reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const own = await joined(otherModerator.token, 'other');
    expect(own.reply).toEqual({ ok: true });

    const { comment } = await postComment(url, author.token, 'On the default site');
    await report(comment.id);
    // Then something on Otto's own site: it arrives, and nothing from the default site came before it.
    await updateSettings({ reportThreshold: 5 }, otherModerator.token, 'other');
    expect(await own.log.waitFor(1)).toEqual([{ site: 'other', change: 'settings', commentId: null }]);
    await roundTrip(refused.socket);
    expect(refused.log.events).toEqual([]);
  });

  it('stops sending after moderation:leave', async () => {
    const { url, author, moderator, joined, report, updateSettings } = await setup();
    const { socket, log } = await joined(moderator.token);
    socket.emit('moderation:leave', { site: 'default' });
    await roundTrip(socket);
    const { comment } = await postComment(url, author.token, 'Questionable');
    await report(comment.id);
    await updateSettings({ reportThreshold: 2 });
    await roundTrip(socket);
    expect(log.events).toEqual([]);
  });

  it('sends readers following a page no moderation events', async () => {
    const { url, author, report } = await setup();
    const socket = await connect(url);
    const log = new ModerationLog(socket);
    expect((await socket.timeout(WAIT_MS).emitWithAck('page:join', { site: 'default', page: '/a' })).ok).toBe(true);
    const { comment } = await postComment(url, author.token, 'Questionable');
    await report(comment.id);
    await roundTrip(socket);
    expect(log.events).toEqual([]);
  });
});
