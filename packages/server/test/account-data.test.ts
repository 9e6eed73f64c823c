import { afterEach, describe, expect, it } from 'vitest';
import { DataExport, JoinPageReply, MeResponse, MyComments, Session } from '@parley/protocol';
import {
  EventLog,
  PASSWORD,
  api,
  callRoute,
  cleanup,
  connect,
  expectError,
  expectOk,
  joinPage,
  listComments,
  postComment,
  signUp,
  startServer,
} from './helpers.js';

afterEach(cleanup);

async function setup() {
  const { url, server } = await startServer();
  const alice = await signUp(url, 'Alice');
  const bob = await signUp(url, 'Bob');
  const myComments = async (token: string, query: Record<string, string | number> = {}) =>
    expectOk(await callRoute(url, 'listMyComments', { token, query: { site: 'default', ...query } }), 200, MyComments);
  const exportData = async (token: string) =>
    expectOk(await callRoute(url, 'exportMyData', { token, query: { site: 'default' } }), 200, DataExport);
  return { url, server, alice, bob, myComments, exportData };
}

const post = (url: string, token: string, body: string, page: string, pageTitle?: string) =>
  callRoute(url, 'createComment', { token, body: { site: 'default', page, pageUrl: `https://blog.example${page}`, pageTitle, body } });

describe('listMyComments', () => {
  it('lists only your comments on the site, newest first, each with its page', async () => {
    const { url, server, alice, bob, myComments } = await setup();
    await post(url, alice.token, 'First', '/posts/one', 'Post one');
    await post(url, bob.token, "Bob's", '/posts/one');
    await post(url, alice.token, 'Second', '/posts/two', 'Post two');
    await server.store.ensureSite('other', 'other');
    await callRoute(url, 'createComment', { token: alice.token, body: { site: 'other', page: '/x', body: 'Elsewhere' } });

    const { comments, nextCursor } = await myComments(alice.token);
    expect(nextCursor).toBeNull();
    expect(comments.map((c) => [c.comment.html, c.page])).toEqual([
      ['<p>Second</p>', { key: '/posts/two', url: 'https://blog.example/posts/two', title: 'Post two' }],
      ['<p>First</p>', { key: '/posts/one', url: 'https://blog.example/posts/one', title: 'Post one' }],
    ]);
    expect(comments.every((c) => c.comment.author?.id === alice.user.id)).toBe(true);
  });

  it('pages with a cursor, without gaps or repeats', async () => {
    const { url, alice, myComments } = await setup();
    for (let i = 1; i <= 5; i++) await postComment(url, alice.token, `c${i}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await myComments(alice.token, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.comments.map((c) => c.comment.html));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['<p>c5</p>', '<p>c4</p>', '<p>c3</p>', '<p>c2</p>', '<p>c1</p>']);
  });

  it('leaves out comments you deleted, and shows your held ones as pending', async () => {
    const running = await setup();
    const { url, alice, myComments } = running;
    const gone = await postComment(url, alice.token, 'Deleted later');
    await callRoute(url, 'deleteComment', { token: alice.token, params: { id: gone.comment.id }, query: { site: 'default' } });
    const moderator = await signUp(url, 'Mod');
    await running.server.store.setRole('default', moderator.user.id, 'moderator');
    await callRoute(url, 'updateSiteSettings', { token: moderator.token, body: { site: 'default', premoderation: 'all' } });
    await postComment(url, alice.token, 'Awaiting');
    const { comments } = await myComments(alice.token);
    expect(comments.map((c) => [c.comment.html, c.comment.status])).toEqual([['<p>Awaiting</p>', 'pending']]);
  });
});

describe('exportMyData', () => {
  it('has the account, every comment with its markdown source, the reports and the blocks', async () => {
    const { url, alice, bob, exportData } = await setup();
    const mine = await postComment(url, alice.token, 'My *first* comment');
    await callRoute(url, 'updateComment', { token: alice.token, params: { id: mine.comment.id }, query: { site: 'default' }, body: { body: 'My *edited* comment' } });
    const reply = await postComment(url, alice.token, 'A reply', { parentId: mine.comment.id, page: '/a' });
    const bobs = await postComment(url, bob.token, 'Spam spam');
    await callRoute(url, 'reportComment', { token: alice.token, params: { id: bobs.comment.id }, body: { site: 'default', reason: 'spam', details: 'An ad' } });
    await callRoute(url, 'blockUser', { token: alice.token, body: { site: 'default', userId: bob.user.id } });

    const data = await exportData(alice.token);
    expect(data.site).toBe('default');
    expect(data.account).toEqual({ id: alice.user.id, name: 'Alice', email: 'alice@example.com', createdAt: expect.any(String) });
    expect(data.comments.map(({ id, parentId, source, status, page }) => ({ id, parentId, source, status, page: page.key }))).toEqual([
      { id: mine.comment.id, parentId: null, source: 'My *edited* comment', status: 'published', page: '/a' },
      { id: reply.comment.id, parentId: mine.comment.id, source: 'A reply', status: 'published', page: '/a' },
    ]);
    expect(data.comments[0]?.editedAt).not.toBeNull();
    expect(data.reports).toEqual([{ commentId: bobs.comment.id, reason: 'spam', details: 'An ad', createdAt: expect.any(String) }]);
    expect(data.blocks).toEqual([{ user: { id: bob.user.id, name: 'Bob' }, createdAt: expect.any(String) }]);
    expect(JSON.stringify(data)).not.toContain('Spam spam');
  });

  it('holds nothing of anyone else', async () => {
    const { url, alice, bob, exportData } = await setup();
    await postComment(url, bob.token, "Bob's words");
    const data = await exportData(alice.token);
    expect(data.comments).toEqual([]);
    expect(data.reports).toEqual([]);
    expect(data.blocks).toEqual([]);
  });
});

describe('deleteMyAccount', () => {
  it('answers 204 and ends every session of the account', async () => {
    const { url, alice } = await setup();
    const second = expectOk(
      await api(url, 'POST', '/api/auth/sign-in', { body: { site: 'default', email: 'alice@example.com', password: PASSWORD } }),
      200,
      Session,
    );
    const res = await callRoute(url, 'deleteMyAccount', { token: alice.token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    for (const token of [alice.token, second.token]) {
      expectError(await callRoute(url, 'getMe', { token, query: { site: 'default' } }), 401, 'unauthenticated');
      expectError(await callRoute(url, 'createComment', { token, body: { site: 'default', page: '/a', body: 'Hi' } }), 401, 'unauthenticated');
    }
  });

  it('refuses the old password afterwards', async () => {
    const { url, alice } = await setup();
    await callRoute(url, 'deleteMyAccount', { token: alice.token });
    const res = await api(url, 'POST', '/api/auth/sign-in', { body: { site: 'default', email: 'alice@example.com', password: PASSWORD } });
    expectError(res, 401, 'invalid_credentials');
  });

  it('turns their comments into nameless tombstones where replied to, and takes the rest away, live', async () => {
    const { url, alice, bob } = await setup();
    const replied = await postComment(url, alice.token, 'Replied to', { page: '/a' });
    const reply = await postComment(url, bob.token, 'A reply', { page: '/a', parentId: replied.comment.id });
    const alone = await postComment(url, alice.token, 'Alone', { page: '/b' });
    const bobsOwn = await postComment(url, bob.token, "Bob's own", { page: '/b' });
    const logs = [];
    for (const page of ['/a', '/b']) {
      const socket = await connect(url);
      logs.push(new EventLog(socket));
      expect(JoinPageReply.parse(await joinPage(socket, page)).ok).toBe(true);
    }

    await callRoute(url, 'deleteMyAccount', { token: alice.token });

    expect(await logs[0]!.waitFor(1)).toEqual([expect.objectContaining({ type: 'comment:deleted', id: replied.comment.id, mode: 'tombstoned' })]);
    expect(await logs[1]!.waitFor(1)).toEqual([expect.objectContaining({ type: 'comment:deleted', id: alone.comment.id, mode: 'removed' })]);

    const a = await listComments(url, { page: '/a' });
    expect(a.comments).toEqual([
      expect.objectContaining({ id: replied.comment.id, status: 'deleted', author: null, html: '' }),
      expect.objectContaining({ id: reply.comment.id, status: 'published' }),
    ]);
    expect((await listComments(url, { page: '/b' })).comments.map((c) => c.id)).toEqual([bobsOwn.comment.id]);
    const everything = JSON.stringify([a, await listComments(url, { page: '/b' })]);
    expect(everything).not.toContain('Alice');
    expect(everything).not.toContain('Replied to');
  });

  it('frees the email for a new, unrelated account', async () => {
    const { url, server, alice, bob, myComments } = await setup();
    await server.store.setRole('default', alice.user.id, 'moderator');
    await postComment(url, alice.token, 'Old life');
    await callRoute(url, 'blockUser', { token: alice.token, body: { site: 'default', userId: bob.user.id } });
    await callRoute(url, 'deleteMyAccount', { token: alice.token });

    const again = await signUp(url, 'Alice Again', { email: 'alice@example.com' });
    expect(again.user.id).not.toBe(alice.user.id);
    expect(again.user).toMatchObject({ email: 'alice@example.com', role: 'commenter', ban: null });
    expect((await myComments(again.token)).comments).toEqual([]);
    const blocks = await callRoute(url, 'listBlockedUsers', { token: again.token, query: { site: 'default' } });
    expect(blocks.body).toEqual({ users: [] });
    const me = expectOk(await callRoute(url, 'getMe', { token: again.token, query: { site: 'default' } }), 200, MeResponse);
    expect(me.user.name).toBe('Alice Again');
  });

  it('keeps a ban on the books after the banned account is deleted', async () => {
    const { url, server, alice, bob } = await setup();
    await server.store.setRole('default', bob.user.id, 'moderator');
    const banned = await callRoute(url, 'banUser', {
      token: bob.token,
      body: { site: 'default', userId: alice.user.id, duration: 'permanent', reason: 'Spam' },
    });
    expect(banned.status).toBe(201);
    await callRoute(url, 'deleteMyAccount', { token: alice.token });
    const bans = await callRoute(url, 'listBans', { token: bob.token, query: { site: 'default' } });
    expect((bans.body as { bans: { user: { id: string } }[] }).bans.map((b) => b.user.id)).toEqual([alice.user.id]);
  });

  it('refuses a signed-out request with 401', async () => {
    const { url } = await setup();
    expectError(await callRoute(url, 'deleteMyAccount'), 401, 'unauthenticated');
  });
});
