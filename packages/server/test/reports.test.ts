import { afterEach, describe, expect, it } from 'vitest';
import { JoinPageReply, QueuePage, ReportResponse, SettingsResponse, limits, reportReasons } from '@parley/protocol';
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

/** A server with an author, three readers and a moderator of the default site. */
async function setup() {
  const running = await startServer();
  const { url } = running;
  const author = await signUp(url, 'Alice');
  const readers = [await signUp(url, 'Bob'), await signUp(url, 'Carol'), await signUp(url, 'Dave')];
  const moderator = await signInModerator(running, 'Mod');
  return { ...running, author, readers, moderator };
}

const report = (url: string, token: string | undefined, id: string, body: Record<string, unknown> = { reason: 'spam' }): Promise<ApiResponse> =>
  callRoute(url, 'reportComment', { token, params: { id }, body: { site: 'default', ...body } });

const queue = async (url: string, token: string, name: 'reported' | 'pending' | 'removed') =>
  expectOk(await callRoute(url, 'listModerationQueue', { token, query: { site: 'default', queue: name } }), 200, QueuePage);

/** A client following page `/a`. */
async function follow(url: string) {
  const socket = await connect(url);
  const log = new EventLog(socket);
  expect(JoinPageReply.parse(await joinPage(socket, '/a')).ok).toBe(true);
  return log;
}

describe('reportComment', () => {
  it('records a report with 201, echoing the reason and details', async () => {
    const { url, author, readers } = await setup();
    const { comment } = await postComment(url, author.token, 'Buy cheap watches');
    const res = await report(url, readers[0]!.token, comment.id, { reason: 'spam', details: '  Link farm.  ' });
    const { report: saved } = expectOk(res, 201, ReportResponse);
    expect(saved).toMatchObject({ commentId: comment.id, reason: 'spam', details: 'Link farm.' });
  });

  it('accepts every reason of the report dialog', async () => {
    const { url, author, readers } = await setup();
    for (const reason of reportReasons) {
      const { comment } = await postComment(url, author.token, `About ${reason}`);
      expectOk(await report(url, readers[0]!.token, comment.id, { reason }), 201, ReportResponse);
    }
  });

  it('refuses a second report by the same reader with 409 already_reported, and counts it once', async () => {
    const { url, author, readers, moderator } = await setup();
    const { comment } = await postComment(url, author.token, 'Hello');
    expectOk(await report(url, readers[0]!.token, comment.id), 201, ReportResponse);
    const error = expectError(await report(url, readers[0]!.token, comment.id, { reason: 'harassment' }), 409, 'already_reported');
    expect(error.message).toBe('You already reported this comment.');
    const [item] = (await queue(url, moderator.token, 'reported')).items;
    expect(item?.reports).toEqual([{ reason: 'spam', count: 1 }]);
  });

  it('refuses reporting your own comment with 403', async () => {
    const { url, author } = await setup();
    const { comment } = await postComment(url, author.token, 'Mine');
    const error = expectError(await report(url, author.token, comment.id), 403, 'forbidden');
    expect(error.message).toBe("You can't report your own comment.");
  });

  it('refuses a signed-out report with 401', async () => {
    const { url, author } = await setup();
    const { comment } = await postComment(url, author.token, 'Hello');
    expectError(await report(url, undefined, comment.id), 401, 'unauthenticated');
  });

  it('answers 404 for an unknown comment, and for a comment of another site', async () => {
    const { url, server, author, readers } = await setup();
    expectError(await report(url, readers[0]!.token, '999999'), 404, 'comment_not_found');
    await server.store.ensureSite('other', 'other');
    const { comment } = await postComment(url, author.token, 'On the default site');
    expectError(await report(url, readers[0]!.token, comment.id, { site: 'other', reason: 'spam' }), 404, 'comment_not_found');
  });

  it('refuses an unknown or missing reason with 400 naming the field', async () => {
    const { url, author, readers } = await setup();
    const { comment } = await postComment(url, author.token, 'Hello');
    for (const body of [{ reason: 'boring' }, {}]) {
      const error = expectError(await report(url, readers[0]!.token, comment.id, body), 400, 'validation_failed');
      expect(Object.keys(error.fields ?? {})).toEqual(['reason']);
    }
  });

  it(`accepts details of ${limits.reportDetailsMax} characters and refuses one more with 400`, async () => {
    const { url, author, readers } = await setup();
    const { comment } = await postComment(url, author.token, 'Hello');
    const tooLong = expectError(
      await report(url, readers[0]!.token, comment.id, { reason: 'other', details: 'x'.repeat(limits.reportDetailsMax + 1) }),
      400,
      'validation_failed',
    );
    expect(tooLong.fields?.details).toBe(`Details must be at most ${limits.reportDetailsMax} characters.`);
    expectOk(
      await report(url, readers[0]!.token, comment.id, { reason: 'other', details: 'x'.repeat(limits.reportDetailsMax) }),
      201,
      ReportResponse,
    );
  });
});

describe('the report threshold', () => {
  it('hides a comment from readers once three distinct readers report it, live', async () => {
    const { url, author, readers } = await setup();
    const keep = await postComment(url, author.token, 'Harmless');
    const { comment } = await postComment(url, author.token, 'Offensive');
    const log = await follow(url);

    await report(url, readers[0]!.token, comment.id, { reason: 'harassment' });
    await report(url, readers[1]!.token, comment.id, { reason: 'harassment' });
    expect((await listComments(url)).comments.map((c) => c.id)).toContain(comment.id);

    expectOk(await report(url, readers[2]!.token, comment.id, { reason: 'spam' }), 201, ReportResponse);
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:deleted', id: comment.id, mode: 'removed', count: 1 });

    const forReaders = await listComments(url);
    expect(forReaders.comments.map((c) => c.id)).toEqual([keep.comment.id]);
    expect(forReaders.count).toBe(1);
    const forAnotherReader = await listComments(url, { token: readers[0]!.token });
    expect(forAnotherReader.comments.map((c) => c.id)).toEqual([keep.comment.id]);
    expectError(await callRoute(url, 'getComment', { params: { id: comment.id }, query: { site: 'default' } }), 404, 'comment_not_found');
  });

  it('still shows the hidden comment to its author, marked pending', async () => {
    const { url, author, readers } = await setup();
    const { comment } = await postComment(url, author.token, 'Offensive');
    for (const reader of readers) await report(url, reader.token, comment.id);

    const forAuthor = await listComments(url, { token: author.token });
    expect(forAuthor.comments).toEqual([
      expect.objectContaining({ id: comment.id, status: 'pending', author: { id: author.user.id, name: 'Alice' }, html: '<p>Offensive</p>' }),
    ]);
  });

  it('keeps a reported comment that has replies as a pending placeholder without author or body', async () => {
    const { url, author, readers } = await setup();
    const { comment } = await postComment(url, author.token, 'Offensive');
    const reply = await postComment(url, readers[0]!.token, 'I disagree', { parentId: comment.id });
    const log = await follow(url);

    for (const reader of readers) await report(url, reader.token, comment.id);
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({
      type: 'comment:updated',
      comment: { id: comment.id, status: 'pending', author: null, html: '' },
    });

    const thread = await listComments(url);
    expect(thread.comments.map((c) => [c.id, c.status])).toEqual([
      [comment.id, 'pending'],
      [reply.comment.id, 'published'],
    ]);
    expect(thread.comments[0]).toMatchObject({ author: null, html: '' });
    expect(JSON.stringify(thread)).not.toContain('Offensive');
    // Its author still reads it.
    const mine = await listComments(url, { token: author.token });
    expect(mine.comments[0]).toMatchObject({ id: comment.id, status: 'pending', html: '<p>Offensive</p>' });
  });

  it('follows a threshold changed in the site settings', async () => {
    const { url, author, readers, moderator } = await setup();
    const settings = await callRoute(url, 'updateSiteSettings', { token: moderator.token, body: { site: 'default', reportThreshold: 1 } });
    expect(expectOk(settings, 200, SettingsResponse).settings.reportThreshold).toBe(1);
    const { comment } = await postComment(url, author.token, 'Offensive');
    const log = await follow(url);

    await report(url, readers[0]!.token, comment.id);
    const [event] = await log.waitFor(1);
    expect(event).toMatchObject({ type: 'comment:deleted', id: comment.id });
    expect((await listComments(url)).comments).toEqual([]);

    // A higher threshold leaves a comment up after three reports.
    await callRoute(url, 'updateSiteSettings', { token: moderator.token, body: { site: 'default', reportThreshold: 4 } });
    const other = await postComment(url, author.token, 'Another');
    for (const reader of readers) await report(url, reader.token, other.comment.id);
    expect((await listComments(url)).comments.map((c) => c.id)).toEqual([other.comment.id]);
  });

  it("queues a reported comment for moderators with each reason's count, the details and why it is held", async () => {
    const { url, author, readers, moderator } = await setup();
    const { comment } = await postComment(url, author.token, 'Offensive', { page: '/a' });
    await report(url, readers[0]!.token, comment.id, { reason: 'harassment', details: 'Insults a reader.' });

    // Below the threshold it is reported, not pending.
    const early = await queue(url, moderator.token, 'reported');
    expect(early.items.map((i) => i.comment.id)).toEqual([comment.id]);
    expect(early.items[0]?.heldReason).toBeNull();
    expect((await queue(url, moderator.token, 'pending')).items).toEqual([]);

    await report(url, readers[1]!.token, comment.id, { reason: 'harassment' });
    await report(url, readers[2]!.token, comment.id, { reason: 'spam', details: 'Also an ad.' });

    const reported = await queue(url, moderator.token, 'reported');
    expect(reported.items).toHaveLength(1);
    const item = reported.items[0]!;
    expect(item.comment).toMatchObject({ id: comment.id, html: '<p>Offensive</p>', status: 'pending', author: { id: author.user.id, name: 'Alice' } });
    expect(item.author).toEqual({ id: author.user.id, name: 'Alice', ban: null });
    expect(item.page).toMatchObject({ key: '/a' });
    expect(item.heldReason).toBe('Reported by 3 readers');
    expect(item.reports).toEqual([
      { reason: 'harassment', count: 2 },
      { reason: 'spam', count: 1 },
    ]);
    expect(item.reportDetails.map((d) => [d.reason, d.details])).toEqual([
      ['spam', 'Also an ad.'],
      ['harassment', 'Insults a reader.'],
    ]);

    const pending = await queue(url, moderator.token, 'pending');
    expect(pending.items.map((i) => [i.comment.id, i.heldReason])).toEqual([[comment.id, 'Reported by 3 readers']]);
  });

  it('refuses reports on a comment already held for review', async () => {
    const { url, author, readers } = await setup();
    const fourth = await signUp(url, 'Erin');
    const { comment } = await postComment(url, author.token, 'Offensive');
    for (const reader of readers) await report(url, reader.token, comment.id);
    expectError(await report(url, fourth.token, comment.id), 404, 'comment_not_found');
  });
});
