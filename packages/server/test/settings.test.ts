import { afterEach, describe, expect, it } from 'vitest';
import { AuditPage, CommentResponse, JoinPageReply, QueuePage, SettingsResponse, type SiteSettings } from '@parley/protocol';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import {
  EventLog,
  callRoute,
  cleanup,
  connect,
  expectError,
  expectOk,
  joinPage,
  listComments,
  onCleanup,
  postComment,
  signInModerator,
  signUp,
  startServer,
  type ApiResponse,
  type RunningServer,
} from './helpers.js';

afterEach(cleanup);

async function setupOn(running: RunningServer) {
  const { url } = running;
  const alice = await signUp(url, 'Alice');
  const bob = await signUp(url, 'Bob');
  const moderator = await signInModerator(running, 'Mod');
  const update = (changes: Partial<SiteSettings> | Record<string, unknown>): Promise<ApiResponse> =>
    callRoute(url, 'updateSiteSettings', { token: moderator.token, body: { site: 'default', ...changes } });
  const settings = async () =>
    expectOk(await callRoute(url, 'getSiteSettings', { token: moderator.token, query: { site: 'default' } }), 200, SettingsResponse).settings;
  const queue = async (name: 'reported' | 'pending' | 'removed') =>
    expectOk(await callRoute(url, 'listModerationQueue', { token: moderator.token, query: { site: 'default', queue: name } }), 200, QueuePage);
  const approve = (id: string) =>
    callRoute(url, 'moderateComment', { token: moderator.token, params: { id }, body: { site: 'default', action: 'approve' } });
  return { ...running, alice, bob, moderator, update, settings, queue, approve };
}

const setup = async () => setupOn(await startServer());

const create = (url: string, token: string, body: string, extra: Record<string, unknown> = {}): Promise<ApiResponse> =>
  callRoute(url, 'createComment', { token, body: { site: 'default', page: '/a', body, ...extra } });

const edit = (url: string, token: string, id: string, body: string): Promise<ApiResponse> =>
  callRoute(url, 'updateComment', { token, params: { id }, query: { site: 'default' }, body: { body } });

async function follow(url: string, page = '/a') {
  const socket = await connect(url);
  const log = new EventLog(socket);
  expect(JoinPageReply.parse(await joinPage(socket, page)).ok).toBe(true);
  return log;
}

const ids = (thread: { comments: { id: string }[] }) => thread.comments.map((c) => c.id);

describe('getSiteSettings and updateSiteSettings', () => {
  it('starts from the defaults', async () => {
    const { settings } = await setup();
    expect(await settings()).toEqual({ premoderation: 'off', reportThreshold: 3, bannedWords: [], editWindowMinutes: 0, lockedPages: [] });
  });

  it('changes only the fields sent, and keeps them', async () => {
    const { update, settings } = await setup();
    const first = expectOk(await update({ reportThreshold: 5 }), 200, SettingsResponse);
    expect(first.settings).toEqual({ premoderation: 'off', reportThreshold: 5, bannedWords: [], editWindowMinutes: 0, lockedPages: [] });
    await update({ bannedWords: [' spam ', 'scam', 'scam'], editWindowMinutes: 15 });
    await update({ premoderation: 'new' });
    expect(await settings()).toEqual({
      premoderation: 'new',
      reportThreshold: 5,
      bannedWords: ['spam', 'scam'],
      editWindowMinutes: 15,
      lockedPages: [],
    });
  });

  it.each([
    [{ reportThreshold: 0 }, 'reportThreshold'],
    [{ reportThreshold: 1.5 }, 'reportThreshold'],
    [{ premoderation: 'sometimes' }, 'premoderation'],
    [{ bannedWords: ['  '] }, 'bannedWords.0'],
    [{ bannedWords: 'spam' }, 'bannedWords'],
    [{ editWindowMinutes: -1 }, 'editWindowMinutes'],
    [{ lockedPages: [''] }, 'lockedPages.0'],
  ])('refuses %j with 400 naming the field, and changes nothing', async (changes, field) => {
    const { update, settings } = await setup();
    const error = expectError(await update(changes), 400, 'validation_failed');
    expect(Object.keys(error.fields ?? {})).toEqual([field]);
    expect(await settings()).toEqual({ premoderation: 'off', reportThreshold: 3, bannedWords: [], editWindowMinutes: 0, lockedPages: [] });
  });

  it('records each change in the audit log', async () => {
    const { url, moderator, update } = await setup();
    await update({ reportThreshold: 2, bannedWords: ['spam'] });
    await update({ lockedPages: ['/a'] });
    await update({ lockedPages: [] });
    const audit = expectOk(await callRoute(url, 'listAuditLog', { token: moderator.token, query: { site: 'default' } }), 200, AuditPage);
    expect(audit.entries.map(({ action, targetType, targetLabel }) => [action, targetType, targetLabel])).toEqual([
      ['unlock', 'page', '/a'],
      ['lock', 'page', '/a'],
      ['settings', 'site', 'Changed reportThreshold, bannedWords'],
    ]);
    expect(audit.entries.every((e) => e.actor?.id === moderator.user.id)).toBe(true);
  });
});

describe('banned words', () => {
  it('holds a comment containing one as pending, seen only by its author', async () => {
    const { url, alice, bob, update } = await setup();
    await update({ bannedWords: ['scam'] });
    const res = expectOk(await create(url, alice.token, 'This is a SCAM!'), 201, CommentResponse);
    expect(res.comment).toMatchObject({ status: 'pending', html: '<p>This is a SCAM!</p>', author: { name: 'Alice' } });
    expect(res.count).toBe(0);

    expect((await listComments(url)).comments).toEqual([]);
    expect((await listComments(url, { token: bob.token })).comments).toEqual([]);
    expect((await listComments(url, { token: alice.token })).comments).toEqual([
      expect.objectContaining({ id: res.comment.id, status: 'pending', html: '<p>This is a SCAM!</p>' }),
    ]);
    expectError(await callRoute(url, 'getComment', { params: { id: res.comment.id }, query: { site: 'default' }, token: bob.token }), 404, 'comment_not_found');
  });

  it('sends nothing to the page while the comment is held', async () => {
    const { url, alice, update } = await setup();
    await update({ bannedWords: ['scam'] });
    const log = await follow(url);
    await create(url, alice.token, 'scam');
    const fine = await postComment(url, alice.token, 'Fine');
    // Events arrive in order: had the held one been sent, it would come first.
    const [first] = await log.waitFor(1);
    expect(first).toMatchObject({ type: 'comment:created', comment: { id: fine.comment.id } });
  });

  it('lists it in the pending queue with the word that held it', async () => {
    const { url, alice, update, queue } = await setup();
    await update({ bannedWords: ['Scam', 'fraud'] });
    const { comment } = expectOk(await create(url, alice.token, 'what a scam'), 201, CommentResponse);
    const pending = await queue('pending');
    expect(pending.items).toHaveLength(1);
    expect(pending.items[0]).toMatchObject({
      comment: { id: comment.id, html: '<p>what a scam</p>', status: 'pending' },
      author: { id: alice.user.id, name: 'Alice', ban: null },
      page: { key: '/a' },
      heldReason: 'Banned word: Scam',
      reports: [],
    });
    expect((await queue('reported')).items).toEqual([]);
  });

  it('matches whole words in any case, not parts of longer words', async () => {
    const { url, alice, update } = await setup();
    await update({ bannedWords: ['spam'] });
    const statuses: Record<string, string> = {};
    for (const body of ['spam', 'Spam.', 'pure SPAM here', '**spam**', 'spammer', 'antispam', 'spam_bot', 'spam2']) {
      statuses[body] = expectOk(await create(url, alice.token, body), 201, CommentResponse).comment.status;
    }
    expect(statuses).toEqual({
      spam: 'pending',
      'Spam.': 'pending',
      'pure SPAM here': 'pending',
      '**spam**': 'pending',
      spammer: 'published',
      antispam: 'published',
      spam_bot: 'published',
      spam2: 'published',
    });
  });

  it('holds an edit that adds a banned word, taking the comment out of the thread', async () => {
    const { url, alice, update, queue } = await setup();
    const { comment } = await postComment(url, alice.token, 'Nice');
    await update({ bannedWords: ['scam'] });
    const log = await follow(url);
    const res = expectOk(await edit(url, alice.token, comment.id, 'Nice scam'), 200, CommentResponse);
    expect(res.comment.status).toBe('pending');
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:deleted', id: comment.id, mode: 'removed' });
    expect((await queue('pending')).items.map((i) => i.heldReason)).toEqual(['Banned word: scam']);
  });

  it('releases a held comment live when a moderator approves it', async () => {
    const { url, alice, update, approve, queue } = await setup();
    await update({ bannedWords: ['scam'] });
    const { comment } = expectOk(await create(url, alice.token, 'Not a scam, honest'), 201, CommentResponse);
    const log = await follow(url);

    await approve(comment.id);
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({
      type: 'comment:created',
      count: 1,
      comment: { id: comment.id, status: 'published', html: '<p>Not a scam, honest</p>', author: { name: 'Alice' } },
    });
    expect(ids(await listComments(url))).toEqual([comment.id]);
    expect((await queue('pending')).items).toEqual([]);
  });
});

describe('pre-moderation', () => {
  it('"all" holds everyone\'s comments, also from commenters approved before', async () => {
    const { url, alice, bob, update, moderator } = await setup();
    await postComment(url, alice.token, 'Before');
    await update({ premoderation: 'all' });
    for (const token of [alice.token, bob.token, moderator.token]) {
      expect(expectOk(await create(url, token, 'During'), 201, CommentResponse).comment.status).toBe('pending');
    }
    expect((await listComments(url)).comments.map((c) => c.html)).toEqual(['<p>Before</p>']);
  });

  it('"all" holds replies too', async () => {
    const { url, alice, bob, update, queue } = await setup();
    const root = await postComment(url, alice.token, 'Root');
    await update({ premoderation: 'all' });
    const reply = expectOk(await create(url, bob.token, 'Reply', { parentId: root.comment.id }), 201, CommentResponse);
    expect(reply.comment.status).toBe('pending');
    expect((await queue('pending')).items.map((i) => [i.comment.id, i.heldReason])).toEqual([[reply.comment.id, 'Pre-moderation: everyone']]);
  });

  it('"new" holds a commenter\'s comments until one of theirs is approved', async () => {
    const { url, alice, update, approve, queue } = await setup();
    await update({ premoderation: 'new' });
    const first = expectOk(await create(url, alice.token, 'Hello, I am new'), 201, CommentResponse);
    const second = expectOk(await create(url, alice.token, 'Still new'), 201, CommentResponse);
    expect([first.comment.status, second.comment.status]).toEqual(['pending', 'pending']);
    expect((await queue('pending')).items.map((i) => i.heldReason)).toEqual(['Pre-moderation: new commenter', 'Pre-moderation: new commenter']);

    await approve(first.comment.id);
    const third = expectOk(await create(url, alice.token, 'Trusted now'), 201, CommentResponse);
    expect(third.comment.status).toBe('published');
    // The second stays held until a moderator decides.
    expect((await queue('pending')).items.map((i) => i.comment.id)).toEqual([second.comment.id]);
  });

  it('"new" lets through a commenter who already has a published comment', async () => {
    const { url, alice, bob, update } = await setup();
    await postComment(url, alice.token, 'From before');
    await update({ premoderation: 'new' });
    expect(expectOk(await create(url, alice.token, 'Again'), 201, CommentResponse).comment.status).toBe('published');
    expect(expectOk(await create(url, bob.token, 'First time'), 201, CommentResponse).comment.status).toBe('pending');
  });

  it('"off" again publishes at once', async () => {
    const { url, alice, update } = await setup();
    await update({ premoderation: 'all' });
    await update({ premoderation: 'off' });
    expect(expectOk(await create(url, alice.token, 'Live'), 201, CommentResponse).comment.status).toBe('published');
  });
});

/**
 * A store whose comments are created `ageMs` earlier than the server's clock
 * says, so a test can hold a comment that was posted a while ago without
 * waiting.
 */
function backdatingStore(): { store: Store; age: { ms: number } } {
  const real = openSqliteStore(':memory:', { eventRetention: 1000 });
  onCleanup(() => real.close());
  const age = { ms: 0 };
  const store: Store = {
    ...real,
    createComment: (input) => real.createComment({ ...input, now: new Date(Date.parse(input.now) - age.ms).toISOString() }),
  };
  return { store, age };
}

describe('the edit window', () => {
  it('lets authors edit within the window', async () => {
    const { store, age } = backdatingStore();
    const { url, alice, update } = await setupOn(await startServer({}, { store }));
    await update({ editWindowMinutes: 1 });
    age.ms = 50_000;
    const { comment } = await postComment(url, alice.token, 'Typo');
    const res = expectOk(await edit(url, alice.token, comment.id, 'Fixed'), 200, CommentResponse);
    expect(res.comment.html).toBe('<p>Fixed</p>');
  });

  it('refuses an edit after the window with 403 edit_window_closed, and keeps the text', async () => {
    const { store, age } = backdatingStore();
    const { url, alice, update } = await setupOn(await startServer({}, { store }));
    await update({ editWindowMinutes: 1 });
    age.ms = 61_000;
    const { comment } = await postComment(url, alice.token, 'Too late');
    const error = expectError(await edit(url, alice.token, comment.id, 'Changed'), 403, 'edit_window_closed');
    expect(error.message).toBe('Comments can be edited for 1 minute after posting.');
    expect((await listComments(url)).comments[0]?.html).toBe('<p>Too late</p>');
    // Deleting is still allowed.
    expect((await callRoute(url, 'deleteComment', { token: alice.token, params: { id: comment.id }, query: { site: 'default' } })).status).toBe(200);
  });

  it('has no limit at 0', async () => {
    const { store, age } = backdatingStore();
    const { url, alice } = await setupOn(await startServer({}, { store }));
    age.ms = 365 * 86_400_000;
    const { comment } = await postComment(url, alice.token, 'Old');
    expectOk(await edit(url, alice.token, comment.id, 'Still editable'), 200, CommentResponse);
  });
});

describe('locked pages', () => {
  it('refuses new comments and replies on a locked page with 403 page_locked', async () => {
    const { url, alice, bob, update } = await setup();
    const root = await postComment(url, alice.token, 'Before the lock');
    expectOk(await update({ lockedPages: ['/a'] }), 200, SettingsResponse);
    const error = expectError(await create(url, bob.token, 'Too late'), 403, 'page_locked');
    expect(error.message).toBe('Comments are closed.');
    expectError(await create(url, bob.token, 'Reply', { parentId: root.comment.id }), 403, 'page_locked');
    // Other pages stay open.
    expectOk(await create(url, bob.token, 'Elsewhere', { page: '/b' }), 201, CommentResponse);
  });

  it('tells readers the page is closed, in the thread and live to that page only', async () => {
    const { url, update } = await setup();
    const onA = await follow(url, '/a');
    const onB = await follow(url, '/b');
    await update({ lockedPages: ['/a'] });
    const [event] = await onA.waitFor(1);
    expect(event).toMatchObject({ type: 'page:updated', site: 'default', page: '/a', locked: true, count: 0 });
    expect((await listComments(url, { page: '/a' })).locked).toBe(true);
    expect((await listComments(url, { page: '/b' })).locked).toBe(false);

    // Page /b hears only its own change.
    await update({ lockedPages: ['/a', '/b'] });
    expect(await onB.waitFor(1)).toEqual([expect.objectContaining({ type: 'page:updated', page: '/b', locked: true })]);
  });

  it('reopens a page when unlocked, live', async () => {
    const { url, bob, update, settings } = await setup();
    await update({ lockedPages: ['/a'] });
    const log = await follow(url, '/a');
    await update({ lockedPages: [] });
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'page:updated', page: '/a', locked: false });
    expect((await listComments(url)).locked).toBe(false);
    expect((await settings()).lockedPages).toEqual([]);
    expectOk(await create(url, bob.token, 'Open again'), 201, CommentResponse);
  });

  it('lists locked pages in the settings, and sends no event for a page whose lock did not change', async () => {
    const { url, update, settings } = await setup();
    await update({ lockedPages: ['/a'] });
    const log = await follow(url, '/a');
    await update({ lockedPages: ['/a', '/b'] });
    await update({ lockedPages: ['/b'] });
    expect((await settings()).lockedPages).toEqual(['/b']);
    // Only the unlock of /a reaches /a.
    expect(await log.waitFor(1)).toEqual([expect.objectContaining({ type: 'page:updated', page: '/a', locked: false })]);
  });
});
