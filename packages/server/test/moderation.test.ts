import { afterEach, describe, expect, it } from 'vitest';
import { AuditPage, JoinPageReply, ModeratedComment, QueuePage } from '@parley/protocol';
import {
  EventLog,
  callRoute,
  cleanup,
  connect,
  expectError,
  expectOk,
  joinPage,
  listComments,
  postComment,
  signInModerator,
  signUp,
  startServer,
  type ApiResponse,
} from './helpers.js';

afterEach(cleanup);

/** A server with an author, a reader and a moderator of the default site. */
async function setup() {
  const running = await startServer();
  const { url } = running;
  const author = await signUp(url, 'Alice');
  const reader = await signUp(url, 'Bob');
  const moderator = await signInModerator(running, 'Mod');
  const moderate = (id: string, body: Record<string, unknown>, site = 'default'): Promise<ApiResponse> =>
    callRoute(url, 'moderateComment', { token: moderator.token, params: { id }, body: { site, ...body } });
  const pin = (id: string, pinned: boolean): Promise<ApiResponse> =>
    callRoute(url, 'pinComment', { token: moderator.token, params: { id }, body: { site: 'default', pinned } });
  const queue = async (name: 'reported' | 'pending' | 'removed') =>
    expectOk(await callRoute(url, 'listModerationQueue', { token: moderator.token, query: { site: 'default', queue: name } }), 200, QueuePage);
  const audit = async (query: Record<string, string | number> = {}) =>
    expectOk(await callRoute(url, 'listAuditLog', { token: moderator.token, query: { site: 'default', ...query } }), 200, AuditPage);
  return { ...running, author, reader, moderator, moderate, pin, queue, audit };
}

/** A client following `page`. */
async function follow(url: string, page = '/a') {
  const socket = await connect(url);
  const log = new EventLog(socket);
  expect(JoinPageReply.parse(await joinPage(socket, page)).ok).toBe(true);
  return log;
}

/** Three more readers report the comment, which hides it pending review. */
async function reportPastThreshold(url: string, id: string) {
  for (const name of ['R1', 'R2', 'R3']) {
    const { token } = await signUp(url, name);
    expect((await callRoute(url, 'reportComment', { token, params: { id }, body: { site: 'default', reason: 'spam' } })).status).toBe(201);
  }
}

const ids = (thread: { comments: { id: string }[] }) => thread.comments.map((c) => c.id);

describe('moderateComment: approve', () => {
  it('clears the reports and shows a held comment again, live', async () => {
    const { url, author, moderate, queue } = await setup();
    const { comment } = await postComment(url, author.token, 'Reported unfairly');
    await reportPastThreshold(url, comment.id);
    expect(ids(await listComments(url))).toEqual([]);
    const log = await follow(url);

    const res = expectOk(await moderate(comment.id, { action: 'approve' }), 200, ModeratedComment);
    expect(res.comment).toMatchObject({ id: comment.id, status: 'published', author: { name: 'Alice' } });

    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({
      type: 'comment:created',
      count: 1,
      comment: { id: comment.id, status: 'published', html: '<p>Reported unfairly</p>', author: { name: 'Alice' } },
    });
    expect(ids(await listComments(url))).toEqual([comment.id]);
    expect((await queue('reported')).items).toEqual([]);
    expect((await queue('pending')).items).toEqual([]);
  });

  it('clears open reports below the threshold without changing the thread', async () => {
    const { url, author, reader, moderate, queue } = await setup();
    const { comment } = await postComment(url, author.token, 'Fine');
    await callRoute(url, 'reportComment', { token: reader.token, params: { id: comment.id }, body: { site: 'default', reason: 'other' } });
    expect((await queue('reported')).items).toHaveLength(1);
    expectOk(await moderate(comment.id, { action: 'approve' }), 200, ModeratedComment);
    expect((await queue('reported')).items).toEqual([]);
    expect(ids(await listComments(url))).toEqual([comment.id]);
  });
});

describe('moderateComment: remove', () => {
  it('requires a reason: 400 naming the field without one, or with only spaces', async () => {
    const { url, author, moderate } = await setup();
    const { comment } = await postComment(url, author.token, 'Rude');
    for (const body of [{ action: 'remove' }, { action: 'remove', reason: '   ' }]) {
      const error = expectError(await moderate(comment.id, body), 400, 'validation_failed');
      expect(error.fields?.reason).toBe('Reason is required.');
    }
    expect(ids(await listComments(url))).toEqual([comment.id]);
  });

  it('takes a comment without replies out of the thread, live, and lists it as removed with the reason', async () => {
    const { url, author, moderate, queue } = await setup();
    const keep = await postComment(url, author.token, 'Kind');
    const { comment } = await postComment(url, author.token, 'Rude');
    const log = await follow(url);

    const res = expectOk(await moderate(comment.id, { action: 'remove', reason: 'Insults' }), 200, ModeratedComment);
    expect(res.comment).toMatchObject({ id: comment.id, status: 'removed', author: null, html: '' });
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:deleted', id: comment.id, mode: 'removed', count: 1 });

    const thread = await listComments(url);
    expect(ids(thread)).toEqual([keep.comment.id]);
    expect(thread.count).toBe(1);
    // Not even its author sees it in the thread.
    expect(ids(await listComments(url, { token: author.token }))).toEqual([keep.comment.id]);

    const removed = await queue('removed');
    expect(removed.items).toHaveLength(1);
    expect(removed.items[0]).toMatchObject({
      comment: { id: comment.id, status: 'removed', html: '<p>Rude</p>', author: { name: 'Alice' } },
      removedReason: 'Insults',
      heldReason: null,
    });
  });

  it('leaves "Removed by a moderator." in place of a comment with replies', async () => {
    const { url, author, reader, moderate } = await setup();
    const { comment } = await postComment(url, author.token, 'Rude');
    const reply = await postComment(url, reader.token, 'Calm down', { parentId: comment.id });
    const log = await follow(url);

    expectOk(await moderate(comment.id, { action: 'remove', reason: 'Insults' }), 200, ModeratedComment);
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:updated', count: 1, comment: { id: comment.id, status: 'removed', author: null, html: '' } });

    const thread = await listComments(url);
    expect(thread.comments.map((c) => [c.id, c.status])).toEqual([
      [comment.id, 'removed'],
      [reply.comment.id, 'published'],
    ]);
    expect(JSON.stringify(thread)).not.toContain('Rude');
  });

  it("never replays a removed comment's text to a client catching up", async () => {
    const { url, author, moderate } = await setup();
    const { comment } = await postComment(url, author.token, 'secret insult');
    await moderate(comment.id, { action: 'remove', reason: 'Insults' });
    const socket = await connect(url);
    const reply = JoinPageReply.parse(await joinPage(socket, '/a', 0));
    expect(reply.ok && reply.missed.map((e) => e.type)).toEqual(['comment:created', 'comment:deleted']);
    expect(JSON.stringify(reply)).not.toContain('secret');
  });

  it('refuses an unknown comment, and a comment of another site, with 404', async () => {
    const { url, server, moderate } = await setup();
    expectError(await moderate('999999', { action: 'remove', reason: 'x' }), 404, 'comment_not_found');

    await server.store.ensureSite('other', 'other');
    const elsewhere = await signUp(url, 'Olga', { site: 'other' });
    const res = await callRoute(url, 'createComment', { token: elsewhere.token, body: { site: 'other', page: '/a', body: 'Other site' } });
    const { comment } = res.body as { comment: { id: string } };
    expectError(await moderate(comment.id, { action: 'remove', reason: 'x' }), 404, 'comment_not_found');
  });

  it('refuses an unknown action with 400', async () => {
    const { url, author, moderate } = await setup();
    const { comment } = await postComment(url, author.token, 'Hi');
    const error = expectError(await moderate(comment.id, { action: 'delete' }), 400, 'validation_failed');
    expect(Object.keys(error.fields ?? {})).toEqual(['action']);
  });
});

describe('moderateComment: restore', () => {
  it('brings a removed comment back into the thread, live, and out of the removed queue', async () => {
    const { url, author, moderate, queue } = await setup();
    const { comment } = await postComment(url, author.token, 'Misjudged');
    await moderate(comment.id, { action: 'remove', reason: 'Looked rude' });
    const log = await follow(url);

    const res = expectOk(await moderate(comment.id, { action: 'restore' }), 200, ModeratedComment);
    expect(res.comment).toMatchObject({ status: 'published', html: '<p>Misjudged</p>' });
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:created', count: 1, comment: { id: comment.id, status: 'published', author: { name: 'Alice' } } });
    expect(ids(await listComments(url))).toEqual([comment.id]);
    expect((await queue('removed')).items).toEqual([]);
  });

  it('turns a removed placeholder back into the comment, live', async () => {
    const { url, author, reader, moderate } = await setup();
    const { comment } = await postComment(url, author.token, 'Misjudged');
    await postComment(url, reader.token, 'Reply', { parentId: comment.id });
    await moderate(comment.id, { action: 'remove', reason: 'Looked rude' });
    const log = await follow(url);

    await moderate(comment.id, { action: 'restore' });
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:updated', comment: { id: comment.id, status: 'published', html: '<p>Misjudged</p>' } });
  });
});

describe('listAuditLog', () => {
  it('records who did what, on what, and why, newest first', async () => {
    const { url, author, moderator, moderate, audit } = await setup();
    const { comment } = await postComment(url, author.token, 'Some   text\nwith lines');
    await moderate(comment.id, { action: 'approve' });
    await moderate(comment.id, { action: 'remove', reason: 'Off-topic rant' });
    await moderate(comment.id, { action: 'restore', reason: 'On reflection, fine' });

    const { entries, nextCursor } = await audit();
    expect(nextCursor).toBeNull();
    const actor = { id: moderator.user.id, name: 'Mod' };
    const label = 'Comment by Alice: "Some text with lines"';
    expect(entries.map(({ actor, action, targetType, targetId, targetLabel, reason }) => ({ actor, action, targetType, targetId, targetLabel, reason }))).toEqual([
      { actor, action: 'restore', targetType: 'comment', targetId: comment.id, targetLabel: label, reason: 'On reflection, fine' },
      { actor, action: 'remove', targetType: 'comment', targetId: comment.id, targetLabel: label, reason: 'Off-topic rant' },
      { actor, action: 'approve', targetType: 'comment', targetId: comment.id, targetLabel: label, reason: null },
    ]);
    const times = entries.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('shortens a long comment in the label', async () => {
    const { url, author, moderate, audit } = await setup();
    const { comment } = await postComment(url, author.token, 'word '.repeat(50));
    await moderate(comment.id, { action: 'approve' });
    const [entry] = (await audit()).entries;
    expect(entry?.targetLabel.startsWith('Comment by Alice: "word word')).toBe(true);
    expect(entry?.targetLabel.endsWith('…"')).toBe(true);
    expect(entry!.targetLabel.length).toBeLessThan(120);
  });

  it('pages with a cursor, without gaps or repeats', async () => {
    const { url, author, moderate, audit } = await setup();
    const { comment } = await postComment(url, author.token, 'Hi');
    for (let i = 0; i < 5; i++) await moderate(comment.id, { action: 'approve', reason: `round ${i}` });

    const first = await audit({ limit: 2 });
    expect(first.entries.map((e) => e.reason)).toEqual(['round 4', 'round 3']);
    expect(first.nextCursor).not.toBeNull();
    const second = await audit({ limit: 2, cursor: first.nextCursor! });
    expect(second.entries.map((e) => e.reason)).toEqual(['round 2', 'round 1']);
    const third = await audit({ limit: 2, cursor: second.nextCursor! });
    expect(third.entries.map((e) => e.reason)).toEqual(['round 0']);
    expect(third.nextCursor).toBeNull();
  });

  it("keeps each site's log to itself", async () => {
    const running = await setup();
    const { url, server, author, moderate } = running;
    const { comment } = await postComment(url, author.token, 'Hi');
    await moderate(comment.id, { action: 'approve' });
    await server.store.ensureSite('other', 'other');
    const otherMod = await signInModerator(running, 'Otto', 'other');
    const res = await callRoute(url, 'listAuditLog', { token: otherMod.token, query: { site: 'other' } });
    expect(expectOk(res, 200, AuditPage).entries).toEqual([]);
  });
});

describe('pinComment', () => {
  it('shows a pinned comment first, marked pinned, in both orders, live', async () => {
    const { url, author, pin } = await setup();
    const first = await postComment(url, author.token, 'First');
    const middle = await postComment(url, author.token, 'Middle');
    const last = await postComment(url, author.token, 'Last');
    const log = await follow(url);

    const res = expectOk(await pin(middle.comment.id, true), 200, ModeratedComment);
    expect(res.comment).toMatchObject({ id: middle.comment.id, pinned: true });
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:updated', comment: { id: middle.comment.id, pinned: true } });

    const newest = await listComments(url, { sort: 'newest' });
    expect(ids(newest)).toEqual([middle.comment.id, last.comment.id, first.comment.id]);
    expect(newest.comments.map((c) => c.pinned)).toEqual([true, false, false]);
    const oldest = await listComments(url, { sort: 'oldest' });
    expect(ids(oldest)).toEqual([middle.comment.id, first.comment.id, last.comment.id]);
  });

  it('shows the pinned comment once across pages of the thread', async () => {
    const { url, author, pin } = await setup();
    const posted = [];
    for (let i = 1; i <= 5; i++) posted.push((await postComment(url, author.token, `c${i}`)).comment.id);
    await pin(posted[0]!, true);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listComments(url, { sort: 'newest', limit: 2, cursor });
      seen.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([posted[0], posted[4], posted[3], posted[2], posted[1]]);
  });

  it('keeps one pin per page: pinning another unpins the first, as two updates', async () => {
    const { url, author, pin } = await setup();
    const a = await postComment(url, author.token, 'A');
    const b = await postComment(url, author.token, 'B');
    await pin(a.comment.id, true);
    const log = await follow(url);

    await pin(b.comment.id, true);
    const events = await log.waitFor(2);
    expect(events).toEqual([
      expect.objectContaining({ type: 'comment:updated', comment: expect.objectContaining({ id: a.comment.id, pinned: false }) }),
      expect.objectContaining({ type: 'comment:updated', comment: expect.objectContaining({ id: b.comment.id, pinned: true }) }),
    ]);
    const thread = await listComments(url, { sort: 'oldest' });
    expect(thread.comments.map((c) => [c.id, c.pinned])).toEqual([
      [b.comment.id, true],
      [a.comment.id, false],
    ]);
  });

  it('pins per page: a pin on one page leaves the other alone', async () => {
    const { url, author, pin } = await setup();
    const onA = await postComment(url, author.token, 'On A', { page: '/a' });
    const onB = await postComment(url, author.token, 'On B', { page: '/b' });
    await pin(onA.comment.id, true);
    await pin(onB.comment.id, true);
    expect((await listComments(url, { page: '/a' })).comments[0]).toMatchObject({ id: onA.comment.id, pinned: true });
    expect((await listComments(url, { page: '/b' })).comments[0]).toMatchObject({ id: onB.comment.id, pinned: true });
  });

  it('refuses to pin a reply with 400', async () => {
    const { url, author, reader, pin } = await setup();
    const { comment } = await postComment(url, author.token, 'Root');
    const reply = await postComment(url, reader.token, 'Reply', { parentId: comment.id });
    const error = expectError(await pin(reply.comment.id, true), 400, 'validation_failed');
    expect(error.message).toBe('Only top-level comments can be pinned.');
    expect((await listComments(url)).comments.every((c) => !c.pinned)).toBe(true);
  });

  it('refuses to pin an unknown or removed comment with 404', async () => {
    const { url, author, pin, moderate } = await setup();
    expectError(await pin('999999', true), 404, 'comment_not_found');
    const { comment } = await postComment(url, author.token, 'Gone');
    await moderate(comment.id, { action: 'remove', reason: 'Spam' });
    expectError(await pin(comment.id, true), 404, 'comment_not_found');
  });

  it('unpins, live, and the thread goes back to its order', async () => {
    const { url, author, pin } = await setup();
    const a = await postComment(url, author.token, 'A');
    const b = await postComment(url, author.token, 'B');
    await pin(a.comment.id, true);
    const log = await follow(url);

    const res = expectOk(await pin(a.comment.id, false), 200, ModeratedComment);
    expect(res.comment.pinned).toBe(false);
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:updated', comment: { id: a.comment.id, pinned: false } });
    expect(ids(await listComments(url, { sort: 'newest' }))).toEqual([b.comment.id, a.comment.id]);
  });

  it('drops the pin when the pinned comment is removed, and records pin and unpin in the audit log', async () => {
    const { url, author, pin, moderate, audit } = await setup();
    const a = await postComment(url, author.token, 'A');
    const b = await postComment(url, author.token, 'B');
    await pin(a.comment.id, true);
    await pin(a.comment.id, false);
    await pin(b.comment.id, true);
    await moderate(b.comment.id, { action: 'remove', reason: 'Spam' });
    await moderate(b.comment.id, { action: 'restore' });
    expect((await listComments(url)).comments.map((c) => c.pinned)).toEqual([false, false]);
    expect((await audit()).entries.map((e) => e.action)).toEqual(['restore', 'remove', 'pin', 'unpin', 'pin']);
  });
});

describe('events when a comment brings its parent back', () => {
  it("announces the parent's placeholder before the approved reply, so clients can place it", async () => {
    const running = await startServer();
    const { url } = running;
    const alice = await signUp(url, 'Alice');
    const bob = await signUp(url, 'Bob');
    const mod = await signInModerator(running, 'Mo');
    await callRoute(url, 'updateSiteSettings', { token: mod.token, body: { site: 'default', bannedWords: ['darn'] } });
    const root = await postComment(url, alice.token, 'A root');
    const held = await postComment(url, bob.token, 'Darn good point', { parentId: root.comment.id });
    expect(held.comment.status).toBe('pending');
    // The root goes; its only reply is held, so nothing keeps a placeholder in place.
    await callRoute(url, 'deleteComment', { token: alice.token, params: { id: root.comment.id }, query: { site: 'default' } });
    expect((await listComments(url)).comments).toEqual([]);

    const socket = await connect(url);
    const log = new EventLog(socket);
    JoinPageReply.parse(await joinPage(socket, '/a'));
    await callRoute(url, 'moderateComment', { token: mod.token, params: { id: held.comment.id }, body: { site: 'default', action: 'approve' } });

    const events = await log.waitFor(2);
    expect(events.map((e) => [e.type, e.type === 'comment:created' ? [e.comment.id, e.comment.status] : null])).toEqual([
      ['comment:created', [root.comment.id, 'deleted']],
      ['comment:created', [held.comment.id, 'published']],
    ]);
    expect(events[1]!.seq).toBe(events[0]!.seq + 1);
  });
});
