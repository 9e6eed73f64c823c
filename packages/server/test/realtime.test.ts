import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { JoinPageReply, type PageEvent } from '@parley/protocol';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import {
  EventLog,
  api,
  cleanup,
  connect,
  joinPage,
  onCleanup,
  postComment,
  signUp,
  startServer,
  WAIT_MS,
  type ClientSocket,
} from './helpers.js';

afterEach(cleanup);

/** A server, a signed-up author, and a helper that connects a client to a page. */
async function setup(overrides: Parameters<typeof startServer>[0] = {}) {
  const { url, server } = await startServer(overrides);
  const { token } = await signUp(url, 'Alice');
  const joined = async (page: string, since?: number) => {
    const socket = await connect(url);
    const log = new EventLog(socket);
    const reply = JoinPageReply.parse(await joinPage(socket, page, since));
    return { socket, log, reply };
  };
  return { url, server, token, joined };
}

const seqs = (events: PageEvent[]) => events.map((e) => e.seq);

/** Types are not validation: this sends what a broken or hostile client might. */
const untyped = (socket: ClientSocket) => socket as unknown as Socket;

describe('page:join', () => {
  it("answers with the page's current seq and nothing missed", async () => {
    const { url, token, joined } = await setup();
    await postComment(url, token, 'one');
    await postComment(url, token, 'two');
    expect((await joined('/a')).reply).toEqual({ ok: true, seq: 2, missed: [] });
    expect((await joined('/never-commented')).reply).toEqual({ ok: true, seq: 0, missed: [] });
  });

  it('answers a join with since equal to the current seq with nothing missed', async () => {
    const { url, token, joined } = await setup();
    await postComment(url, token, 'one');
    expect((await joined('/a', 1)).reply).toEqual({ ok: true, seq: 1, missed: [] });
  });

  it('refuses a malformed request without an exception, and keeps serving the socket', async () => {
    const { joined } = await setup();
    const { socket } = await joined('/a');
    for (const payload of [{ site: 'default' }, 'nonsense', { site: 'default', page: '/a', since: -1 }, { site: 'default', page: '/a', since: 1.5 }, null]) {
      const reply = JoinPageReply.parse(await untyped(socket).timeout(WAIT_MS).emitWithAck('page:join', payload));
      expect(reply).toMatchObject({ ok: false, reload: false, error: { code: 'validation_failed' } });
    }
    expect(await joinPage(socket, '/b')).toEqual({ ok: true, seq: 0, missed: [] });
  });

  it('survives a join sent without an acknowledgement callback', async () => {
    const { joined } = await setup();
    const { socket } = await joined('/a');
    untyped(socket).emit('page:join', { site: 'default', page: '/b' });
    expect(await joinPage(socket, '/c')).toEqual({ ok: true, seq: 0, missed: [] });
  });

  it('answers site_not_found for a site the server does not serve', async () => {
    const { url } = await setup();
    const socket = await connect(url);
    const reply = await joinPage(socket, '/a', undefined, 'elsewhere');
    expect(reply).toMatchObject({ ok: false, reload: false, error: { code: 'site_not_found' } });
  });

  it('limits how many pages one connection may follow', async () => {
    const { url } = await setup();
    const socket = await connect(url);
    for (let i = 0; i < 20; i++) expect((await joinPage(socket, `/p${i}`)).ok).toBe(true);
    expect(await joinPage(socket, '/one-too-many')).toMatchObject({ ok: false, reload: false, error: { code: 'rate_limited' } });
    // Joining a page it already follows is not a new room.
    expect((await joinPage(socket, '/p0')).ok).toBe(true);
  });

  it('answers internal_error when the store fails, and keeps the connection', async () => {
    const real = openSqliteStore(':memory:', { eventRetention: 10 });
    onCleanup(() => real.close());
    let failing = true;
    const flaky: Store = {
      ...real,
      async eventsSince(...args) {
        if (failing) throw new Error('database is locked');
        return real.eventsSince(...args);
      },
    };
    const { url } = await startServer({}, { store: flaky });
    const socket = await connect(url);
    expect(await joinPage(socket, '/a')).toMatchObject({ ok: false, reload: false, error: { code: 'internal_error' } });
    failing = false;
    expect(await joinPage(socket, '/a')).toEqual({ ok: true, seq: 0, missed: [] });
  });
});

describe('live page events', () => {
  it("delivers a new comment to every client on the page, and only to that page's clients", async () => {
    const { url, token, joined } = await setup();
    const a1 = await joined('/a');
    const a2 = await joined('/a');
    const b = await joined('/b');

    const onA = await postComment(url, token, 'Hello A', { page: '/a' });
    for (const client of [a1, a2]) {
      const [event] = await client.log.waitFor(1);
      expect(event).toEqual({
        type: 'comment:created',
        site: 'default',
        page: '/a',
        seq: onA.seq,
        count: onA.count,
        comment: { id: onA.comment.id, parentId: null, author: onA.comment.author, html: '<p>Hello A</p>', status: 'published', createdAt: onA.comment.createdAt, editedAt: null, pinned: false },
      });
    }

    // B's client would have received A's event first, had it been sent there.
    const onB = await postComment(url, token, 'Hello B', { page: '/b' });
    const [first] = await b.log.waitFor(1);
    expect(first).toMatchObject({ type: 'comment:created', page: '/b', seq: 1, comment: { id: onB.comment.id } });
    expect(b.log.events).toHaveLength(1);
  });

  it('never sends the markdown source to readers', async () => {
    const { url, token, joined } = await setup();
    const { socket } = await joined('/a');
    const raw = new Promise<unknown>((resolve) => socket.once('comment:created', resolve));
    await postComment(url, token, 'Secret *source*');
    expect(await raw).not.toHaveProperty('comment.source');
  });

  it('delivers created, updated and deleted in order with increasing seq', async () => {
    const { url, token, joined } = await setup();
    const { log } = await joined('/a');
    const { comment } = await postComment(url, token, 'Draft');
    await api(url, 'PATCH', `/api/comments/${comment.id}?site=default`, { token, body: { body: 'Final' } });
    await api(url, 'DELETE', `/api/comments/${comment.id}?site=default`, { token });

    const events = await log.waitFor(3);
    expect(events.map((e) => e.type)).toEqual(['comment:created', 'comment:updated', 'comment:deleted']);
    expect(seqs(events)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.count)).toEqual([1, 1, 0]);
    expect(events[1]).toMatchObject({ comment: { id: comment.id, html: '<p>Final</p>' } });
    expect(events[1]?.type === 'comment:updated' && events[1].comment.editedAt).toBeTruthy();
    expect(events[2]).toMatchObject({ id: comment.id, mode: 'removed' });
  });

  it('announces a tombstone and its removal with the last reply', async () => {
    const { url, token, joined } = await setup();
    const bob = await signUp(url, 'Bob');
    const root = (await postComment(url, token, 'Root')).comment;
    const reply = (await postComment(url, bob.token, 'Reply', { parentId: root.id })).comment;
    const { log } = await joined('/a', 2);

    await api(url, 'DELETE', `/api/comments/${root.id}?site=default`, { token });
    await api(url, 'DELETE', `/api/comments/${reply.id}?site=default`, { token: bob.token });
    const events = await log.waitFor(3);
    expect(events).toEqual([
      { type: 'comment:deleted', site: 'default', page: '/a', seq: 3, count: 1, id: root.id, mode: 'tombstoned' },
      { type: 'comment:deleted', site: 'default', page: '/a', seq: 4, count: 0, id: reply.id, mode: 'removed' },
      { type: 'comment:deleted', site: 'default', page: '/a', seq: 5, count: 0, id: root.id, mode: 'removed' },
    ]);
  });

  it('stops delivering a page after page:leave', async () => {
    const { url, token, joined } = await setup();
    const { socket, log } = await joined('/a');
    expect((await joinPage(socket, '/b')).ok).toBe(true);
    socket.emit('page:leave', { site: 'default', page: '/a' });
    // A round trip after the leave, so the server has handled it before the next post.
    expect((await joinPage(socket, '/b')).ok).toBe(true);

    await postComment(url, token, 'On A', { page: '/a' });
    await postComment(url, token, 'On B', { page: '/b' });
    const [first] = await log.waitFor(1);
    expect(first).toMatchObject({ page: '/b' });
  });
});

describe('catching up after a reconnect', () => {
  it('replays exactly the events missed while away, in order, and then continues live without duplicates', async () => {
    const { url, token, joined } = await setup();
    await postComment(url, token, 'before 1');
    await postComment(url, token, 'before 2');
    const first = await joined('/a');
    expect(first.reply).toMatchObject({ ok: true, seq: 2 });
    const seen = (first.reply as { seq: number }).seq;
    first.socket.disconnect();

    const c3 = await postComment(url, token, 'while away 1');
    await api(url, 'PATCH', `/api/comments/${c3.comment.id}?site=default`, { token, body: { body: 'edited while away' } });
    await postComment(url, token, 'while away 2');

    const again = await joined('/a', seen);
    const reply = again.reply;
    if (!reply.ok) throw new Error(`join refused: ${JSON.stringify(reply)}`);
    expect(reply.seq).toBe(seen + 3);
    expect(seqs(reply.missed)).toEqual([seen + 1, seen + 2, seen + 3]);
    expect(reply.missed.map((e) => e.type)).toEqual(['comment:created', 'comment:updated', 'comment:created']);
    expect(reply.missed[0]).toMatchObject({ comment: { id: c3.comment.id, html: '<p>while away 1</p>' } });
    expect(reply.missed[1]).toMatchObject({ comment: { id: c3.comment.id, html: '<p>edited while away</p>' } });

    // Nothing from before the join arrives live as well; the next events do, once each.
    await postComment(url, token, 'after 1');
    await postComment(url, token, 'after 2');
    await again.log.waitFor(2);
    expect(seqs(again.log.events)).toEqual([seen + 4, seen + 5]);
  });

  it('replays everything when the client saw nothing (since 0)', async () => {
    const { url, token, joined } = await setup();
    await postComment(url, token, 'one');
    await postComment(url, token, 'two');
    const { reply } = await joined('/a', 0);
    expect(reply.ok && seqs(reply.missed)).toEqual([1, 2]);
  });

  it('never replays the text of a comment deleted since', async () => {
    const { url, token, joined } = await setup();
    const { comment } = await postComment(url, token, 'secret first draft');
    await api(url, 'PATCH', `/api/comments/${comment.id}?site=default`, { token, body: { body: 'secret second draft' } });
    await api(url, 'DELETE', `/api/comments/${comment.id}?site=default`, { token });
    const { reply } = await joined('/a', 0);
    expect(reply.ok && reply.missed.map((e) => e.type)).toEqual(['comment:created', 'comment:updated', 'comment:deleted']);
    expect(JSON.stringify(reply)).not.toContain('secret');
  });

  it('asks for a reload when since is older than the events kept', async () => {
    const { url, token, joined } = await setup({ eventRetention: 10 });
    for (let i = 1; i <= 15; i++) await postComment(url, token, `comment ${i}`);
    expect((await joined('/a', 1)).reply).toEqual({ ok: false, reload: true });
    // The oldest kept event is 6: a client that saw 5 can still catch up.
    const { reply } = await joined('/a', 5);
    expect(reply.ok && seqs(reply.missed)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('keeps exactly the retention after old events have been pruned', async () => {
    const { url, token, joined } = await setup({ eventRetention: 10 });
    for (let i = 1; i <= 70; i++) await postComment(url, token, `comment ${i}`);
    // Events 61 to 70 are the last ten, whatever older rows are still stored.
    const { reply } = await joined('/a', 60);
    expect(reply.ok && seqs(reply.missed)).toEqual([61, 62, 63, 64, 65, 66, 67, 68, 69, 70]);
    expect((await joined('/a', 59)).reply).toEqual({ ok: false, reload: true });
    expect((await joined('/a', 50)).reply).toEqual({ ok: false, reload: true });
  });

  it('asks for a reload when since is ahead of the page (the database was reset)', async () => {
    const { url, token, joined } = await setup();
    await postComment(url, token, 'one');
    expect((await joined('/a', 2)).reply).toEqual({ ok: false, reload: true });
    expect((await joined('/never-commented', 7)).reply).toEqual({ ok: false, reload: true });
  });

  // The widget reloads the thread over REST and stays subscribed without joining again.
  it('still joins the room when it asks for a reload, so no event is lost while reloading', async () => {
    const { url, token, joined } = await setup({ eventRetention: 10 });
    for (let i = 1; i <= 12; i++) await postComment(url, token, `comment ${i}`);
    const { reply, log } = await joined('/a', 1);
    expect(reply).toEqual({ ok: false, reload: true });
    await postComment(url, token, 'after the reload');
    const [event] = await log.waitFor(1);
    expect(event?.seq).toBe(13);
  });
});
