import { expect, waitUntil } from '@open-wc/testing';
import type { Sort } from '@parley/protocol';
import { FakeApi } from '../test-support/fake-api.js';
import { SessionState } from './session-state.js';
import { ThreadState } from './thread-state.js';
import { pinComment, postComment } from './thread-writes.js';
import { locateComment } from './permalinks.js';
import { blockUser } from './session-actions.js';

const sessions: SessionState[] = [];

/**
 * A session, detached after the test: a session left listening would follow
 * the next test's sign-ins with a fake that does not know their tokens.
 */
function sessionOf(api: FakeApi): SessionState {
  const session = new SessionState(api, 'default');
  sessions.push(session);
  return session;
}

afterEach(() => {
  for (const session of sessions.splice(0)) session.detach();
});

async function loadedThread(api: FakeApi, sort: Sort = 'oldest'): Promise<ThreadState> {
  const thread = new ThreadState({ api, session: sessionOf(api), site: 'default', page: '/p', sort });
  await thread.load();
  return thread;
}

const ids = (comments: { id: string }[]) => comments.map((c) => c.id);

describe('ThreadState', () => {
  let api: FakeApi;
  let ada: ReturnType<FakeApi['addUser']>;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
  });

  it('takes comments, count and seq from the first page', async () => {
    const first = api.addComment({ author: ada });
    const reply = api.addComment({ author: ada, parentId: first.id });
    const second = api.addComment({ author: ada });

    const thread = await loadedThread(api);

    expect(thread.status).to.equal('ready');
    expect(ids(thread.roots)).to.deep.equal([first.id, second.id]);
    expect(ids(thread.repliesOf(first.id))).to.deep.equal([reply.id]);
    expect(thread.count).to.equal(3);
    expect(thread.seq).to.equal(api.seq);
  });

  it('applies live events in seq order even when they arrive out of order', async () => {
    const thread = await loadedThread(api);
    const one = api.publish({ author: ada, body: 'one' });
    const two = api.publish({ author: ada, body: 'two' });
    const three = api.publish({ author: ada, body: 'three' });

    thread.apply(three);
    thread.apply(two);
    expect(thread.roots, 'waits for the gap to fill').to.be.empty;
    expect(thread.seq).to.equal(0);

    thread.apply(one);
    expect(thread.roots.map((c) => c.html)).to.deep.equal(['<p>one</p>', '<p>two</p>', '<p>three</p>']);
    expect(thread.seq).to.equal(three.seq);
    expect(thread.count).to.equal(3);
  });

  it('drops an event it has already applied', async () => {
    const thread = await loadedThread(api);
    const created = api.publish({ author: ada });

    thread.apply(created);
    thread.apply(created);

    expect(thread.roots).to.have.length(1);
    expect(thread.seq).to.equal(created.seq);
  });

  it('ignores a stale update older than what it loaded', async () => {
    const comment = api.addComment({ author: ada, body: 'before' });
    const staleSeq = api.seq;
    const thread = await loadedThread(api);

    thread.apply({ type: 'comment:updated', site: 'default', page: '/p', seq: staleSeq, count: 1, comment: { ...comment, html: '<p>stale</p>' } });

    expect(thread.get(comment.id)?.html).to.equal('<p>before</p>');
  });

  it('keeps a deleted comment with replies as a tombstone without author or body', async () => {
    const parent = api.addComment({ author: ada });
    const reply = api.addComment({ author: ada, parentId: parent.id });
    const thread = await loadedThread(api);

    thread.apply(api.removeElsewhere(parent.id));

    const tombstone = thread.get(parent.id);
    expect(tombstone?.status).to.equal('deleted');
    expect(tombstone?.author).to.equal(null);
    expect(tombstone?.html).to.equal('');
    expect(ids(thread.roots)).to.deep.equal([parent.id]);
    expect(ids(thread.repliesOf(parent.id))).to.deep.equal([reply.id]);
    expect(thread.count).to.equal(1);
  });

  it('takes a removed comment out of the thread', async () => {
    const parent = api.addComment({ author: ada });
    const reply = api.addComment({ author: ada, parentId: parent.id });
    const thread = await loadedThread(api);

    thread.apply(api.removeElsewhere(reply.id));

    expect(thread.get(reply.id)).to.equal(undefined);
    expect(thread.repliesOf(parent.id)).to.be.empty;
    expect(thread.count).to.equal(1);
  });

  it('puts a new top-level comment last when sorted oldest first', async () => {
    const old = api.addComment({ author: ada });
    const thread = await loadedThread(api, 'oldest');

    const created = api.publish({ author: ada });
    thread.apply(created);

    expect(ids(thread.roots)).to.deep.equal([old.id, created.comment.id]);
  });

  it('puts a new top-level comment first when sorted newest first', async () => {
    const old = api.addComment({ author: ada });
    const thread = await loadedThread(api, 'newest');

    const created = api.publish({ author: ada });
    thread.apply(created);

    expect(ids(thread.roots)).to.deep.equal([created.comment.id, old.id]);
  });

  it('keeps replies oldest first whatever the sort', async () => {
    const parent = api.addComment({ author: ada });
    const earlier = api.addComment({ author: ada, parentId: parent.id });
    const thread = await loadedThread(api, 'newest');

    const later = api.publish({ author: ada, parentId: parent.id });
    thread.apply(later);

    expect(ids(thread.repliesOf(parent.id))).to.deep.equal([earlier.id, later.comment.id]);
  });

  it('skips a reply whose parent is not loaded but still moves seq and count on', async () => {
    api.addComment({ author: ada });
    const unloaded = api.addComment({ author: ada });
    const thread = new ThreadState({ api, session: sessionOf(api), site: 'default', page: '/p', sort: 'oldest', pageSize: 1 });
    await thread.load();
    expect(thread.get(unloaded.id), 'on the second page').to.equal(undefined);

    const reply = api.publish({ author: ada, parentId: unloaded.id });
    thread.apply(reply);

    expect(thread.get(reply.comment.id)).to.equal(undefined);
    expect(thread.seq).to.equal(reply.seq);
    expect(thread.count).to.equal(3);
  });

  it('marks comments from others as fresh, but not the reader’s own', async () => {
    const grace = api.addUser({ name: 'Grace', email: 'grace@example.com' });
    api.seedSession(ada);
    const thread = await loadedThread(api);

    const mine = api.publish({ author: ada });
    const theirs = api.publish({ author: grace });
    thread.apply(mine);
    thread.apply(theirs);

    expect(thread.isFresh(mine.comment.id)).to.equal(false);
    expect(thread.isFresh(theirs.comment.id)).to.equal(true);
  });
});

describe('ThreadState: moderation and the reader’s own view', () => {
  let api: FakeApi;
  let ada: ReturnType<FakeApi['addUser']>;
  let grace: ReturnType<FakeApi['addUser']>;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
    grace = api.addUser({ name: 'Grace', email: 'grace@example.com' });
  });

  function threadFor(options: { pageSize?: number } = {}): ThreadState {
    return new ThreadState({ api, session: sessionOf(api), site: 'default', page: '/p', sort: 'oldest', ...options });
  }

  describe('upsert', () => {
    it('replaces a comment it already shows when comment:created arrives for it (an approval)', async () => {
      api.seedSession(ada);
      api.premoderate();
      const thread = threadFor();
      await thread.load();
      const held = await postComment(thread, 'Held for review', null);
      expect(held.status).to.equal('pending');

      thread.apply(api.approveElsewhere(held.id));

      expect(ids(thread.roots)).to.deep.equal([held.id]);
      expect(thread.get(held.id)?.status).to.equal('published');
      expect(thread.isFresh(held.id), 'not news to its author').to.equal(false);
    });

    it('adds an approved comment it did not show, marked fresh', async () => {
      const held = api.addComment({ author: grace, status: 'pending' });
      const thread = threadFor();
      await thread.load();
      expect(thread.roots, 'others do not see a held comment').to.be.empty;

      thread.apply(api.approveElsewhere(held.id));

      expect(ids(thread.roots)).to.deep.equal([held.id]);
      expect(thread.isFresh(held.id)).to.equal(true);
    });

    it('brings a restored comment back in place of its "removed" placeholder', async () => {
      const parent = api.addComment({ author: grace, body: 'Back again' });
      api.addComment({ author: ada, parentId: parent.id });
      const thread = threadFor();
      await thread.load();

      thread.apply(api.removeByModerator(parent.id));
      expect(thread.get(parent.id)).to.include({ status: 'removed', author: null, html: '' });

      thread.apply(api.approveElsewhere(parent.id));
      expect(thread.get(parent.id)).to.include({ status: 'published', html: '<p>Back again</p>' });
      expect(thread.roots).to.have.length(1);
    });

    it('keeps showing the reader their own comment when it is held by reports', async () => {
      const mine = api.addComment({ author: ada, body: 'Mine' });
      api.addComment({ author: grace, parentId: mine.id });
      api.seedSession(ada);
      const thread = threadFor();
      await thread.load();

      thread.apply(api.holdByReports(mine.id));

      expect(thread.get(mine.id)).to.deep.include({ status: 'pending', html: '<p>Mine</p>', author: { id: ada.id, name: 'Ada' } });
    });
  });

  describe('pinned comments', () => {
    it('lists the pinned top-level comment first, whatever the order', async () => {
      const first = api.addComment({ author: ada });
      const pinned = api.addComment({ author: ada, pinned: true });
      const third = api.addComment({ author: ada });
      const thread = threadFor();
      await thread.load();

      expect(ids(thread.roots)).to.deep.equal([pinned.id, first.id, third.id]);
    });

    it('moves comments as pins change live, one pinned at a time', async () => {
      const first = api.addComment({ author: ada });
      const second = api.addComment({ author: ada });
      const thread = threadFor();
      await thread.load();

      for (const event of api.pinElsewhere(second.id, true)) thread.apply(event);
      expect(ids(thread.roots)).to.deep.equal([second.id, first.id]);

      const events = api.pinElsewhere(first.id, true);
      expect(events.map((e) => [e.comment.id, e.comment.pinned]), 'two updates').to.deep.equal([
        [second.id, false],
        [first.id, true],
      ]);
      for (const event of events) thread.apply(event);
      expect(ids(thread.roots)).to.deep.equal([first.id, second.id]);
      expect(thread.roots.filter((c) => c.pinned)).to.have.length(1);

      for (const event of api.pinElsewhere(first.id, false)) thread.apply(event);
      expect(ids(thread.roots)).to.deep.equal([first.id, second.id]);
      expect(thread.roots.some((c) => c.pinned)).to.equal(false);
    });

    it('pins with pinComment and unpins the other at once, before its event arrives', async () => {
      const moderator = api.addUser({ name: 'Mo', email: 'mo@example.com', role: 'moderator' });
      api.seedSession(moderator);
      const first = api.addComment({ author: ada, pinned: true });
      const second = api.addComment({ author: ada });
      const thread = threadFor();
      await thread.load();

      await pinComment(thread, second.id, true);

      expect(api.callsTo('pinComment').map((c) => [c.params.id, c.body.pinned])).to.deep.equal([[second.id, true]]);
      expect(ids(thread.roots)).to.deep.equal([second.id, first.id]);
      expect(thread.get(first.id)?.pinned).to.equal(false);
    });
  });

  describe('blocked users', () => {
    it('collapses comments of a user the reader blocked until the reader shows one', async () => {
      api.seedSession(ada);
      const theirs = api.addComment({ author: grace });
      const reply = api.addComment({ author: grace, parentId: theirs.id });
      const mine = api.addComment({ author: ada, parentId: theirs.id });
      const session = sessionOf(api);
      const thread = new ThreadState({ api, session, site: 'default', page: '/p', sort: 'oldest' });
      await thread.load();
      expect(thread.blockedAuthor(thread.get(theirs.id)!)).to.equal(null);

      await blockUser(session, { id: grace.id, name: 'Grace' });

      expect(thread.blockedAuthor(thread.get(theirs.id)!)).to.deep.equal({ id: grace.id, name: 'Grace' });
      expect(thread.blockedAuthor(thread.get(reply.id)!)).to.deep.equal({ id: grace.id, name: 'Grace' });
      expect(thread.blockedAuthor(thread.get(mine.id)!)).to.equal(null);

      thread.reveal(theirs.id);
      expect(thread.blockedAuthor(thread.get(theirs.id)!), 'shown on request').to.equal(null);
      expect(thread.blockedAuthor(thread.get(reply.id)!), 'only that one').to.not.equal(null);

      const live = api.publish({ author: grace });
      thread.apply(live);
      expect(thread.blockedAuthor(thread.get(live.comment.id)!), 'also comments arriving live').to.not.equal(null);
    });

    it('loads the blocked users with the thread, so blocked comments never show first', async () => {
      api.seedSession(ada);
      await blockUser(sessionOf(api), { id: grace.id, name: 'Grace' });
      const theirs = api.addComment({ author: grace });
      const thread = threadFor();

      await thread.load();

      expect(api.callsTo('listBlockedUsers')).to.have.length(1);
      expect(thread.blockedAuthor(thread.get(theirs.id)!)).to.not.equal(null);
    });
  });

  describe('locked pages', () => {
    it('takes locked from the thread and from page:updated events', async () => {
      api.lockElsewhere(true);
      const thread = threadFor();
      await thread.load();
      expect(thread.locked).to.equal(true);

      thread.apply(api.lockElsewhere(false));
      expect(thread.locked).to.equal(false);

      thread.apply(api.lockElsewhere(true));
      expect(thread.locked).to.equal(true);
    });

    it('learns that the page is locked from a refused post', async () => {
      api.seedSession(ada);
      const thread = threadFor();
      await thread.load();
      api.lockElsewhere(true);

      let refusal: unknown;
      await postComment(thread, 'Too late', null).catch((error: unknown) => (refusal = error));

      expect((refusal as { code?: string }).code).to.equal('page_locked');
      expect(thread.locked).to.equal(true);
    });
  });

  it('asks for the thread with the reader’s token, which adds their own held comments', async () => {
    const token = api.seedSession(ada);
    const mine = api.addComment({ author: ada, status: 'pending' });
    api.addComment({ author: grace, status: 'pending' });
    const thread = threadFor();

    await thread.load();

    expect(api.callsTo('listComments')[0]?.token).to.equal(token);
    expect(ids(thread.roots)).to.deep.equal([mine.id]);
  });

  it('refreshes the reader’s profile when a write is refused because they are banned', async () => {
    api.seedSession(ada);
    const session = sessionOf(api);
    const thread = new ThreadState({ api, session, site: 'default', page: '/p', sort: 'oldest' });
    await thread.load();
    api.ban(ada.id, { reason: 'Spam', expiresAt: null });

    await postComment(thread, 'Hello', null).catch(() => undefined);
    await waitUntil(() => session.ban !== null, 'the ban should come with the refreshed profile');

    expect(session.ban).to.deep.equal({ reason: 'Spam', expiresAt: null });
  });

  describe('locate (permalinks)', () => {
    it('loads pages until the comment is there, then makes it the highlighted target', async () => {
      for (let n = 1; n <= 5; n++) api.addComment({ author: ada });
      const thread = threadFor({ pageSize: 2 });
      await thread.load();

      expect(await locateComment(thread, '5')).to.equal(true);

      expect(api.callsTo('listComments').map((c) => c.query.cursor ?? null)).to.deep.equal([null, '2', '4']);
      expect(thread.target).to.equal('5');
      expect(thread.isFresh('5')).to.equal(true);
      thread.targetReached();
      expect(thread.target).to.equal(null);
    });

    it('finds a reply and stops when there are no more pages', async () => {
      const parent = api.addComment({ author: ada });
      const reply = api.addComment({ author: grace, parentId: parent.id });
      api.addComment({ author: ada });
      const thread = threadFor({ pageSize: 1 });
      await thread.load();

      expect(await locateComment(thread, reply.id)).to.equal(true);
      expect(await locateComment(thread, '999')).to.equal(false);
      expect(thread.nextCursor).to.equal(null);
    });
  });
});
