import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CommentResponse, CommentThread, SingleCommentResponse, type CreateCommentBody } from '@parley/protocol';
import { CHILD_ORIGIN, inspectDatabase, snapshotDatabase, spawnServer, waitUntilRefused, type ChildServer } from './child-server.js';
import { api, cleanup, connect, expectOk, joinPage, onCleanup, signUp, tmpDir, within } from './helpers.js';

afterEach(cleanup);

/** The parts of a thread page these tests read; the rest of the shape is other tests' business. */
const ThreadPage = CommentThread.pick({ comments: true, count: true, nextCursor: true });

/** A comment the server answered 201 for: it must survive anything that happens next. */
interface Acknowledged {
  id: string;
  page: string;
  body: string;
}

/**
 * Comments posted from several loops at once, each loop one request at a
 * time, as a busy thread sees them. A loop stops at its bound or at its
 * first failed request (the server went away). Every 201 is recorded with
 * the text that was sent; so is every text sent, answered or not, because a
 * request in flight when the server dies may or may not have committed.
 */
class PostingLoad {
  readonly acknowledged: Acknowledged[] = [];
  readonly sent = new Set<string>();
  /** Answers other than 201: none are expected, whatever happens to the server. */
  readonly unexpected: string[] = [];
  /** Requests that got no answer: the server died or closed under them. */
  unanswered = 0;
  private readonly waiters: { count: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    private readonly url: string,
    private readonly tokens: string[],
    private readonly label: string,
  ) {}

  /** Runs `loops` loops of at most `perLoop` posts each; resolves when all have stopped. */
  async run(loops: number, perLoop: number): Promise<void> {
    await Promise.all(Array.from({ length: loops }, (_, loop) => this.loop(loop, perLoop)));
    const reason = this.unexpected[0] ?? 'every loop reached its bound';
    const stopped = new Error(`The load stopped after ${this.acknowledged.length} acknowledged comments: ${reason}`);
    for (const waiter of this.waiters.splice(0)) waiter.reject(stopped);
  }

  /** Resolves once `count` comments have been acknowledged; fails if the load stops first. */
  async acknowledgedAtLeast(count: number): Promise<void> {
    if (this.acknowledged.length >= count) return;
    const reached = new Promise<void>((resolve, reject) => this.waiters.push({ count, resolve, reject }));
    await within(reached, `${count} acknowledged comments`, 60_000);
  }

  private async loop(loop: number, perLoop: number): Promise<void> {
    const token = this.tokens[loop % this.tokens.length]!;
    const page = `/durability/${loop % 3}`;
    let lastOwn: string | undefined;
    for (let i = 0; i < perLoop; i++) {
      const body = commentText(`${this.label} loop ${loop} #${i}`, i);
      // Every fourth post replies to this loop's previous comment, so parents and roots are written too.
      const parentId = i % 4 === 3 ? lastOwn : undefined;
      const request: CreateCommentBody = { site: 'default', page, body, ...(parentId ? { parentId } : {}) };
      this.sent.add(body);
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${this.url}/api/comments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: CHILD_ORIGIN },
          body: JSON.stringify(request),
        });
        text = await res.text();
      } catch {
        this.unanswered += 1;
        return;
      }
      if (res.status !== 201) {
        this.unexpected.push(`${res.status} ${text}`);
        return;
      }
      const { comment } = CommentResponse.parse(JSON.parse(text));
      this.acknowledged.push({ id: comment.id, page, body });
      lastOwn = comment.id;
      for (const waiter of [...this.waiters]) {
        if (this.acknowledged.length >= waiter.count) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  }
}

/**
 * A comment's markdown: unique, with non-ASCII text and markup, and lengths
 * from a line to a few pages so commits span one or several database pages.
 */
function commentText(label: string, i: number): string {
  const padding = 'Lorem ipsum dolor sit amet. '.repeat((i * 37) % 150);
  return `${label}: ünïcødé ✓ 💬 **bold** \`code\` [link](https://example.com/${i})\n\n${padding}`.trim();
}

async function signUpReaders(url: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push((await signUp(url, `Reader${i}`)).token);
  return tokens;
}

/**
 * What a crashed (or stopped) server left in its database file: intact
 * pages, no dangling references, every acknowledged comment with its exact
 * text, nothing but text that was sent, and page counts that match the rows.
 */
function expectConsistent(file: string, acknowledged: Acknowledged[], sent: Set<string>): { unacknowledged: number } {
  const db = inspectDatabase(file);
  expect(db.integrity).toEqual(['ok']);
  expect(db.foreignKeyViolations).toEqual([]);
  const lost = acknowledged.filter((c) => db.comments.get(c.id) !== c.body);
  expect(lost.map((c) => c.id), 'acknowledged comments missing or changed').toEqual([]);
  const invented = [...db.comments.values()].filter((source) => !sent.has(source));
  expect(invented.length, 'comments whose text was never sent').toBe(0);
  for (const [page, { storedCount, publishedComments }] of db.pages) {
    expect(storedCount, `the stored count of ${page}`).toBe(publishedComments);
  }
  // Committed, but the answer never reached the client: allowed, and worth knowing.
  return { unacknowledged: db.comments.size - acknowledged.length };
}

/** Through the API of a running server: every acknowledged comment, once, with its text, and the right counts. */
async function expectServed(url: string, acknowledged: Acknowledged[]): Promise<void> {
  for (const { id, body } of acknowledged) {
    const res = await api(url, 'GET', `/api/comments/${id}?site=default`, { origin: CHILD_ORIGIN });
    const { comment } = expectOk(res, 200, SingleCommentResponse);
    expect({ id: comment.id, source: comment.source, status: comment.status }).toEqual({ id, source: body, status: 'published' });
  }
  for (const page of new Set(acknowledged.map((c) => c.page))) {
    const listed: string[] = [];
    let cursor: string | null = null;
    let count = 0;
    do {
      const query = new URLSearchParams({ site: 'default', page, sort: 'oldest', limit: '100', ...(cursor ? { cursor } : {}) });
      const res = await api(url, 'GET', `/api/comments?${query}`, { origin: CHILD_ORIGIN });
      const thread: z.infer<typeof ThreadPage> = expectOk(res, 200, ThreadPage);
      listed.push(...thread.comments.map((c) => c.id));
      cursor = thread.nextCursor;
      count = thread.count;
    } while (cursor);
    expect(new Set(listed).size, `${page} lists a comment twice`).toBe(listed.length);
    expect(listed.length, `${page}'s count`).toBe(count);
    const missing = acknowledged.filter((c) => c.page === page && !listed.includes(c.id));
    expect(missing.map((c) => c.id), `acknowledged comments not listed on ${page}`).toEqual([]);
  }
}

describe('parley serve killed with SIGKILL under load', () => {
  it('keeps every acknowledged comment intact across repeated kills and restarts', { timeout: 180_000 }, async () => {
    const dir = await tmpDir();
    const dbPath = path.join(dir, 'parley.db');
    const rounds = 4;
    const acknowledged: Acknowledged[] = [];
    const sent = new Set<string>();
    let unanswered = 0;
    let committedUnanswered = 0;

    let server: ChildServer = await spawnServer(dbPath);
    // Sessions live in the database too: the same tokens must work after every restart.
    const tokens = await signUpReaders(server.url, 4);

    for (let round = 1; round <= rounds; round++) {
      const load = new PostingLoad(server.url, tokens, `round ${round}`);
      const running = load.run(8, 60);
      // A different point in the load each round: 30, 50, 70, 90 acknowledged.
      await load.acknowledgedAtLeast(10 + round * 20);
      server.child.kill('SIGKILL');
      expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
      await running;
      expect(load.unexpected).toEqual([]);
      acknowledged.push(...load.acknowledged);
      for (const body of load.sent) sent.add(body);
      unanswered += load.unanswered;

      const snapshotDir = await tmpDir();
      committedUnanswered = expectConsistent(await snapshotDatabase(dbPath, snapshotDir), acknowledged, sent).unacknowledged;

      server = await spawnServer(dbPath);
      await expectServed(server.url, acknowledged);
    }

    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toEqual({ code: 0, signal: null });
    expectConsistent(dbPath, acknowledged, sent);
    console.info(
      `durability: ${rounds} SIGKILL rounds, ${acknowledged.length} acknowledged comments all intact, ` +
        `${unanswered} requests cut off by the kills, ${committedUnanswered} of them committed all the same`,
    );
  });
});

/**
 * A POST whose headers reach the server (`Expect: 100-continue`) long
 * before its body, so the test knows the server holds the request before it
 * sends a signal.
 */
function heldPost(port: number, agent: http.Agent, token: string, request: CreateCommentBody) {
  const json = JSON.stringify(request);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/comments',
    agent,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
      expect: '100-continue',
      origin: CHILD_ORIGIN,
    },
  });
  const response = new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, text }));
      res.once('error', reject);
    });
    req.once('error', reject);
  });
  // Surfaced by `send()`; a rejection before then must not go unhandled.
  response.catch(() => undefined);
  const accepted = new Promise<void>((resolve) => req.once('continue', resolve));
  req.flushHeaders();
  return {
    /** Resolves once the server has read the headers and asked for the body. */
    accepted: () => within(accepted, 'the server to accept a held request'),
    /** Sends the body and resolves with the answer. */
    send() {
      req.end(json);
      return response;
    },
  };
}

describe('parley serve stopped with SIGTERM', () => {
  it('answers the requests it had accepted, refuses new ones, closes the database and exits 0', { timeout: 60_000 }, async () => {
    const dbPath = path.join(await tmpDir(), 'parley.db');
    const server = await spawnServer(dbPath);
    const tokens = await signUpReaders(server.url, 2);
    const reader = await connect(server.url, CHILD_ORIGIN);
    expect(await joinPage(reader, '/durability/0')).toMatchObject({ ok: true });
    const readerGone = new Promise<void>((resolve) => reader.once('disconnect', () => resolve()));

    const load = new PostingLoad(server.url, tokens, 'sigterm');
    const running = load.run(8, 60);
    // Keep-alive, as browsers talk: the server must say when a connection will not serve another request.
    const agent = new http.Agent({ keepAlive: true });
    onCleanup(() => agent.destroy());
    const held = Array.from({ length: 6 }, (_, i) =>
      heldPost(server.port, agent, tokens[i % tokens.length]!, {
        site: 'default',
        page: '/durability/held',
        body: `held #${i}: sent after SIGTERM`,
      }),
    );
    await Promise.all(held.map((request) => request.accepted()));
    await load.acknowledgedAtLeast(20);

    server.child.kill('SIGTERM');
    await waitUntilRefused(server.port);
    const answers = await Promise.all(held.map((request) => request.send()));
    const heldComments = answers.map((answer, i) => {
      expect(answer.status, answer.text).toBe(201);
      expect(answer.connection).toBe('close');
      const { comment } = CommentResponse.parse(JSON.parse(answer.text));
      expect(comment.source).toBe(`held #${i}: sent after SIGTERM`);
      return { id: comment.id, page: '/durability/held', body: comment.source };
    });

    // The answers said the connections close, so a client's next request needs a new one, and finds the port closed.
    const followUp = heldPost(server.port, agent, tokens[0]!, { site: 'default', page: '/durability/held', body: 'too late' }).send();
    await expect(followUp).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    expect(await within(server.exited, 'parley serve to exit', 30_000), server.output()).toEqual({ code: 0, signal: null });
    await within(readerGone, "the reader's socket to be closed");
    await running;
    // A loop's request either was answered or found the port closed; none got an error status.
    expect(load.unexpected).toEqual([]);
    // Closed cleanly: the last connection checkpointed the write-ahead log into the database and removed it.
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(false);
    const acknowledged = [...load.acknowledged, ...heldComments];
    expectConsistent(dbPath, acknowledged, new Set([...load.sent, ...heldComments.map((c) => c.body)]));
    console.info(
      `sigterm: ${held.length} held requests answered 201 after the signal, ${load.acknowledged.length} posts acknowledged ` +
        `under load, ${load.unanswered} got no answer once the port had closed`,
    );
  });
});
