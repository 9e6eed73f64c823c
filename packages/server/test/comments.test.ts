import { afterEach, describe, expect, it } from 'vitest';
import { CommentResponse, CommentThread, DeleteCommentResponse, limits } from '@parley/protocol';
import {
  api,
  cleanup,
  expectError,
  expectOk,
  listComments,
  postComment,
  signUp,
  startServer,
  type ApiResponse,
} from './helpers.js';

afterEach(cleanup);

/** A server with two signed-up users, Alice and Bob. */
async function twoUsers() {
  const { url, server } = await startServer();
  const alice = await signUp(url, 'Alice');
  const bob = await signUp(url, 'Bob');
  return { url, server, alice: alice.token, bob: bob.token, aliceId: alice.user.id, bobId: bob.user.id };
}

const create = (url: string, token: string | undefined, body: Record<string, unknown>): Promise<ApiResponse> =>
  api(url, 'POST', '/api/comments', { token, body: { site: 'default', page: '/a', ...body } });

const edit = (url: string, token: string, id: string, body: string): Promise<ApiResponse> =>
  api(url, 'PATCH', `/api/comments/${id}?site=default`, { token, body: { body } });

const remove = (url: string, token: string, id: string): Promise<ApiResponse> =>
  api(url, 'DELETE', `/api/comments/${id}?site=default`, { token });

const ids = (thread: CommentThread) => thread.comments.map((c) => c.id);

describe('POST /api/comments', () => {
  it('posts a comment with 201: rendered html, the source, the count and the seq', async () => {
    const { url, alice, aliceId } = await twoUsers();
    const res = await create(url, alice, { body: 'Hello *world*', pageUrl: 'https://blog.example/a', pageTitle: 'A' });
    const created = expectOk(res, 201, CommentResponse);
    expect(created.comment).toMatchObject({
      parentId: null,
      author: { id: aliceId, name: 'Alice' },
      html: '<p>Hello <em>world</em></p>',
      source: 'Hello *world*',
      status: 'published',
      editedAt: null,
    });
    expect(created.count).toBe(1);
    expect(created.seq).toBe(1);

    const second = await postComment(url, alice, 'Again');
    expect(second.count).toBe(2);
    expect(second.seq).toBe(2);
  });

  it('counts and sequences each page on its own', async () => {
    const { url, alice } = await twoUsers();
    await postComment(url, alice, 'On a', { page: '/a' });
    await postComment(url, alice, 'On a again', { page: '/a' });
    const onB = await postComment(url, alice, 'On b', { page: '/b' });
    expect(onB.count).toBe(1);
    expect(onB.seq).toBe(1);
  });

  it('refuses a signed-out post with 401', async () => {
    const { url } = await twoUsers();
    expectError(await create(url, undefined, { body: 'Hi' }), 401, 'unauthenticated');
    expect((await listComments(url)).count).toBe(0);
  });

  it('refuses an empty or whitespace-only body', async () => {
    const { url, alice } = await twoUsers();
    for (const body of ['', '   \n\t ']) {
      const error = expectError(await create(url, alice, { body }), 400, 'validation_failed');
      expect(error.fields?.body).toBe('Comment is required.');
    }
  });

  it(`accepts a body of exactly ${limits.commentMax} characters and refuses one more`, async () => {
    const { url, alice } = await twoUsers();
    await postComment(url, alice, 'a'.repeat(limits.commentMax));
    const error = expectError(await create(url, alice, { body: 'a'.repeat(limits.commentMax + 1) }), 400, 'validation_failed');
    expect(error.fields?.body).toBe(`Comment must be at most ${limits.commentMax} characters.`);
  });

  it('refuses a parentId that is not an id', async () => {
    const { url, alice } = await twoUsers();
    for (const parentId of ['abc', '0', '-1', 7]) {
      const error = expectError(await create(url, alice, { body: 'Reply', parentId }), 400, 'validation_failed');
      expect(error.fields).toHaveProperty('parentId');
    }
  });

  it('refuses a reply to a comment that does not exist with 404 parent_not_found', async () => {
    const { url, alice } = await twoUsers();
    const error = expectError(await create(url, alice, { body: 'Reply', parentId: '999' }), 404, 'parent_not_found');
    expect(error.fields).toHaveProperty('parentId');
  });

  it('refuses a reply to a comment on another page with 404 parent_not_found', async () => {
    const { url, alice } = await twoUsers();
    const onB = await postComment(url, alice, 'On b', { page: '/b' });
    expectError(await create(url, alice, { body: 'Reply', parentId: onB.comment.id }), 404, 'parent_not_found');
    expect((await listComments(url, { page: '/a' })).count).toBe(0);
  });

  it('refuses a page key that is blank and a site id that is not one', async () => {
    const { url, alice } = await twoUsers();
    expect(expectError(await create(url, alice, { body: 'Hi', page: '  ' }), 400, 'validation_failed').fields).toHaveProperty('page');
    expect(expectError(await create(url, alice, { body: 'Hi', site: 'Not A Site' }), 400, 'validation_failed').fields).toHaveProperty('site');
  });

  it('answers 404 site_not_found on a site the server does not serve', async () => {
    const { url, alice } = await twoUsers();
    expectError(await create(url, alice, { body: 'Hi', site: 'elsewhere' }), 404, 'site_not_found');
  });

  it('refuses a pageUrl that is not http(s)', async () => {
    const { url, alice } = await twoUsers();
    const res = await create(url, alice, { body: 'Hi', pageUrl: 'javascript:alert(1)' });
    expect(expectError(res, 400, 'validation_failed').fields).toHaveProperty('pageUrl');
  });
});

describe('markdown in comments', () => {
  it('escapes raw HTML instead of rendering it', async () => {
    const { url, alice } = await twoUsers();
    const source = '<script>alert(1)</script> <img src=x onerror=alert(2)> <b>bold</b>';
    const { comment } = await postComment(url, alice, source);
    expect(comment.html).not.toMatch(/<script|<img|<b>/);
    expect(comment.html).toContain('&lt;script&gt;');
    expect(comment.source).toBe(source);
  });

  it('does not turn javascript: and data: URLs into links', async () => {
    const { url, alice } = await twoUsers();
    for (const source of ['[click](javascript:alert(1))', '[click](JaVaScRiPt:alert(1))', '<javascript:alert(1)>', '[x](data:text/html,hi)']) {
      const { comment } = await postComment(url, alice, source);
      expect(comment.html, source).not.toContain('<a');
      expect(comment.html, source).not.toMatch(/href=/);
    }
  });

  it('renders links with rel="nofollow ugc noopener noreferrer"', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, 'See [the docs](https://example.com/docs) or https://example.org');
    const links = comment.html.match(/<a [^>]*>/g) ?? [];
    expect(links).toHaveLength(2);
    for (const link of links) expect(link).toContain('rel="nofollow ugc noopener noreferrer"');
    expect(comment.html).toContain('href="https://example.com/docs"');
    expect(comment.html).toContain('href="https://example.org"');
  });

  it('renders the allowed subset: emphasis, code, quotes, lists, line breaks', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, '**bold** `code` ~~gone~~\nnext line\n\n> quoted\n\n- item');
    expect(comment.html).toContain('<strong>bold</strong>');
    expect(comment.html).toContain('<code>code</code>');
    expect(comment.html).toContain('<s>gone</s>');
    expect(comment.html).toContain('<br />');
    expect(comment.html).toContain('<blockquote>');
    expect(comment.html).toContain('<li>item</li>');
  });
});

describe('GET /api/comments', () => {
  it('lists an unknown page as empty, at seq 0', async () => {
    const { url } = await twoUsers();
    expect(await listComments(url, { page: '/never-commented' })).toEqual({ comments: [], count: 0, nextCursor: null, seq: 0, locked: false, moreReplies: [] });
  });

  it('lists top-level comments newest first by default, oldest first on request', async () => {
    const { url, alice } = await twoUsers();
    const posted = [];
    for (const body of ['one', 'two', 'three']) posted.push((await postComment(url, alice, body)).comment.id);
    expect(ids(await listComments(url))).toEqual([...posted].reverse());
    expect(ids(await listComments(url, { sort: 'newest' }))).toEqual([...posted].reverse());
    expect(ids(await listComments(url, { sort: 'oldest' }))).toEqual(posted);
  });

  it('never shows readers the markdown source', async () => {
    const { url, alice } = await twoUsers();
    await postComment(url, alice, 'Hello');
    const res = await api(url, 'GET', '/api/comments?site=default&page=%2Fa');
    const raw = res.body as { comments: Record<string, unknown>[] };
    expect(raw.comments).toHaveLength(1);
    expect(raw.comments[0]).not.toHaveProperty('source');
  });

  it('pages through top-level comments with a cursor until nextCursor is null', async () => {
    const { url, alice } = await twoUsers();
    const posted: string[] = [];
    for (let i = 1; i <= 5; i++) posted.push((await postComment(url, alice, `comment ${i}`)).comment.id);

    for (const sort of ['newest', 'oldest'] as const) {
      const expected = sort === 'newest' ? [...posted].reverse() : posted;
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const thread = await listComments(url, { sort, limit: 2, cursor });
        expect(thread.count).toBe(5);
        seen.push(ids(thread));
        cursor = thread.nextCursor ?? undefined;
      } while (cursor && seen.length < 10);
      expect(seen).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4)]);
    }
  });

  it('says there is no next page when the last page is exactly full', async () => {
    const { url, alice } = await twoUsers();
    for (let i = 1; i <= 4; i++) await postComment(url, alice, `comment ${i}`);
    const first = await listComments(url, { limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await listComments(url, { limit: 2, cursor: first.nextCursor! });
    expect(second.comments).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it('puts every reply, at any depth, after its top-level comment, oldest first', async () => {
    const { url, alice, bob } = await twoUsers();
    const first = (await postComment(url, alice, 'first')).comment.id;
    const second = (await postComment(url, bob, 'second')).comment.id;
    const replyToFirst = (await postComment(url, bob, 'reply to first', { parentId: first })).comment.id;
    const replyToSecond = (await postComment(url, alice, 'reply to second', { parentId: second })).comment.id;
    const nested = (await postComment(url, alice, 'reply to the reply', { parentId: replyToFirst })).comment.id;

    const newest = await listComments(url);
    expect(ids(newest)).toEqual([second, replyToSecond, first, replyToFirst, nested]);
    expect(newest.count).toBe(5);
    const byId = new Map(newest.comments.map((c) => [c.id, c]));
    expect(byId.get(nested)?.parentId).toBe(replyToFirst);
    expect(byId.get(replyToFirst)?.parentId).toBe(first);

    expect(ids(await listComments(url, { sort: 'oldest' }))).toEqual([first, replyToFirst, nested, second, replyToSecond]);
    // The limit counts top-level comments; replies come along.
    const one = await listComments(url, { limit: 1 });
    expect(ids(one)).toEqual([second, replyToSecond]);
    expect(one.nextCursor).toBe(second);
  });

  it('refuses a limit out of range and an unknown sort', async () => {
    const { url } = await twoUsers();
    for (const query of ['limit=0', `limit=${limits.pageSizeMax + 1}`, 'limit=two', 'sort=random', 'cursor=abc']) {
      const res = await api(url, 'GET', `/api/comments?site=default&page=%2Fa&${query}`);
      expectError(res, 400, 'validation_failed');
    }
  });

  it("requires the page, and reads the server's default site when no site is named", async () => {
    const { url, alice } = await twoUsers();
    const error = expectError(await api(url, 'GET', '/api/comments'), 400, 'validation_failed');
    expect(Object.keys(error.fields ?? {})).toEqual(['page']);
    const created = await api(url, 'POST', '/api/comments', { token: alice, body: { page: '/a', body: 'No site named' } });
    expect(created.status).toBe(201);
    const listed = expectOk(await api(url, 'GET', '/api/comments?page=%2Fa'), 200, CommentThread);
    expect(listed.comments.map((c) => c.html)).toContain('<p>No site named</p>');
  });

  it('answers 404 site_not_found for an unknown site', async () => {
    const { url } = await twoUsers();
    expectError(await api(url, 'GET', '/api/comments?site=elsewhere&page=%2Fa'), 404, 'site_not_found');
  });
});

describe('PATCH /api/comments/:id', () => {
  it('edits your own comment: new html and source, editedAt set, a new seq, same count', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Frist');
    const edited = expectOk(await edit(url, alice, comment.id, '*First*'), 200, CommentResponse);
    expect(edited.comment).toMatchObject({ id: comment.id, html: '<p><em>First</em></p>', source: '*First*', createdAt: comment.createdAt });
    expect(edited.comment.editedAt).not.toBeNull();
    expect(Date.parse(edited.comment.editedAt!)).toBeGreaterThanOrEqual(Date.parse(comment.createdAt));
    expect(edited.count).toBe(1);
    expect(edited.seq).toBe(2);

    const [listed] = (await listComments(url)).comments;
    expect(listed).toMatchObject({ html: '<p><em>First</em></p>', editedAt: edited.comment.editedAt });
  });

  it("refuses to edit someone else's comment with 403", async () => {
    const { url, alice, bob } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Mine');
    expectError(await edit(url, bob, comment.id, 'Yours now'), 403, 'forbidden');
    expect((await listComments(url)).comments[0]?.html).toBe('<p>Mine</p>');
  });

  it('refuses a signed-out edit with 401', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Mine');
    const res = await api(url, 'PATCH', `/api/comments/${comment.id}?site=default`, { body: { body: 'x' } });
    expectError(res, 401, 'unauthenticated');
  });

  it('refuses an empty edit', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Mine');
    expect(expectError(await edit(url, alice, comment.id, '  '), 400, 'validation_failed').fields).toHaveProperty('body');
  });

  it('answers 404 comment_not_found for an id that does not exist, and 400 for one that is not an id', async () => {
    const { url, alice } = await twoUsers();
    expectError(await edit(url, alice, '12345', 'x'), 404, 'comment_not_found');
    expect(expectError(await edit(url, alice, 'abc', 'x'), 400, 'validation_failed').fields).toHaveProperty('id');
  });

  it('answers 409 comment_deleted for a deleted comment still shown as a tombstone', async () => {
    const { url, alice, bob } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Root');
    await postComment(url, bob, 'Reply', { parentId: comment.id });
    expectOk(await remove(url, alice, comment.id), 200, DeleteCommentResponse);
    expectError(await edit(url, alice, comment.id, 'Back'), 409, 'comment_deleted');
  });

  it('answers 404 comment_not_found for a removed comment', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Leaf');
    expectOk(await remove(url, alice, comment.id), 200, DeleteCommentResponse);
    expectError(await edit(url, alice, comment.id, 'Back'), 404, 'comment_not_found');
  });
});

describe('DELETE /api/comments/:id', () => {
  it('removes your own comment without replies: it leaves the thread and the count drops', async () => {
    const { url, alice } = await twoUsers();
    const keep = await postComment(url, alice, 'Keep');
    const { comment } = await postComment(url, alice, 'Oops');
    const deleted = expectOk(await remove(url, alice, comment.id), 200, DeleteCommentResponse);
    expect(deleted).toEqual({ id: comment.id, mode: 'removed', count: 1, seq: 3 });
    const thread = await listComments(url);
    expect(ids(thread)).toEqual([keep.comment.id]);
    expect(thread.count).toBe(1);
    expect(thread.seq).toBe(3);
  });

  it('tombstones your own comment that has replies: no author, no html, status deleted', async () => {
    const { url, alice, bob } = await twoUsers();
    const root = (await postComment(url, alice, 'Root')).comment;
    const reply = (await postComment(url, bob, 'Reply', { parentId: root.id })).comment;
    const deleted = expectOk(await remove(url, alice, root.id), 200, DeleteCommentResponse);
    expect(deleted).toMatchObject({ id: root.id, mode: 'tombstoned', count: 1 });

    const thread = await listComments(url);
    expect(ids(thread)).toEqual([root.id, reply.id]);
    expect(thread.count).toBe(1);
    expect(thread.comments[0]).toMatchObject({ id: root.id, status: 'deleted', author: null, html: '' });
    expect(thread.comments[1]).toMatchObject({ id: reply.id, status: 'published', html: '<p>Reply</p>' });
  });

  it('removes a tombstone together with its last reply', async () => {
    const { url, alice, bob } = await twoUsers();
    const root = (await postComment(url, alice, 'Root')).comment;
    const first = (await postComment(url, bob, 'First reply', { parentId: root.id })).comment;
    const second = (await postComment(url, bob, 'Second reply', { parentId: root.id })).comment;
    await remove(url, alice, root.id);

    expectOk(await remove(url, bob, first.id), 200, DeleteCommentResponse);
    expect(ids(await listComments(url))).toEqual([root.id, second.id]);

    const last = expectOk(await remove(url, bob, second.id), 200, DeleteCommentResponse);
    expect(last).toMatchObject({ id: second.id, mode: 'removed', count: 0 });
    const thread = await listComments(url);
    expect(thread.comments).toEqual([]);
    expect(thread.count).toBe(0);
    // root created, 2 replies, root tombstoned, first removed, second removed, tombstone removed.
    expect(thread.seq).toBe(7);
    expect(last.seq).toBe(7);
  });

  it('removes a chain of tombstones when the reply holding them goes', async () => {
    const { url, alice, bob } = await twoUsers();
    const root = (await postComment(url, alice, 'Root')).comment;
    const middle = (await postComment(url, alice, 'Middle', { parentId: root.id })).comment;
    const leaf = (await postComment(url, bob, 'Leaf', { parentId: middle.id })).comment;
    expect(expectOk(await remove(url, alice, root.id), 200, DeleteCommentResponse).mode).toBe('tombstoned');
    expect(expectOk(await remove(url, alice, middle.id), 200, DeleteCommentResponse).mode).toBe('tombstoned');
    expect(ids(await listComments(url))).toEqual([root.id, middle.id, leaf.id]);

    expectOk(await remove(url, bob, leaf.id), 200, DeleteCommentResponse);
    expect(await listComments(url)).toMatchObject({ comments: [], count: 0 });
  });

  it('refuses a reply to a tombstone with 409 comment_deleted', async () => {
    const { url, alice, bob } = await twoUsers();
    const root = (await postComment(url, alice, 'Root')).comment;
    await postComment(url, bob, 'Reply', { parentId: root.id });
    await remove(url, alice, root.id);
    expectError(await create(url, bob, { body: 'Late reply', parentId: root.id }), 409, 'comment_deleted');
    expect((await listComments(url)).count).toBe(1);
  });

  it('refuses a reply to a removed comment with 404 parent_not_found', async () => {
    const { url, alice, bob } = await twoUsers();
    const root = (await postComment(url, alice, 'Root')).comment;
    await remove(url, alice, root.id);
    expectError(await create(url, bob, { body: 'Late reply', parentId: root.id }), 404, 'parent_not_found');
  });

  it("refuses to delete someone else's comment with 403", async () => {
    const { url, alice, bob } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Mine');
    expectError(await remove(url, bob, comment.id), 403, 'forbidden');
    expect(ids(await listComments(url))).toEqual([comment.id]);
  });

  it('refuses a signed-out delete with 401', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Mine');
    expectError(await api(url, 'DELETE', `/api/comments/${comment.id}?site=default`), 401, 'unauthenticated');
  });

  it('answers 404 comment_not_found for an id that does not exist, or was already deleted', async () => {
    const { url, alice, bob } = await twoUsers();
    expectError(await remove(url, alice, '12345'), 404, 'comment_not_found');
    const leaf = (await postComment(url, alice, 'Leaf')).comment;
    await remove(url, alice, leaf.id);
    expectError(await remove(url, alice, leaf.id), 404, 'comment_not_found');
    const root = (await postComment(url, alice, 'Root')).comment;
    await postComment(url, bob, 'Reply', { parentId: root.id });
    await remove(url, alice, root.id);
    expectError(await remove(url, alice, root.id), 404, 'comment_not_found');
  });

  it('answers 404 comment_not_found when the site does not hold the comment', async () => {
    const { url, alice } = await twoUsers();
    const { comment } = await postComment(url, alice, 'Mine');
    expectError(await api(url, 'DELETE', `/api/comments/${comment.id}?site=elsewhere`, { token: alice }), 404, 'comment_not_found');
  });
});
