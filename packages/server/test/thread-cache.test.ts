import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommentThread } from '@parley/protocol';
import { ALLOWED_ORIGIN, api, callRoute, cleanup, expectOk, postComment, quickUser, startServer, type ApiResponse } from './helpers.js';

afterEach(cleanup);

/** A server with an author, a reader and a moderator of the default site, and a page `/a` with two comments. */
async function setup() {
  const running = await startServer();
  const { server, url } = running;
  const author = await quickUser(server, 'Alice');
  const reader = await quickUser(server, 'Bob');
  const moderator = await quickUser(server, 'Mod', { site: 'default', role: 'moderator' });
  const first = await postComment(url, author.token, 'First');
  const second = await postComment(url, reader.token, 'Second');
  return { ...running, author, reader, moderator, first: first.comment.id, second: second.comment.id };
}

interface ReadOptions {
  query?: Record<string, string>;
  ifNoneMatch?: string;
  token?: string;
  origin?: string;
}

/** `GET /api/comments` for page `/a` of the default site. */
function read(url: string, options: ReadOptions = {}): Promise<ApiResponse> {
  const query = new URLSearchParams({ site: 'default', page: '/a', ...options.query });
  const headers: Record<string, string> = options.ifNoneMatch ? { 'if-none-match': options.ifNoneMatch } : {};
  return api(url, 'GET', `/api/comments?${query}`, { token: options.token, origin: options.origin, headers });
}

/** A 200 read's ETag, asserting the caching headers that come with it. */
function etagOf(res: ApiResponse): string {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  const etag = res.headers.get('etag');
  expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  return etag!;
}

/** After `change`, the old ETag no longer matches and the body read is the new one. */
async function expectFreshAfter(url: string, change: () => Promise<ApiResponse>, check: (thread: CommentThread) => void) {
  const before = etagOf(await read(url));
  const changed = await change();
  expect(changed.status, changed.text).toBeLessThan(300);
  const res = await read(url, { ifNoneMatch: before });
  const after = etagOf(res);
  expect(after).not.toBe(before);
  check(expectOk(res, 200, CommentThread));
  // And the new state caches again.
  expect((await read(url, { ifNoneMatch: after })).status).toBe(304);
}

const ids = (thread: CommentThread) => thread.comments.map((c) => c.id);

describe('GET /api/comments: ETag and 304', () => {
  it('gives the same ETag and the same body to repeated signed-out reads', async () => {
    const { url } = await setup();
    const one = await read(url);
    const two = await read(url);
    expect(etagOf(two)).toBe(etagOf(one));
    expect(two.text).toBe(one.text);
    expect(two.headers.get('vary')?.toLowerCase()).toMatch(/origin.*authorization|authorization.*origin/);
  });

  it('answers a matching If-None-Match with 304, no body and the same ETag', async () => {
    const { url } = await setup();
    const etag = etagOf(await read(url));
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await read(url, { ifNoneMatch: header });
      expect(res.status, header).toBe(304);
      expect(res.text).toBe('');
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    expect((await read(url, { ifNoneMatch: '"something-else"' })).status).toBe(200);
  });

  it('gives different ETags to different sorts, limits and cursors', async () => {
    const { url, first } = await setup();
    const tags = await Promise.all(
      ([{}, { sort: 'oldest' }, { limit: '1' }, { cursor: first }, { sort: 'oldest', limit: '1' }] as Record<string, string>[]).map(async (query) => etagOf(await read(url, { query }))),
    );
    expect(new Set(tags).size).toBe(tags.length);
    // The same query spelled out with its defaults is the same read.
    expect(etagOf(await read(url, { query: { sort: 'newest', limit: '20' } }))).toBe(tags[0]);
  });

  it('gives different ETags to different pages', async () => {
    const { url } = await setup();
    const a = etagOf(await read(url));
    const b = etagOf(await read(url, { query: { page: '/b' } }));
    expect(a).not.toBe(b);
  });
});

describe('GET /api/comments: rendered cache', () => {
  it('renders a thread once per state and serves the kept body after that', async () => {
    const { url, server } = await setup();
    const list = vi.spyOn(server.comments, 'list');
    const one = await read(url);
    const two = await read(url, { query: { sort: 'newest' } });
    expect(two.text).toBe(one.text);
    expect(list).toHaveBeenCalledTimes(1);
    await read(url, { query: { sort: 'oldest' } });
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('neither keeps nor tags a body when a write lands between reading the page state and the thread', async () => {
    const { url, server } = await setup();
    const threadState = server.comments.threadState.bind(server.comments);
    // As if the page row were read just before a write that the thread read then sees.
    vi.spyOn(server.comments, 'threadState').mockImplementationOnce(async (site, page) => {
      const state = await threadState(site, page);
      return { ...state, seq: state.seq - 1 };
    });
    const raced = await read(url);
    expect(raced.status).toBe(200);
    expect(raced.headers.get('etag')).toBeNull();
    const list = vi.spyOn(server.comments, 'list');
    const next = await read(url);
    etagOf(next);
    expect(next.text).toBe(raced.text);
    expect(list).toHaveBeenCalledTimes(1);
  });
});

describe('GET /api/comments: every visible change is a new ETag and a fresh body', () => {
  it('after a new comment', async () => {
    const { url, reader } = await setup();
    let id = '';
    await expectFreshAfter(
      url,
      async () => {
        const res = await api(url, 'POST', '/api/comments', { token: reader.token, body: { site: 'default', page: '/a', body: 'Third' } });
        id = (res.body as { comment: { id: string } }).comment.id;
        return res;
      },
      (thread) => {
        expect(ids(thread)[0]).toBe(id);
        expect(thread.count).toBe(3);
      },
    );
  });

  it('after an edit', async () => {
    const { url, author, first } = await setup();
    await expectFreshAfter(
      url,
      () => api(url, 'PATCH', `/api/comments/${first}?site=default`, { token: author.token, body: { body: 'First, edited' } }),
      (thread) => expect(thread.comments.find((c) => c.id === first)?.html).toContain('First, edited'),
    );
  });

  it('after a delete', async () => {
    const { url, author, first } = await setup();
    await expectFreshAfter(
      url,
      () => api(url, 'DELETE', `/api/comments/${first}?site=default`, { token: author.token }),
      (thread) => expect(ids(thread)).not.toContain(first),
    );
  });

  it('after a moderator removes a comment', async () => {
    const { url, moderator, second } = await setup();
    await expectFreshAfter(
      url,
      () => callRoute(url, 'moderateComment', { token: moderator.token, params: { id: second }, body: { site: 'default', action: 'remove', reason: 'Off topic' } }),
      (thread) => expect(ids(thread)).not.toContain(second),
    );
  });

  it('after a pin', async () => {
    const { url, moderator, first } = await setup();
    await expectFreshAfter(
      url,
      () => callRoute(url, 'pinComment', { token: moderator.token, params: { id: first }, body: { site: 'default', pinned: true } }),
      (thread) => {
        expect(thread.comments[0]?.id).toBe(first);
        expect(thread.comments[0]?.pinned).toBe(true);
      },
    );
  });

  it('after the page is locked', async () => {
    const { url, moderator } = await setup();
    await expectFreshAfter(
      url,
      () => callRoute(url, 'updateSiteSettings', { token: moderator.token, body: { site: 'default', lockedPages: ['/a'] } }),
      (thread) => expect(thread.locked).toBe(true),
    );
  });

  it('after an author deletes their account', async () => {
    const { url, author, first } = await setup();
    await expectFreshAfter(
      url,
      () => callRoute(url, 'deleteMyAccount', { token: author.token }),
      (thread) => {
        expect(ids(thread)).not.toContain(first);
        expect(JSON.stringify(thread)).not.toContain('Alice');
      },
    );
  });
});

describe('GET /api/comments: signed-in readers', () => {
  it("shows an author their held comment and never shows it to a signed-out reader, whatever was cached", async () => {
    const { url, author, moderator } = await setup();
    const settings = await callRoute(url, 'updateSiteSettings', { token: moderator.token, body: { site: 'default', premoderation: 'all' } });
    expect(settings.status, settings.text).toBe(200);
    // Warm the signed-out cache, then hold a comment (which does not change the public thread).
    const signedOut = etagOf(await read(url));
    const held = await postComment(url, author.token, 'Held for review');
    expect(held.comment.status).toBe('pending');

    const mine = await read(url, { token: author.token, ifNoneMatch: signedOut });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toBe('no-store');
    expect(mine.headers.get('etag')).not.toBe(signedOut);
    const thread = expectOk(mine, 200, CommentThread);
    expect(thread.comments.find((c) => c.id === held.comment.id)?.html).toContain('Held for review');

    const publicRead = await read(url);
    expect(etagOf(publicRead)).toBe(signedOut);
    expect(ids(expectOk(publicRead, 200, CommentThread))).not.toContain(held.comment.id);
    expect(publicRead.text).not.toContain('Held for review');
  });

  it('treats a token the server does not accept as signed out', async () => {
    const { url } = await setup();
    const etag = etagOf(await read(url));
    expect((await read(url, { token: 'not-a-session', ifNoneMatch: etag })).status).toBe(304);
  });
});

describe('GET /api/comments: cross-origin revalidation', () => {
  it('answers a browser-style If-None-Match from an allowed origin with 304 and the CORS headers', async () => {
    const { url } = await setup();
    const first = await read(url, { origin: ALLOWED_ORIGIN });
    const etag = etagOf(first);
    expect(first.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');

    const preflight = await api(url, 'OPTIONS', '/api/comments?site=default&page=%2Fa', {
      origin: ALLOWED_ORIGIN,
      headers: { 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-match');

    const res = await read(url, { origin: ALLOWED_ORIGIN, ifNoneMatch: etag });
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');
    expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
  });
});
