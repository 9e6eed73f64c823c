import { afterEach, describe, expect, it } from 'vitest';
import { CommentThread, limits, type Comment } from '@parley/protocol';
import type { ParleyServer } from '../src/server.js';
import { api, callRoute, cleanup, expectError, expectOk, listComments, postComment, signUp, startServer } from './helpers.js';

afterEach(cleanup);

const MAX_REPLIES = limits.repliesPerResponseMax;

describe('nesting depth', () => {
  /** A chain of comments on `/a`, each a reply to the one before: depths 0 to `deepest`. */
  async function chain(url: string, token: string, deepest: number): Promise<string[]> {
    const ids: string[] = [];
    for (let depth = 0; depth <= deepest; depth++) {
      const { comment } = await postComment(url, token, `Depth ${depth}`, depth ? { parentId: ids[depth - 1] } : {});
      ids.push(comment.id);
    }
    return ids;
  }

  it(`takes replies down to depth ${limits.maxDepth} and refuses one deeper with 400 naming parentId`, async () => {
    const { url } = await startServer();
    const alice = await signUp(url, 'Alice');
    const ids = await chain(url, alice.token, limits.maxDepth);

    const res = await callRoute(url, 'createComment', {
      token: alice.token,
      body: { site: 'default', page: '/a', parentId: ids.at(-1), body: 'One level too deep' },
    });

    const error = expectError(res, 400, 'validation_failed');
    const message = `Replies can nest at most ${limits.maxDepth} levels deep. Reply to an earlier comment in this conversation instead.`;
    expect(error).toEqual({ code: 'validation_failed', message, fields: { parentId: message } });
    const thread = await listComments(url);
    expect(thread.count).toBe(limits.maxDepth + 1);
    expect(thread.comments.map((c) => c.html)).not.toContain('<p>One level too deep</p>');
  });

  it('still takes a reply higher up a chain that reached the limit', async () => {
    const { url } = await startServer();
    const alice = await signUp(url, 'Alice');
    const ids = await chain(url, alice.token, limits.maxDepth);

    await postComment(url, alice.token, 'A new branch', { parentId: ids[limits.maxDepth - 1] });
  });
});

describe('replies per listComments response', () => {
  /**
   * Seeds a page through the store, which is what the HTTP API would do a
   * thousand times over: each entry is a top-level comment and how many
   * replies it gets, the replies chained a few deep so parents and children
   * interleave.
   */
  async function seed(server: ParleyServer, authorId: string, page: string, replyCounts: number[]): Promise<string[]> {
    const roots: string[] = [];
    const write = (parentId: string | null, text: string) =>
      server.store.createComment({
        siteId: 'default',
        page: { key: page },
        parentId,
        authorId,
        source: text,
        html: `<p>${text}</p>`,
        now: new Date().toISOString(),
      });
    for (const [index, replies] of replyCounts.entries()) {
      const root = (await write(null, `Root ${index}`)).record.comment.id;
      roots.push(root);
      const recent: string[] = [root];
      for (let n = 0; n < replies; n++) {
        // Every third reply answers the previous reply; the others answer the root.
        const parent = n % 3 === 2 ? recent.at(-1)! : root;
        recent.push((await write(parent, `Reply ${index}.${n}`)).record.comment.id);
      }
    }
    return roots;
  }

  async function setup(replyCounts: number[]) {
    const running = await startServer();
    const alice = await signUp(running.url, 'Alice');
    const roots = await seed(running.server, alice.user.id, '/big', replyCounts);
    const list = (cursor?: string) => listComments(running.url, { page: '/big', sort: 'oldest', cursor });
    return { ...running, roots, list };
  }

  const rootsOf = (thread: CommentThread) => thread.comments.filter((c) => c.parentId === null).map((c) => c.id);
  const replyCount = (thread: CommentThread) => thread.comments.filter((c) => c.parentId !== null).length;

  /** Every reply in the response comes after its parent. */
  function expectWholeTree(comments: Comment[]): void {
    const seen = new Set<string>();
    for (const comment of comments) {
      if (comment.parentId !== null) expect(seen.has(comment.parentId), `parent of ${comment.id}`).toBe(true);
      seen.add(comment.id);
    }
  }

  it('says nothing was cut when everything fits', async () => {
    const { list, roots } = await setup([2, 0, 3]);

    const thread = await list();

    expect(rootsOf(thread)).toEqual(roots);
    expect(replyCount(thread)).toBe(5);
    expect(thread.moreReplies).toEqual([]);
    expect(thread.nextCursor).toBe(null);
  });

  it(`ends the page before a comment whose replies would push it past ${MAX_REPLIES}, and the next page starts there`, async () => {
    const { list, roots } = await setup([300, 300, 5]);

    const first = await list();
    expect(rootsOf(first)).toEqual([roots[0]]);
    expect(replyCount(first)).toBe(300);
    expect(first.moreReplies).toEqual([]);
    expect(first.nextCursor).toBe(roots[0]);

    const second = await list(first.nextCursor!);
    expect(rootsOf(second)).toEqual([roots[1], roots[2]]);
    expect(replyCount(second)).toBe(305);
    expect(second.nextCursor).toBe(null);
  });

  it(`cuts a comment with more than ${MAX_REPLIES} replies to its oldest ones and names it in moreReplies`, async () => {
    const { list, roots } = await setup([MAX_REPLIES + 20, 1]);

    const first = await list();

    expect(rootsOf(first)).toEqual([roots[0]]);
    expect(replyCount(first)).toBe(MAX_REPLIES);
    expect(first.moreReplies).toEqual([roots[0]]);
    const replyIds = first.comments.filter((c) => c.parentId !== null).map((c) => Number(c.id));
    expect(replyIds).toEqual([...replyIds].sort((a, b) => a - b));
    expect(first.comments.at(-1)?.html).toBe(`<p>Reply 0.${MAX_REPLIES - 1}</p>`);
    expectWholeTree(first.comments);
    expect(first.nextCursor).toBe(roots[0]);

    const second = await list(first.nextCursor!);
    expect(rootsOf(second)).toEqual([roots[1]]);
    expect(second.moreReplies).toEqual([]);
  });

  it('counts the pinned comment’s replies in the same budget', async () => {
    const { server, list, roots } = await setup([10, 250, 300]);
    await server.store.setPinned({ siteId: 'default', id: roots[2]!, pinned: true, now: new Date().toISOString() });

    const first = await list();

    // The pinned comment (300 replies) comes first; the first other comment
    // (10) fits beside it; the next (250) would not, and starts the next page.
    expect(rootsOf(first)).toEqual([roots[2], roots[0]]);
    expect(replyCount(first)).toBe(310);
    expect(first.nextCursor).toBe(roots[0]);
    const second = await list(first.nextCursor!);
    expect(rootsOf(second)).toEqual([roots[1]]);
    expect(second.nextCursor).toBe(null);
  });

  it('keeps its promise with a page full of comments with many replies', async () => {
    const { list } = await setup(Array.from({ length: 12 }, () => 60));
    let cursor: string | undefined;
    let pages = 0;
    let replies = 0;
    do {
      const thread = await list(cursor);
      expect(replyCount(thread)).toBeLessThanOrEqual(MAX_REPLIES);
      expect(thread.moreReplies).toEqual([]);
      expectWholeTree(thread.comments);
      replies += replyCount(thread);
      cursor = thread.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(replies).toBe(12 * 60);
    expect(pages).toBe(2);
  });
});

describe('other input limits', () => {
  it(`refuses a display name over ${limits.nameMax} characters with 400 naming the field`, async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/auth/sign-up', {
      body: { site: 'default', name: 'n'.repeat(limits.nameMax + 1), email: 'long@example.com', password: 'correct horse battery' },
    });

    expect(expectError(res, 400, 'validation_failed').fields).toEqual({ name: `Name must be at most ${limits.nameMax} characters.` });
  });

  it(`refuses a page key over ${limits.pageKeyMax} characters, posting and listing, with 400 naming the field`, async () => {
    const { url } = await startServer();
    const alice = await signUp(url, 'Alice');
    const page = `/${'p'.repeat(limits.pageKeyMax)}`;
    const message = `Page must be at most ${limits.pageKeyMax} characters.`;

    const post = await callRoute(url, 'createComment', { token: alice.token, body: { site: 'default', page, body: 'Hi' } });
    expect(expectError(post, 400, 'validation_failed').fields).toEqual({ page: message });
    const list = await callRoute(url, 'listComments', { query: { site: 'default', page } });
    expect(expectError(list, 400, 'validation_failed').fields).toEqual({ page: message });
    expectOk(await callRoute(url, 'listComments', { query: { site: 'default', page: page.slice(1) } }), 200, CommentThread);
  });
});
