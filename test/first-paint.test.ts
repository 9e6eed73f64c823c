import type { Page, Request, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { ARTICLE_PATH } from './helpers/stack.js';
import { comment, createAccount, newAccount, postComment, signedInAs } from './helpers/widget.js';

const journey = setupJourney();

interface Seen {
  url: URL;
  type: string;
}

/** Every request the page makes, from before it navigates. */
function recordRequests(page: Page, seen: Seen[]): void {
  page.on('request', (request: Request) => seen.push({ url: new URL(request.url()), type: request.resourceType() }));
}

/** Posts a comment over the API as a fresh account, so the thread has something to paint. */
async function seedComment(serverUrl: string, origin: string, text: string): Promise<void> {
  const headers = { 'content-type': 'application/json', origin };
  const signUp = await fetch(`${serverUrl}/api/auth/sign-up`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Seeder', email: `seeder-${Date.now()}@example.com`, password: 'a long seed password' }),
  });
  expect(signUp.status).toBe(201);
  const { token } = (await signUp.json()) as { token: string };
  const post = await fetch(`${serverUrl}/api/comments`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}` },
    body: JSON.stringify({ page: ARTICLE_PATH, body: text }),
  });
  expect(post.status).toBe(201);
}

describe('what a reader downloads', () => {
  it('paints the thread from one script and one JSON request; the rest of the widget loads after', async () => {
    const { serverUrl, host } = journey.stack;
    await seedComment(serverUrl, host.origin, 'Painted before anything else loaded.');
    const seen: Seen[] = [];
    const held: Route[] = [];
    const holdBack = (url: URL) => url.origin === serverUrl && url.pathname !== '/embed.js' && url.pathname !== '/api/comments';
    const { page } = await journey.browsing.open(host.articleUrl, 'reader', {
      // The held chunk is a script the page asked for: its load event waits for it.
      waitUntil: 'domcontentloaded',
      beforeLoad: (page) => {
        recordRequests(page, seen);
        // Hold back everything of Parley's but the script and the thread: the thread must still show.
        void page.route(holdBack, (route) => void held.push(route));
      },
    });

    await comment(page, 'Painted before anything else loaded.').waitFor();
    const fromParley = seen.filter((request) => request.url.origin === serverUrl);
    const scripts = fromParley.filter((request) => request.type === 'script').map((request) => request.url.pathname);
    const data = fromParley.filter((request) => request.type === 'fetch' || request.type === 'xhr').map((request) => request.url.pathname);
    expect(scripts[0]).toBe('/embed.js');
    expect(data).toEqual(['/api/comments']);
    // Whatever else was asked for is not needed to paint (it is still held back): the later chunk only.
    expect(held.map((route) => new URL(route.request().url()).pathname)).toEqual(scripts.slice(1));
    expect(scripts.slice(1).every((path) => path.startsWith('/chunks/'))).toBe(true);

    // Let it through: sign-in and the rest arrive, and nothing else is fetched for the thread.
    // (The rest may not even be asked for yet: the widget fetches it once the
    // page is idle. Unrouting lets through whatever is held by then.)
    for (const route of held.splice(0)) await route.continue();
    await page.unroute(holdBack);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(seen.filter((request) => request.url.pathname === '/api/comments')).toHaveLength(1);
  });

  it('never asks for a font or anything from a third party, through sign-up, posting and live updates', async () => {
    const { serverUrl, host } = journey.stack;
    const seen: Seen[] = [];
    const { page } = await journey.browsing.open(host.articleUrl, 'writer', { beforeLoad: (page) => recordRequests(page, seen) });
    const account = newAccount('Writer');
    await createAccount(page, account);
    await signedInAs(page, account).waitFor();
    await postComment(page, 'Nothing but two origins.');
    const other = await journey.reader('reader');
    await comment(other.page, 'Nothing but two origins.').waitFor();

    const origins = new Set(seen.map((request) => request.url.origin));
    expect([...origins].sort()).toEqual([host.origin, serverUrl].sort());
    expect(seen.filter((request) => request.type === 'font')).toEqual([]);
    // Parley itself sends scripts and data only: no stylesheet, image or font of its own.
    const parleyTypes = new Set(seen.filter((request) => request.url.origin === serverUrl).map((request) => request.type));
    for (const type of parleyTypes) expect(['script', 'fetch', 'xhr', 'websocket']).toContain(type);
  });
});
