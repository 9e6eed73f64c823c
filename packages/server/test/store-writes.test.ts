import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CommentResponse } from '@parley/protocol';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { NewComment, Store } from '../src/store/types.js';
import {
  EventLog,
  api,
  cleanup,
  connect,
  expectError,
  expectOk,
  joinPage,
  listComments,
  onCleanup,
  signUp,
  startServer,
  tmpDir,
  within,
} from './helpers.js';

afterEach(cleanup);

/**
 * Stands in for `fs.fdatasync`: records each sync the store asks for and
 * completes it only when the test says, so a test can look at what is
 * acknowledged while the disk has not answered yet.
 */
class HeldSync {
  readonly calls: { fd: number; done: (error: NodeJS.ErrnoException | null) => void }[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly sync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void): void => {
    this.calls.push({ fd, done });
    for (const waiter of this.waiters.filter((w) => this.calls.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  /** Resolves once the store has asked for `count` syncs in all. */
  async requested(count: number): Promise<void> {
    if (this.calls.length >= count) return;
    await within(new Promise<void>((resolve) => this.waiters.push({ count, resolve })), `sync #${count} to be asked for`);
  }

  /** Completes sync number `n` (from 1), as the disk would. */
  finish(n: number, error: NodeJS.ErrnoException | null = null): void {
    this.calls[n - 1]!.done(error);
  }
}

/** Whether a promise has settled, after letting everything already due run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

async function fileStore(sync?: HeldSync): Promise<{ store: Store; file: string }> {
  const file = path.join(await tmpDir(), 'parley.db');
  const store = openSqliteStore(file, { eventRetention: 100, ...(sync ? { sync: sync.sync } : {}) });
  onCleanup(() => store.close());
  return { store, file };
}

/** The comments another connection sees in the database file: what has been committed. */
function committedSources(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    // A copy of the database file alone may not have the table yet.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'comments'").get()) return [];
    return db.prepare('SELECT source FROM comments ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

const comment = (authorId: string, source: string, page = '/a'): NewComment => ({
  siteId: 'default',
  page: { key: page },
  parentId: null,
  authorId,
  source,
  html: `<p>${source}</p>`,
  now: new Date().toISOString(),
});

async function withAuthor(store: Store): Promise<string> {
  await store.ensureSite('default', 'default');
  const user = await store.createUser({ name: 'Alice', email: 'alice@example.com', passwordHash: 'x', now: new Date().toISOString() });
  return user!.id;
}

describe('store writes on a database file', () => {
  it('acknowledges a write only after a sync of the write-ahead log that began after its commit', async () => {
    const sync = new HeldSync();
    const { store, file } = await fileStore(sync);
    const site = store.ensureSite('default', 'default');
    await sync.requested(1);
    expect(await settled(site)).toBe(false);
    // The sync is of the database's log, the file SQLite appends commits to.
    expect(fs.fstatSync(sync.calls[0]!.fd).ino).toBe(fs.statSync(`${file}-wal`).ino);
    sync.finish(1);
    await site;

    const user = store.createUser({ name: 'Alice', email: 'alice@example.com', passwordHash: 'x', now: new Date().toISOString() });
    await sync.requested(2);
    sync.finish(2);
    const authorId = (await user)!.id;

    const first = store.createComment(comment(authorId, 'first'));
    await sync.requested(3);
    expect(committedSources(file)).toEqual(['first']);
    expect(await settled(first)).toBe(false);

    // Arrives while the log is being synced: it waits for that sync to end, then
    // gets a commit and a sync of its own, and is answered only after both.
    const second = store.createComment(comment(authorId, 'second'));
    expect(await settled(second)).toBe(false);
    expect(committedSources(file)).toEqual(['first']);
    sync.finish(3);
    expect((await first).record.source).toBe('first');
    await sync.requested(4);
    expect(committedSources(file)).toEqual(['first', 'second']);
    expect(await settled(second)).toBe(false);
    sync.finish(4);
    expect((await second).seq).toBe(2);
  });

  it('commits comments that arrive together as one group with one sync, and a comment that fails there fails alone', async () => {
    const sync = new HeldSync();
    const { store, file } = await fileStore(sync);
    const authorSetUp = withAuthor(store);
    await sync.requested(1);
    sync.finish(1);
    await sync.requested(2);
    sync.finish(2);
    const authorId = await authorSetUp;

    const writes = [
      store.createComment(comment(authorId, 'one')),
      // No such user: the foreign key refuses it, and its new page goes with it.
      store.createComment(comment('999999', 'nobody', '/nobody')),
      store.createComment(comment(authorId, 'two')),
      store.createComment(comment(authorId, 'elsewhere', '/b')),
    ];
    await sync.requested(3);
    expect(committedSources(file)).toEqual(['one', 'two', 'elsewhere']);
    sync.finish(3);
    const [one, nobody, two, elsewhere] = await Promise.allSettled(writes);
    expect(nobody).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } });
    const seqOf = (result: PromiseSettledResult<{ seq: number }> | undefined) => (result?.status === 'fulfilled' ? result.value.seq : null);
    expect([seqOf(one), seqOf(two), seqOf(elsewhere)]).toEqual([1, 2, 1]);
    expect(sync.calls).toHaveLength(3);
    expect(await store.getPageState('default', '/nobody')).toEqual({ locked: false, pinnedCommentId: null, seq: 0, count: 0 });
    expect(await store.getPageState('default', '/a')).toMatchObject({ seq: 2, count: 2 });
  });

  it('fails the writes waiting on a sync that fails, and every write after it', async () => {
    const sync = new HeldSync();
    const { store } = await fileStore(sync);
    const site = store.ensureSite('default', 'default');
    await sync.requested(1);
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    sync.finish(1, eio);
    await expect(site).rejects.toBe(eio);
    // After a failed fsync the kernel may have dropped the pages, so a later
    // sync that succeeds proves nothing: the store does not try again.
    await expect(store.createUser({ name: 'Bob', email: 'bob@example.com', passwordHash: 'x', now: new Date().toISOString() })).rejects.toBe(eio);
    expect(sync.calls).toHaveLength(1);
  });

  it('commits a queued comment before a write decided after it', async () => {
    const { store } = await fileStore();
    const authorId = await withAuthor(store);
    // The comment passed its checks before the page was locked, so it is
    // stored, and the lock comes after it in the page's sequence.
    const created = store.createComment(comment(authorId, 'just in time'));
    const settings = await store.getSettings('default');
    const locked = store.saveSettings('default', { ...settings, lockedPages: ['/a'] }, new Date().toISOString());
    const [write, lock] = await Promise.all([created, locked]);
    expect(write.events.map((e) => [e.type, e.seq])).toEqual([['comment:created', 1]]);
    expect(lock.events.map((e) => [e.type, e.seq])).toEqual([['page:updated', 2]]);
    expect(await store.getPageState('default', '/a')).toMatchObject({ locked: true, seq: 2, count: 1 });
  });

  it('copies the log into the database file within moments of a write, while it keeps running', async () => {
    const { store, file } = await fileStore();
    const authorId = await withAuthor(store);
    for (const source of ['one', 'two', 'three']) await store.createComment(comment(authorId, source));
    // The database file alone, without its log: what checkpoints have copied so far.
    const dir = await tmpDir();
    const copied = async () => {
      const copy = path.join(dir, `copy-${Date.now()}.db`);
      fs.copyFileSync(file, copy);
      return committedSources(copy);
    };
    const deadline = Date.now() + 5_000;
    let sources = await copied();
    while (sources.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      sources = await copied();
    }
    expect(sources).toEqual(['one', 'two', 'three']);
  });

  it('closes after committing and syncing what was queued', async () => {
    const file = path.join(await tmpDir(), 'parley.db');
    const store = openSqliteStore(file, { eventRetention: 100 });
    const authorId = await withAuthor(store);
    const queued = store.createComment(comment(authorId, 'last words'));
    await store.close();
    expect((await queued).record.source).toBe('last words');
    // The last connection to close checkpoints the log into the database and removes it.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(committedSources(file)).toEqual(['last words']);
  });
});

describe('POST /api/comments, many at once', () => {
  it('answers each with its own seq, stores them all, and broadcasts them in seq order', async () => {
    const { url } = await startServer();
    const [alice, bob] = [await signUp(url, 'Alice'), await signUp(url, 'Bob')];
    const reader = await connect(url);
    const log = new EventLog(reader);
    expect(await joinPage(reader, '/busy')).toMatchObject({ ok: true, seq: 0 });

    const bodies = Array.from({ length: 24 }, (_, i) => `comment ${i}`);
    const responses = await Promise.all(
      bodies.map((body, i) =>
        api(url, 'POST', '/api/comments', { token: (i % 2 ? bob : alice).token, body: { site: 'default', page: '/busy', body } }),
      ),
    );
    const answers = responses.map((res) => expectOk(res, 201, CommentResponse));
    expect(answers.map((a) => a.seq).sort((x, y) => x - y)).toEqual(bodies.map((_, i) => i + 1));
    expect(answers.map((a) => a.comment.source)).toEqual(bodies);

    const events = await log.waitFor(bodies.length);
    expect(events.map((e) => e.seq)).toEqual(bodies.map((_, i) => i + 1));
    const thread = await listComments(url, { page: '/busy', sort: 'oldest', limit: 50 });
    expect(thread.count).toBe(bodies.length);
    expect(thread.comments.map((c) => c.id)).toEqual(events.map((e) => (e.type === 'comment:created' ? e.comment.id : null)));
  });

  it('refuses a bad post among good ones with its own error, and stores the good ones', async () => {
    const { url } = await startServer();
    const { token } = await signUp(url, 'Alice');
    const post = (body: unknown) => api(url, 'POST', '/api/comments', { token, body });
    const [good, missingParent, alsoGood] = await Promise.all([
      post({ site: 'default', page: '/mixed', body: 'good' }),
      post({ site: 'default', page: '/mixed', body: 'orphan', parentId: '424242' }),
      post({ site: 'default', page: '/mixed', body: 'also good' }),
    ]);
    expectOk(good, 201, CommentResponse);
    expectError(missingParent, 404, 'parent_not_found');
    expectOk(alsoGood, 201, CommentResponse);
    const thread = await listComments(url, { page: '/mixed', sort: 'oldest' });
    expect(thread.comments.map((c) => c.html)).toEqual(['<p>good</p>', '<p>also good</p>']);
  });
});
