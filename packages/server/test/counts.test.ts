import { afterEach, describe, expect, it } from 'vitest';
import { CommentCounts, limits } from '@parley/protocol';
import {
  ALLOWED_ORIGIN,
  api,
  callRoute,
  cleanup,
  expectError,
  expectOk,
  listComments,
  postComment,
  quickUser,
  startServer,
  type ApiResponse,
} from './helpers.js';

afterEach(cleanup);

interface CountsOptions {
  site?: string;
  ifNoneMatch?: string;
  origin?: string;
  token?: string;
}

/** `GET /api/counts` with `page` repeated once per key, as a browser's URLSearchParams sends it. */
function counts(url: string, pages: string[], options: CountsOptions = {}): Promise<ApiResponse> {
  const query = new URLSearchParams({ site: options.site ?? 'default' });
  for (const page of pages) query.append('page', page);
  const headers: Record<string, string> = options.ifNoneMatch ? { 'if-none-match': options.ifNoneMatch } : {};
  return api(url, 'GET', `/api/counts?${query}`, { headers, origin: options.origin, token: options.token });
}

async function countsOf(url: string, pages: string[], options: CountsOptions = {}): Promise<Record<string, number>> {
  return expectOk(await counts(url, pages, options), 200, CommentCounts).counts;
}

const moderate = (url: string, token: string, id: string, body: Record<string, unknown>) =>
  callRoute(url, 'moderateComment', { token, params: { id }, body: { site: 'default', ...body } });

describe('GET /api/counts', () => {
  it('gives each page the count its thread shows a signed-out reader, and 0 to a page nobody commented on', async () => {
    const { server, url } = await startServer();
    const ada = await quickUser(server, 'Ada');
    const bob = await quickUser(server, 'Bob');
    const mod = await quickUser(server, 'Mod', { site: 'default', role: 'moderator' });

    // /a: a comment, two replies (one nested), and a comment its author deletes.
    const first = await postComment(url, ada.token, 'First', { page: '/a' });
    const reply = await postComment(url, bob.token, 'Reply', { page: '/a', parentId: first.comment.id });
    await postComment(url, ada.token, 'Nested', { page: '/a', parentId: reply.comment.id });
    const gone = await postComment(url, bob.token, 'Soon gone', { page: '/a' });
    expect((await callRoute(url, 'deleteComment', { token: bob.token, params: { id: gone.comment.id }, query: { site: 'default' } })).status).toBe(200);
    // /b: one comment removed by a moderator although a reply keeps it as a placeholder.
    const removed = await postComment(url, ada.token, 'Removed', { page: '/b' });
    await postComment(url, bob.token, 'Keeps it in place', { page: '/b', parentId: removed.comment.id });
    expect((await moderate(url, mod.token, removed.comment.id, { action: 'remove', reason: 'Rude' })).status).toBe(200);
    // /c: a comment held for review, which only its author sees.
    await callRoute(url, 'updateSiteSettings', { token: mod.token, body: { site: 'default', premoderation: 'all' } });
    await postComment(url, bob.token, 'Held', { page: '/c' });

    const result = await countsOf(url, ['/a', '/b', '/c', '/never']);

    expect(result).toEqual({ '/a': 3, '/b': 1, '/c': 0, '/never': 0 });
    for (const page of ['/a', '/b', '/c', '/never']) {
      expect((await listComments(url, { page })).count, page).toBe(result[page]);
    }
  });

  it('answers each key once, trimmed, in the order first asked, whether or not a token is sent', async () => {
    const { server, url } = await startServer();
    const ada = await quickUser(server, 'Ada');
    await postComment(url, ada.token, 'One', { page: '/a' });

    const res = await counts(url, ['/z', ' /a ', '/z', '/a'], { token: ada.token });

    expect(res.text).toBe('{"counts":{"/z":0,"/a":1}}');
  });

  it('counts only the site asked about', async () => {
    const { server, url } = await startServer();
    await server.store.ensureSite('other', 'Other');
    const ada = await quickUser(server, 'Ada');
    await postComment(url, ada.token, 'On the default site', { page: '/shared' });

    expect(await countsOf(url, ['/shared'], { site: 'other' })).toEqual({ '/shared': 0 });
    expect(await countsOf(url, ['/shared'])).toEqual({ '/shared': 1 });
  });

  it(`takes up to ${limits.countPagesMax} pages in one request and refuses more with a validation error`, async () => {
    const { url } = await startServer();
    const pages = Array.from({ length: limits.countPagesMax + 1 }, (_, i) => `/article-${i}`);

    expect(Object.keys(await countsOf(url, pages.slice(0, limits.countPagesMax)))).toHaveLength(limits.countPagesMax);

    const error = expectError(await counts(url, pages), 400, 'validation_failed');
    expect(error.message).toBe(`At most ${limits.countPagesMax} pages per request.`);
    expect(error.fields).toEqual({ page: `At most ${limits.countPagesMax} pages per request.` });
  });

  it('refuses a request without a page, or with a blank one', async () => {
    const { url } = await startServer();

    expect(expectError(await counts(url, []), 400, 'validation_failed').fields).toEqual({ page: 'Page is required.' });
    expect(expectError(await counts(url, ['/a', ' ']), 400, 'validation_failed').fields).toEqual({ 'page.1': 'Page is required.' });
  });

  it('answers 404 site_not_found for a site the server does not serve', async () => {
    const { url } = await startServer();

    expectError(await counts(url, ['/a'], { site: 'nowhere' }), 404, 'site_not_found');
  });

  it('sends an ETag and answers 304 until a count changes', async () => {
    const { server, url } = await startServer();
    const ada = await quickUser(server, 'Ada');
    await postComment(url, ada.token, 'One', { page: '/a' });

    const first = await counts(url, ['/a', '/b']);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const again = await counts(url, ['/a', '/b'], { ifNoneMatch: etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    await postComment(url, ada.token, 'Another', { page: '/b' });
    const changed = await counts(url, ['/a', '/b'], { ifNoneMatch: etag! });
    expect(expectOk(changed, 200, CommentCounts).counts).toEqual({ '/a': 1, '/b': 1 });
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('lets a host page on an allowed origin read the counts and their ETag', async () => {
    const { url } = await startServer();

    const res = await counts(url, ['/a'], { origin: ALLOWED_ORIGIN });

    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/ETag/i);
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });
});
