import { afterEach, describe, expect, it } from 'vitest';
import { BlockedUsers, BlockResponse, CommentResponse, DataExport, MeResponse } from '@parley/protocol';
import { callRoute, cleanup, expectError, expectOk, listComments, postComment, signUp, startServer, type ApiResponse } from './helpers.js';

afterEach(cleanup);

/** A server with a reader who blocks, and two other users. */
async function setup() {
  const { url, server } = await startServer();
  const blocker = await signUp(url, 'Alice');
  const pest = await signUp(url, 'Pest');
  const other = await signUp(url, 'Carol');
  const block = (userId: string, token = blocker.token, site = 'default'): Promise<ApiResponse> =>
    callRoute(url, 'blockUser', { token, body: { site, userId } });
  const unblock = (userId: string, token = blocker.token): Promise<ApiResponse> =>
    callRoute(url, 'unblockUser', { token, params: { userId }, query: { site: 'default' } });
  const blocked = async (token = blocker.token, site = 'default') =>
    expectOk(await callRoute(url, 'listBlockedUsers', { token, query: { site } }), 200, BlockedUsers).users;
  return { url, server, blocker, pest, other, block, unblock, blocked };
}

describe('blockUser', () => {
  it('blocks with 201, answering with the blocked user', async () => {
    const { pest, block } = await setup();
    const res = expectOk(await block(pest.user.id), 201, BlockResponse);
    expect(res).toEqual({ user: { id: pest.user.id, name: 'Pest' } });
  });

  it('lists blocked users, most recent first', async () => {
    const { pest, other, block, blocked } = await setup();
    expect(await blocked()).toEqual([]);
    await block(pest.user.id);
    await block(other.user.id);
    expect(await blocked()).toEqual([
      { id: other.user.id, name: 'Carol' },
      { id: pest.user.id, name: 'Pest' },
    ]);
  });

  it('lists a user blocked twice once', async () => {
    const { pest, block, blocked } = await setup();
    expectOk(await block(pest.user.id), 201, BlockResponse);
    expectOk(await block(pest.user.id), 201, BlockResponse);
    expect(await blocked()).toEqual([{ id: pest.user.id, name: 'Pest' }]);
  });

  it('refuses to block yourself with 400', async () => {
    const { blocker, block, blocked } = await setup();
    const error = expectError(await block(blocker.user.id), 400, 'validation_failed');
    expect(error.fields).toEqual({ userId: "You can't block yourself." });
    expect(await blocked()).toEqual([]);
  });

  it('refuses an unknown user with 404', async () => {
    const { block } = await setup();
    expectError(await block('999999'), 404, 'user_not_found');
  });

  it('refuses a malformed user id with 400 naming the field', async () => {
    const { block } = await setup();
    const error = expectError(await block('not-an-id'), 400, 'validation_failed');
    expect(Object.keys(error.fields ?? {})).toEqual(['userId']);
  });

  it('keeps blocks to the site they were made on', async () => {
    const { server, pest, block, blocked } = await setup();
    await server.store.ensureSite('other', 'other');
    await block(pest.user.id);
    expect(await blocked(undefined, 'other')).toEqual([]);
  });
});

describe('unblockUser', () => {
  it('unblocks with 204', async () => {
    const { pest, other, block, unblock, blocked } = await setup();
    await block(pest.user.id);
    await block(other.user.id);
    const res = await unblock(pest.user.id);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await blocked()).toEqual([{ id: other.user.id, name: 'Carol' }]);
  });

  it('answers 204 for a user who was not blocked', async () => {
    const { pest, unblock } = await setup();
    expect((await unblock(pest.user.id)).status).toBe(204);
  });
});

describe('the blocked user', () => {
  it('is not told: everything they can ask the server answers as before', async () => {
    const { url, blocker, pest, block } = await setup();
    const mine = await postComment(url, blocker.token, "Alice's comment");
    await postComment(url, pest.token, "Pest's comment");
    const look = async () => {
      const me = expectOk(await callRoute(url, 'getMe', { token: pest.token, query: { site: 'default' } }), 200, MeResponse);
      const thread = await listComments(url, { token: pest.token });
      const blocks = expectOk(await callRoute(url, 'listBlockedUsers', { token: pest.token, query: { site: 'default' } }), 200, BlockedUsers);
      const data = expectOk(await callRoute(url, 'exportMyData', { token: pest.token, query: { site: 'default' } }), 200, DataExport);
      return { me, thread, blocks, data: { ...data, exportedAt: undefined } };
    };
    const before = await look();
    await block(pest.user.id);
    expect(await look()).toEqual(before);

    // And they can still reply to the person who blocked them.
    const reply = await callRoute(url, 'createComment', {
      token: pest.token,
      body: { site: 'default', page: '/a', body: 'Still here', parentId: mine.comment.id },
    });
    expectOk(reply, 201, CommentResponse);
  });

  it("stays in the blocker's thread: hiding is the blocker's client's job", async () => {
    const { url, blocker, pest, block } = await setup();
    const { comment } = await postComment(url, pest.token, 'Noise');
    await block(pest.user.id);
    const thread = await listComments(url, { token: blocker.token });
    expect(thread.comments).toEqual([expect.objectContaining({ id: comment.id, author: { id: pest.user.id, name: 'Pest' } })]);
  });
});
