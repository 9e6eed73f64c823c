import { expect } from '@open-wc/testing';
import type { Sort } from '@parley/protocol';
import { FakeApi } from '../test-support/fake-api.js';
import { SessionState } from './session-state.js';
import { ThreadState } from './thread-state.js';

async function loadedThread(api: FakeApi, sort: Sort = 'oldest'): Promise<ThreadState> {
  const thread = new ThreadState({ api, session: new SessionState(api, 'default'), site: 'default', page: '/p', sort });
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
    const thread = new ThreadState({ api, session: new SessionState(api, 'default'), site: 'default', page: '/p', sort: 'oldest', pageSize: 1 });
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
