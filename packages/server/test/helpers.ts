import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect } from 'vitest';
import type { z } from 'zod';
import {
  CommentResponse,
  CommentThread,
  ErrorBody,
  ModerationChangedEvent,
  PageEvent,
  Session,
  endpointPath,
  pageEventTypes,
  routes,
  type ClientToServerEvents,
  type ErrorCode,
  type JoinModerationReply,
  type JoinPageReply,
  type OperationId,
  type Role,
  type ServerToClientEvents,
} from '@parley/protocol';
import { testConfig, type Config } from '../src/config.js';
import { hashToken } from '../src/domain/accounts.js';
import { hashPassword } from '../src/domain/passwords.js';
import { createServer, type CreateServerOptions, type ParleyServer } from '../src/server.js';

/** How long a test waits for something that should happen at once before it fails. */
export const WAIT_MS = 5_000;

/** The first origin `testConfig()` allows, whatever the environment says. */
export const ALLOWED_ORIGIN = testConfig().origins[0]!;

export const PASSWORD = 'correct horse battery';

// ----- Cleanup -----

const cleanups: (() => unknown)[] = [];

/** Runs `fn` in {@link cleanup}, before anything registered earlier. */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

/**
 * Closes everything the helpers opened, newest first, so sockets close before
 * their server and servers before their temporary directories go. Every test
 * file calls it in `afterEach`.
 */
export async function cleanup(): Promise<void> {
  const errors: unknown[] = [];
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length) throw errors[0];
}

/** A fresh temporary directory, removed at cleanup. */
export async function tmpDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-test-'));
  onCleanup(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

// ----- Servers -----

export interface RunningServer {
  server: ParleyServer;
  url: string;
}

/** A whole server on a free port with an in-memory database, closed at cleanup. */
export async function startServer(
  overrides: Partial<Config> = {},
  options: CreateServerOptions = {},
): Promise<RunningServer> {
  const server = await createServer(testConfig(overrides), options);
  onCleanup(() => server.close());
  const { url } = await server.listen(0, '127.0.0.1');
  return { server, url };
}

/**
 * One server for every test of the enclosing `describe` (or file): started in
 * `beforeAll`, closed in `afterAll`, not at {@link cleanup}. Its tests keep
 * out of each other's way by using their own sites and users. Call the
 * returned function inside a test to get it.
 */
export function sharedServer(overrides: Partial<Config> = {}): () => RunningServer {
  let running: RunningServer | undefined;
  beforeAll(async () => {
    const server = await createServer(testConfig(overrides));
    const { url } = await server.listen(0, '127.0.0.1');
    running = { server, url };
  });
  afterAll(() => running?.server.close());
  return () => {
    if (!running) throw new Error('sharedServer() is only running inside the tests of its describe');
    return running;
  };
}

/** Resolves with `promise`, or fails naming `what` if it takes longer than `ms`. */
export async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ----- HTTP -----

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the response has no JSON body. */
  body: unknown;
  text: string;
}

export interface ApiOptions {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent verbatim as `application/json`, for bodies that are not valid JSON. */
  rawBody?: string;
  origin?: string;
  headers?: Record<string, string>;
}

/** One HTTP request with global fetch. */
export async function api(url: string, method: string, path: string, options: ApiOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.origin !== undefined) headers.origin = options.origin;
  let body: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
  return { status: res.status, headers: res.headers, body: isJson && text ? JSON.parse(text) : undefined, text };
}

/** Asserts the status and parses the body with a protocol schema, so the wire shape is checked too. */
export function expectOk<T extends z.ZodType>(res: ApiResponse, status: number, schema: T): z.infer<T> {
  expect(res.status, res.text).toBe(status);
  return schema.parse(res.body);
}

/** Asserts an error response: status, code, and exactly the `{ error: { code, message, fields? } }` shape. */
export function expectError(res: ApiResponse, status: number, code: ErrorCode): ErrorBody['error'] {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = res.body as Record<string, Record<string, unknown>>;
  expect(Object.keys(body)).toEqual(['error']);
  for (const key of Object.keys(body.error!)) expect(['code', 'message', 'fields']).toContain(key);
  const { error } = ErrorBody.parse(body);
  expect(error.code).toBe(code);
  expect(error.message).not.toBe('');
  return error;
}

export interface SignUpOptions {
  email?: string;
  password?: string;
  site?: string;
}

/** Signs up `name` (email `name@example.com` by default) and returns the session. */
export async function signUp(url: string, name: string, options: SignUpOptions = {}): Promise<Session> {
  const res = await api(url, 'POST', '/api/auth/sign-up', {
    body: {
      site: options.site ?? 'default',
      name,
      email: options.email ?? `${name.toLowerCase()}@example.com`,
      password: options.password ?? PASSWORD,
    },
  });
  return expectOk(res, 201, Session);
}

export interface PostOptions {
  page?: string;
  parentId?: string;
}

/** Posts a comment (on `/a` unless told) and returns the 201 body. */
export async function postComment(url: string, token: string, body: string, options: PostOptions = {}): Promise<CommentResponse> {
  const res = await api(url, 'POST', '/api/comments', {
    token,
    body: { site: 'default', page: options.page ?? '/a', body, ...(options.parentId ? { parentId: options.parentId } : {}) },
  });
  return expectOk(res, 201, CommentResponse);
}

export interface ListOptions {
  page?: string;
  sort?: 'newest' | 'oldest';
  cursor?: string;
  limit?: number;
  /** Read as this signed-in viewer (who sees their own held comments). */
  token?: string;
}

/** Lists a page's thread (`/a` unless told). */
export async function listComments(url: string, options: ListOptions = {}): Promise<CommentThread> {
  const query = new URLSearchParams({ site: 'default', page: options.page ?? '/a' });
  if (options.sort) query.set('sort', options.sort);
  if (options.cursor) query.set('cursor', options.cursor);
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  return expectOk(await api(url, 'GET', `/api/comments?${query}`, { token: options.token }), 200, CommentThread);
}

export interface RouteCall {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  token?: string;
}

/**
 * Calls an operation of the protocol's route table by its operationId, so a
 * test names what it does rather than a method and path.
 */
export function callRoute(url: string, operationId: OperationId, call: RouteCall = {}): Promise<ApiResponse> {
  const spec = routes[operationId];
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) query.set(key, String(value));
  const search = query.toString();
  const path = endpointPath(spec.path, call.params) + (search ? `?${search}` : '');
  return api(url, spec.method.toUpperCase(), path, { token: call.token, body: call.body });
}

/**
 * Creates a user with a role on a site the way the CLI does (`parley user
 * create --role moderator`), then signs them in over HTTP on that site.
 */
export async function createSignedInUser(
  { server, url }: RunningServer,
  name: string,
  options: { site?: string; role?: Role } = {},
): Promise<Session> {
  const site = options.site ?? 'default';
  const email = `${name.toLowerCase()}@example.com`;
  await server.accounts.createUser({ name, email, password: PASSWORD, site, role: options.role ?? 'commenter' });
  const res = await api(url, 'POST', '/api/auth/sign-in', { body: { site, email, password: PASSWORD } });
  return expectOk(res, 200, Session);
}

/**
 * A session of a user written straight to the store, as a sign-in would make
 * it, and its bearer token. With `expiresAt` in the past the token is expired
 * from the start.
 */
export async function openSession(
  server: ParleyServer,
  userId: string,
  expiresAt = new Date(Date.now() + 86_400_000).toISOString(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await server.store.createSession({ tokenHash: hashToken(token), userId, now: new Date().toISOString(), expiresAt });
  return token;
}

/** A user as a test knows them: who they are and a bearer token. */
export interface TestUser {
  id: string;
  name: string;
  email: string;
  token: string;
}

// scrypt is deliberately slow; every quick user shares this one hash of PASSWORD.
let passwordHash: Promise<string> | undefined;

/**
 * A user with {@link PASSWORD}, optionally a role on a site, and a session,
 * made through the store rather than over HTTP: no password hashing per user,
 * so a test can make hundreds. They can still sign in and change their
 * password like anyone else.
 */
export async function quickUser(
  server: ParleyServer,
  name: string,
  options: { email?: string; site?: string; role?: Role } = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(PASSWORD);
  const email = options.email ?? `${name.toLowerCase()}@example.com`;
  const user = await server.store.createUser({ name, email, passwordHash: await passwordHash, now: new Date().toISOString() });
  if (!user) throw new Error(`quickUser: ${email} is taken`);
  if (options.site && options.role) await server.store.setRole(options.site, user.id, options.role);
  return { id: user.id, name: user.name, email: user.email, token: await openSession(server, user.id) };
}

/** A moderator of `site` (`default` unless told), signed in. */
export function signInModerator(running: RunningServer, name: string, site = 'default'): Promise<Session> {
  return createSignedInUser(running, name, { site, role: 'moderator' });
}

// ----- Sockets -----

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client that does not retry, disconnected at cleanup. Not yet connected. */
export function openSocket(url: string, origin: string = ALLOWED_ORIGIN): ClientSocket {
  const socket: ClientSocket = io(url, {
    transports: ['websocket'],
    extraHeaders: { origin },
    reconnection: false,
    forceNew: true,
  });
  onCleanup(() => socket.disconnect());
  return socket;
}

/** The same socket without the protocol's types: types are not validation, and tests send what a broken or hostile client might. */
export function untyped(socket: ClientSocket): Socket {
  return socket as unknown as Socket;
}

/** A connected socket.io client from an allowed origin. */
export async function connect(url: string, origin: string = ALLOWED_ORIGIN): Promise<ClientSocket> {
  const socket = openSocket(url, origin);
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    }),
    'the socket to connect',
  );
  return socket;
}

/** Joins a page's room and returns the server's reply. */
export function joinPage(socket: ClientSocket, page: string, since?: number, site = 'default'): Promise<JoinPageReply> {
  return socket.timeout(WAIT_MS).emitWithAck('page:join', { site, page, ...(since === undefined ? {} : { since }) });
}

/** Asks to join a site's moderation room and returns the server's reply. */
export function joinModeration(socket: ClientSocket, token: string, site = 'default'): Promise<JoinModerationReply> {
  return socket.timeout(WAIT_MS).emitWithAck('moderation:join', { site, token });
}

/**
 * One round trip on the socket. The server writes to a connection in order,
 * so anything it sent this socket before answering has arrived once this
 * resolves: a test can then assert that something was *not* sent.
 */
export async function roundTrip(socket: ClientSocket): Promise<void> {
  await socket.timeout(WAIT_MS).emitWithAck('page:join', { site: 'default', page: '/round-trip' });
}

/** Every `moderation:changed` a socket receives, in arrival order, each checked against the protocol schema. */
export class ModerationLog {
  readonly events: ModerationChangedEvent[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(socket: ClientSocket) {
    socket.on('moderation:changed', (payload: unknown) => {
      this.events.push(ModerationChangedEvent.parse(payload));
      for (const waiter of [...this.waiters]) {
        if (this.events.length >= waiter.count) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  /** Resolves with the first `count` events once that many have arrived. */
  async waitFor(count: number): Promise<ModerationChangedEvent[]> {
    if (this.events.length < count) {
      await within(new Promise<void>((resolve) => this.waiters.push({ count, resolve })), `${count} moderation event(s)`);
    }
    return this.events.slice(0, count);
  }
}

/** Every page event a socket receives, in arrival order, each checked against the protocol schema. */
export class EventLog {
  readonly events: PageEvent[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(socket: ClientSocket) {
    socket.onAny((name: string, payload: unknown) => {
      if (!(pageEventTypes as readonly string[]).includes(name)) return;
      const event = PageEvent.parse(payload);
      expect(event.type).toBe(name);
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (this.events.length >= waiter.count) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  /** Resolves with the first `count` events once that many have arrived. */
  async waitFor(count: number): Promise<PageEvent[]> {
    if (this.events.length < count) {
      await within(new Promise<void>((resolve) => this.waiters.push({ count, resolve })), `${count} page event(s)`);
    }
    return this.events.slice(0, count);
  }
}
