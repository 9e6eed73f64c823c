import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Browsing, markDocument } from './helpers/browser.js';
import { ARTICLE_PATH, startStack, type Stack } from './helpers/stack.js';
import { waitUntil } from './helpers/wait.js';
import { comment, commentsHeading, commentsInOrder, widgetText } from './helpers/widget.js';

/** The fewest events per page the server may be told to keep; the outage below makes more. */
const RETENTION = 10;

// setupJourney() starts every stack with the default retention, so this file starts its own.
let browsing: Browsing;
let stack: Stack | undefined;

beforeAll(async () => {
  browsing = await Browsing.launch();
});
afterEach(async () => {
  try {
    await browsing.closeReaders();
  } finally {
    await stack?.close();
    stack = undefined;
  }
});
afterAll(() => browsing?.close());

/** Alice, writing through the REST API the way any client could, while Bob's widget is offline. */
class ApiAuthor {
  private constructor(
    private readonly serverUrl: string,
    private readonly origin: string,
    private readonly token: string,
  ) {}

  static async signUp(serverUrl: string, origin: string, name: string): Promise<ApiAuthor> {
    const session = await call<{ token: string }>(serverUrl, origin, 'POST', '/api/auth/sign-up', undefined, {
      site: 'default',
      name,
      email: `${name.toLowerCase()}.reload@example.com`,
      password: 'correct horse battery',
    });
    return new ApiAuthor(serverUrl, origin, session.token);
  }

  /** Posts a comment (a reply when `parentId` is given) and returns its id. */
  async post(body: string, parentId?: string): Promise<string> {
    const request = { site: 'default', page: ARTICLE_PATH, body, ...(parentId ? { parentId } : {}) };
    const answer = await call<{ comment: { id: string } }>(this.serverUrl, this.origin, 'POST', '/api/comments', this.token, request);
    return answer.comment.id;
  }

  async edit(id: string, body: string): Promise<void> {
    await call(this.serverUrl, this.origin, 'PATCH', `/api/comments/${id}?site=default`, this.token, { body });
  }

  async delete(id: string): Promise<void> {
    await call(this.serverUrl, this.origin, 'DELETE', `/api/comments/${id}?site=default`, this.token);
  }
}

async function call<T>(serverUrl: string, origin: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { origin };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${serverUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  expect(res.ok, `${method} ${path}: ${res.status} ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

/** The text of every comment body the widget shows, in page order (tombstones have none). */
function commentBodies(page: Page): Promise<string[]> {
  return page.locator('parley-comments [part="comment__body"]').allInnerTexts().then((texts) => texts.map((t) => t.trim()));
}

/** Every socket.io acknowledgement `page` receives, as raw JSON, from sockets opened after this call. */
function recordAcks(page: Page): string[] {
  const acks: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      // Engine.io "4" (message), socket.io "3" (ack) and its id, then the JSON arguments.
      const ack = typeof payload === 'string' ? /^43\d+(\[.*)$/s.exec(payload) : null;
      if (ack) acks.push(ack[1]!);
    });
  });
  return acks;
}

describe('a reader offline for longer than the server keeps events', () => {
  it('is told to reload, and shows exactly the current thread without reloading the page', async () => {
    stack = await startStack({ eventRetention: RETENTION });
    const { server, serverUrl, host } = stack;
    const alice = await ApiAuthor.signUp(serverUrl, host.origin, 'Alice');
    const seed = [await alice.post('Seed one.'), await alice.post('Seed two.'), await alice.post('Seed three.')];

    const b = await browsing.open(host.articleUrl, 'Bob');
    await commentsHeading(b.page, 3).waitFor();
    expect(await commentBodies(b.page)).toEqual(['Seed one.', 'Seed two.', 'Seed three.']);
    const bobNeverReloaded = await markDocument(b.page);

    // Going offline drops Bob's WebSocket too (see reconnect.test.ts); once the
    // server holds no socket at all, nothing below can reach Bob live.
    await b.context.setOffline(true);
    const lost = b.page.getByRole('status').filter({ hasText: 'Connection lost. New comments will appear when it returns.' });
    await lost.waitFor();
    await waitUntil(async () => (await server.io.fetchSockets()).length === 0, "the server to drop Bob's socket");

    // Twenty-one events, more than twice what the server keeps: new comments, a reply,
    // edits, a deletion that leaves a tombstone and two that leave nothing.
    const outage: string[] = [];
    for (let i = 1; i <= 15; i++) outage.push(await alice.post(`Outage ${i}.`));
    await alice.post('A reply to seed two, during the outage.', seed[1]);
    await alice.edit(seed[0]!, 'Seed one, edited during the outage.');
    await alice.edit(outage[3]!, 'Outage 4, edited during the outage.');
    await alice.delete(seed[1]!);
    await alice.delete(seed[2]!);
    await alice.delete(outage[6]!);
    expect(await commentBodies(b.page)).toEqual(['Seed one.', 'Seed two.', 'Seed three.']);

    const acks = recordAcks(b.page);
    const threadFetches: string[] = [];
    b.page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/comments' && request.method() === 'GET') threadFetches.push(request.url());
    });
    await b.context.setOffline(false);

    await comment(b.page, 'Outage 15.').waitFor({ timeout: 20_000 });
    await lost.waitFor({ state: 'hidden' });
    // Published: seed one, the reply, and fourteen of the fifteen outage comments.
    await commentsHeading(b.page, 16).waitFor();
    const expected = [
      'Seed one, edited during the outage.',
      'A reply to seed two, during the outage.',
      ...Array.from({ length: 15 }, (_, i) => (i === 3 ? 'Outage 4, edited during the outage.' : `Outage ${i + 1}.`)).filter(
        (_, i) => i !== 6,
      ),
    ];
    expect(await commentBodies(b.page)).toEqual(expected);
    const shown = await commentsInOrder(b.page);
    expect(shown.filter((text) => text.includes('This comment was deleted.'))).toHaveLength(1);
    expect(shown).toHaveLength(expected.length + 1);
    const text = await widgetText(b.page);
    for (const gone of ['Seed two.', 'Seed three.', 'Outage 7.', 'Seed one.', 'Outage 4.']) expect(text).not.toContain(gone);
    await comment(b.page, 'Seed one, edited during the outage.').getByText('edited', { exact: true }).waitFor();

    // The server said the events were gone, and the widget fetched the thread instead of a page reload.
    expect(acks.some((ack) => (JSON.parse(ack) as { reload?: boolean }[])[0]?.reload === true), `acks: ${acks.join(' ')}`).toBe(true);
    expect(threadFetches.length).toBeGreaterThan(0);
    expect(await bobNeverReloaded()).toBe(true);

    // After the reload Bob is in the page's room again: the next comment arrives live, once.
    await alice.post('After the reload.');
    await comment(b.page, 'After the reload.').waitFor();
    await commentsHeading(b.page, 17).waitFor();
    expect(await commentBodies(b.page)).toEqual([...expected, 'After the reload.']);
  });
});
