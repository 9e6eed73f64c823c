import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ErrorBody,
  JoinModerationReply,
  JoinPageReply,
  errorStatus,
  routes,
  type ClientToServerEvents,
  type OperationId,
  type RouteSpec,
} from '@parley/protocol';
import { createMarkdownRenderer } from '../src/domain/markdown.js';
import {
  EventLog,
  PASSWORD,
  WAIT_MS,
  api,
  cleanup,
  connect,
  expectError,
  joinPage,
  postComment,
  quickUser,
  roundTrip,
  sharedServer,
  untyped,
  within,
  type ApiResponse,
  type ClientSocket,
  type RunningServer,
} from './helpers.js';

afterEach(cleanup);

/**
 * Run settings for every property. fast-check picks a new seed each run and
 * prints the seed and path of a failure with its shrunk counterexample;
 * FUZZ_SEED=… (and FUZZ_PATH=…, with `-t` naming the test) replays it.
 */
function runs<T>(numRuns: number, examples: T[] = []): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED;
  const path = process.env.FUZZ_PATH;
  return { numRuns, examples, ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

/** Keys that have polluted prototypes in other servers' JSON and query handling. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A value of any shape, including the hostile ones a type annotation would never let through. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.anything({ maxDepth: 3, maxKeys: 5, withNullPrototype: true }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ minLength: 1_000, maxLength: 12_000 }), weight: 1 },
  { arbitrary: fc.constantFrom(...PROTO_KEYS), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      Object.defineProperty({}, '__proto__', { value: { polluted: true }, enumerable: true }),
      { constructor: { prototype: { polluted: true } } },
      [[[[[['deep']]]]]],
      -0,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
    ),
    weight: 1,
  },
);

// ----- The markdown renderer -----

const ALLOWED_TAGS = new Set(['p', 'br', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a']);
const LINK_REL = 'nofollow ugc noopener noreferrer';

/** Each allowed attribute, with a test of its (entity-decoded) value. */
const ALLOWED_ATTRIBUTES: Record<string, Record<string, (value: string) => boolean>> = {
  a: {
    href: (value) => /^(?:https?|mailto):/i.test(value),
    rel: (value) => value === LINK_REL,
    target: (value) => value === '_blank',
  },
  ol: { start: (value) => /^\d+$/.test(value) },
};

function expectAllowed(tag: string, attributes: Record<string, string>, html: string): void {
  expect(ALLOWED_TAGS.has(tag), `<${tag}> in ${html}`).toBe(true);
  for (const [name, value] of Object.entries(attributes)) {
    const check = ALLOWED_ATTRIBUTES[tag]?.[name];
    expect(check, `${name}= on <${tag}> in ${html}`).toBeDefined();
    expect(check!(value), `${name}="${value}" on <${tag}> in ${html}`).toBe(true);
  }
}

const decodeEntities = (value: string) =>
  value.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|lt|gt|apos);/gi, (_m, entity: string) => {
    const named: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()]!;
    return String.fromCodePoint(entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
  });

/**
 * Checks rendered comment HTML with a plain scan that trusts no parser: every
 * `<` opens or closes an allowlisted tag written exactly as the sanitiser
 * writes tags (double-quoted attributes), with allowlisted attributes only;
 * what is left is text, with no `<` or `>`.
 */
function expectSafeHtml(html: string): void {
  expect(html).not.toMatch(/<\s*\/?\s*(?:script|style|iframe|img|svg|math|object|embed|link|meta|base|form|input|frame|template)\b/i);
  const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z-]*="[^"<>]*")*)\s*\/?>/gi;
  const text = html.replace(TAG, (_match, _close: string, name: string, rawAttributes: string) => {
    const attributes: Record<string, string> = {};
    for (const [, attribute, value] of rawAttributes.matchAll(/\s+([a-z][a-z-]*)="([^"]*)"/gi)) {
      expect(attribute!.toLowerCase(), `${attribute} in ${html}`).not.toMatch(/^on/);
      attributes[attribute!.toLowerCase()] = decodeEntities(value!);
    }
    expectAllowed(name.toLowerCase(), attributes, html);
    return '';
  });
  expect(text, html).not.toMatch(/[<>]/);
}

interface Htmlparser2 {
  Parser: new (
    handler: {
      onopentag?(name: string, attributes: Record<string, string>): void;
      oncomment?(data: string): void;
      onprocessinginstruction?(name: string, data: string): void;
      oncdatastart?(): void;
    },
    options?: { decodeEntities?: boolean; recognizeCDATA?: boolean },
  ) => { write(html: string): void; end(): void };
}

/**
 * The HTML parser sanitize-html itself uses, reached through sanitize-html
 * (the server does not depend on it directly), or null if it cannot be found.
 */
function loadHtmlparser2(): Htmlparser2 | null {
  try {
    const fromServer = createRequire(import.meta.url);
    const fromSanitizeHtml = createRequire(fromServer.resolve('sanitize-html'));
    return fromSanitizeHtml('htmlparser2') as Htmlparser2;
  } catch {
    return null;
  }
}

const htmlparser2 = loadHtmlparser2();

/** What a real parser sees in the HTML: only allowlisted tags and attributes, and no comments, CDATA or processing instructions. */
function expectParsesSafely(parser: Htmlparser2, html: string): void {
  const oddities: string[] = [];
  const instance = new parser.Parser(
    {
      onopentag: (name, attributes) => expectAllowed(name, attributes, html),
      oncomment: (data) => oddities.push(`comment ${data}`),
      onprocessinginstruction: (name) => oddities.push(`processing instruction ${name}`),
      oncdatastart: () => oddities.push('CDATA'),
    },
    { decodeEntities: true, recognizeCDATA: true },
  );
  instance.write(html);
  instance.end();
  expect(oddities, html).toEqual([]);
}

/** Pieces of the attacks comment systems have seen, to be glued together at random. */
const HOSTILE_FRAGMENTS = [
  '<script>', '</script>', '<script src=//evil.example>', '<SCRIPT>', '<scr<script>ipt>', '<style>', '</style>', '<iframe', '<img', '<img src=x onerror=alert(1)>',
  '<svg', '<svg/onload=alert(1)>', '<math>', '<a href="', '<a href=javascript:alert(1)>', '<!--', '-->', '<![CDATA[', ']]>', '<?xml ', '<base href=',
  'javascript:', 'JaVaScRiPt:', 'java\tscript:', 'java\nscript:', '&#106;avascript:', '&#x6A;avascript:', 'javascript&colon;', '%6Aavascript:',
  'vbscript:', 'data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'file:', 'alert(1)', 'onerror=', ' onload=', 'onmouseover=', 'style=',
  '"', "'", '`', '```', '``', '\\', '<', '>', '=', '&', ';', '&lt;', '&#60;', '&quot;', ' ', '\t', '\n', '\n\n', '\r', '\0', '\u00a0',
  '\u202e', '\u202d', '\u200e', '\u200f', '\u2066', '\u2069', '\u200b', '\ufeff',
  '[', ']', '(', ')', '](', '[x](', '[a](javascript:alert(1))', '[a](<javascript:alert(1)>)', '[a](data:text/html,x)', '[a](//evil.example)', '[a](/relative)',
  '<http://', '<https://example.com>', '<mailto:', 'mailto:', 'http://', 'https://', 'https://example.com/a?b=c&d="e"', 'www.', 'evil.example', '@', 'user@example.com',
  '**', '*', '_', '~~', '> ', '- ', '1. ', '9999999999. ', '    ', '#',
];

/** Attacks every run tries first, whatever the seed: classic vectors, and links that would resolve against the host page. */
const KNOWN_ATTACKS = [
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '`<script>`',
  '[x](javascript:alert(1))',
  '<javascript:alert(1)>',
  '[x](JaVa&#x09;script:alert(1))',
  '[x](http://a.example" onmouseover="alert(1))',
  '[a](/relative)',
  '[a](?token=1)',
  '[a](#top)',
];

const hostileMarkdown = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS), weight: 4 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 }), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

describe('the markdown renderer, under property-based fuzzing', () => {
  const render = createMarkdownRenderer();
  const sources = {
    'arbitrary text': fc.string({ unit: 'binary', maxLength: 400 }),
    'text built from hostile fragments': hostileMarkdown,
  };

  for (const [what, source] of Object.entries(sources)) {
    it(`turns ${what} into allowlisted tags and attributes only, with http(s) and mailto links only`, () => {
      fc.assert(
        fc.property(source, (markdown) => expectSafeHtml(render(markdown))),
        runs(400, KNOWN_ATTACKS.map((attack): [string] => [attack])),
      );
    });

    it.runIf(htmlparser2)(`turns ${what} into HTML in which sanitize-html's own parser finds nothing else`, () => {
      fc.assert(
        fc.property(source, (markdown) => expectParsesSafely(htmlparser2!, render(markdown))),
        runs(300, KNOWN_ATTACKS.map((attack): [string] => [attack])),
      );
    });
  }

  it('renders a comment of the longest allowed length made of hostile fragments in well under a second', () => {
    const longSource = fc
      .array(fc.constantFrom(...HOSTILE_FRAGMENTS), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join('').repeat(10_000).slice(0, 10_000));
    fc.assert(
      fc.property(longSource, (markdown) => {
        const started = performance.now();
        expectSafeHtml(render(markdown));
        expect(performance.now() - started).toBeLessThan(1_000);
      }),
      runs(25),
    );
  });
});

// ----- The REST API -----

/** Checks an error response: JSON in exactly the one shape, with the status its code has everywhere. */
function expectProtocolError(res: ApiResponse): void {
  expect(res.headers.get('content-type'), res.text).toMatch(/^application\/json/);
  const body = res.body as Record<string, Record<string, unknown>>;
  expect(Object.keys(body)).toEqual(['error']);
  for (const key of Object.keys(body.error!)) expect(['code', 'message', 'fields']).toContain(key);
  const { error } = ErrorBody.parse(body);
  expect(error.message).not.toBe('');
  expect(errorStatus[error.code], res.text).toBe(res.status);
}

/**
 * Checks a route's response to anything at all: never a 5xx; an error in the
 * protocol's shape; a success only with the route's own status and schema.
 */
function expectWellFormed(res: ApiResponse, spec: RouteSpec): void {
  expect(res.status, res.text).toBeLessThan(500);
  if (res.status >= 400) {
    expectProtocolError(res);
  } else {
    expect(res.status, res.text).toBe(spec.status);
    if (spec.response) spec.response.parse(res.body);
    else expect(res.text).toBe('');
  }
}

/** fetch, read into the helpers' response shape. */
async function send(url: string, init: RequestInit): Promise<ApiResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
  return { status: res.status, headers: res.headers, text, body: isJson && text ? JSON.parse(text) : undefined };
}

/** What exists on the fuzzed server's default site, for requests to point at. */
interface ApiFixture {
  commentId: string;
  replyId: string;
  userId: string;
}

let fuzzUsers = 0;

/**
 * A sensible value for each field name the route schemas use, so a mutated
 * request gets past the fields it leaves alone. A new field without a sample
 * gets 'x', which is fuzzing too.
 */
function sampleValues(f: ApiFixture): Record<string, unknown> {
  return {
    site: 'default',
    page: '/fuzz',
    pageUrl: 'https://example.com/fuzz',
    pageTitle: 'Fuzz',
    parentId: f.commentId,
    body: 'Hello **there**',
    id: f.commentId,
    userId: f.userId,
    name: 'Fuzzy',
    email: `fuzz-${++fuzzUsers}@example.com`,
    password: PASSWORD,
    currentPassword: PASSWORD,
    newPassword: 'another long passphrase',
    sort: 'oldest',
    cursor: f.replyId,
    limit: 5,
    reason: 'spam',
    details: 'Because',
    queue: 'reported',
    action: 'approve',
    pinned: true,
    duration: '1d',
    removeComments: false,
    premoderation: 'off',
    reportThreshold: 3,
    bannedWords: ['bogus'],
    editWindowMinutes: 0,
    lockedPages: [],
  };
}

const shapeKeys = (schema: z.ZodType | undefined): string[] => (schema instanceof z.ZodObject ? Object.keys(schema.shape) : []);

/** A JSON object with these entries in order, duplicates and `__proto__` included, as text (an object literal would eat `__proto__`). */
const jsonObject = (entries: [string, unknown][]) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`;

/** Entries of a valid input with some replaced, some removed and some added: wrong types, huge strings, prototype keys. */
const mutatedEntries = (keys: string[], samples: Record<string, unknown>) =>
  fc
    .tuple(
      fc.subarray(keys),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys, ...PROTO_KEYS), fc.string({ maxLength: 12 })), hostileValue), { maxLength: 4 }),
    )
    .map(([kept, extra]): [string, unknown][] => [...kept.map((key): [string, unknown] => [key, samples[key] ?? 'x']), ...extra]);

const MALFORMED_URL_PIECES = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%2e%2e', '..', '%2F', '%uFFFF', '%%'];

/** A path parameter: a real id, something close to one, or anything at all. */
const paramValue = (sample: unknown) =>
  fc.oneof(
    fc.constant(String(sample)),
    fc.constantFrom('0', '-1', '1.5', '9999999999999999', '99999999999999999999', '1e3', ' 1', '0x1'),
    fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
    fc.constantFrom(...MALFORMED_URL_PIECES),
  );

/** A query string: the route's own keys kept, mangled or repeated, plus strangers and malformed escapes. */
const queryString = (keys: string[], samples: Record<string, unknown>) =>
  fc
    .tuple(
      mutatedEntries(keys, samples),
      fc.array(fc.constantFrom(...MALFORMED_URL_PIECES), { maxLength: 2 }),
    )
    .map(([entries, raw]) =>
      [
        ...entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value) ?? '')}`),
        ...raw.map((piece) => `${piece}=${piece}`),
      ].join('&'),
    );

type Body =
  | { kind: 'none' }
  | { kind: 'json'; text: string }
  | { kind: 'raw'; text: string; contentType?: string; contentEncoding?: string };

/** A body: mutated valid JSON, any JSON value, or bytes that are not JSON, under various content types. */
const bodyOf = (keys: string[], samples: Record<string, unknown>): fc.Arbitrary<Body> =>
  fc.oneof(
    { arbitrary: mutatedEntries(keys, samples).map((entries): Body => ({ kind: 'json', text: jsonObject(entries) })), weight: 6 },
    { arbitrary: hostileValue.map((value): Body => ({ kind: 'json', text: JSON.stringify(value) ?? 'undefined' })), weight: 2 },
    { arbitrary: fc.constant<Body>({ kind: 'none' }), weight: 1 },
    {
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 100 }),
            fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{', '[]', 'null', '"x"', '{"a":1}{'),
            fc.integer({ min: 1, max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
            fc.constant(JSON.stringify({ body: 'x'.repeat(70 * 1024) })),
          ),
          fc.constantFrom(
            undefined,
            'application/json',
            'application/json; charset=utf-8',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'application/vnd.api+json',
            'text/plain',
            'application/x-www-form-urlencoded',
          ),
          // A body that claims a compression it does not have.
          fc.constantFrom(undefined, undefined, 'gzip', 'deflate', 'br', 'identity', 'x-unknown'),
        )
        .map(([text, contentType, contentEncoding]): Body => ({ kind: 'raw', text, contentType, contentEncoding })),
      weight: 2,
    },
  );

const authorizationOf = fc.oneof(
  { arbitrary: fc.constantFrom('none', 'commenter', 'moderator'), weight: 6 },
  {
    arbitrary: fc.tuple(fc.constantFrom('Bearer ', 'bearer ', 'Basic ', '', 'Bearer  '), fc.string({ unit: 'grapheme-ascii', maxLength: 300 })).map(([scheme, token]) => `${scheme}${token}`),
    weight: 1,
  },
);

/** Whatever a client could send to one route. */
const requestOf = (spec: RouteSpec, samples: Record<string, unknown>) =>
  fc.record({
    params: fc.record(Object.fromEntries(shapeKeys(spec.params).map((key) => [key, paramValue(samples[key])]))),
    query: queryString(shapeKeys(spec.query), samples),
    body: bodyOf(shapeKeys(spec.body), samples),
    authorization: authorizationOf,
  });

describe('the REST API, under property-based fuzzing', () => {
  const running = sharedServer();
  let fixture: ApiFixture | undefined;

  /** One comment with a reply on the default site, made once for the whole describe. */
  async function apiFixture({ server, url }: RunningServer): Promise<ApiFixture> {
    if (fixture) return fixture;
    const author = await quickUser(server, 'Fuzz author');
    const { comment } = await postComment(url, author.token, 'The comment fuzzing aims at', { page: '/fuzz' });
    const reply = await postComment(url, author.token, 'And a reply', { page: '/fuzz', parentId: comment.id });
    fixture = { commentId: comment.id, replyId: reply.comment.id, userId: author.id };
    return fixture;
  }

  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  it.each(Object.keys(routes) as OperationId[])('%s: no input gets a 5xx or an answer outside the protocol', async (operationId) => {
    const server = running();
    const spec = routes[operationId] as RouteSpec;
    const samples = sampleValues(await apiFixture(server));

    await fc.assert(
      fc.asyncProperty(requestOf(spec, samples), async ({ params, query, body, authorization }) => {
        const headers: Record<string, string> = {};
        if (authorization === 'commenter' || authorization === 'moderator') {
          // A fresh caller each run: fuzzing signOut, changePassword or deleteMyAccount must not end the next run's session.
          const name = `fuzz-${++fuzzUsers}`;
          const caller = await quickUser(server.server, name, { site: 'default', role: authorization });
          headers.authorization = `Bearer ${caller.token}`;
        } else if (authorization !== 'none') {
          headers.authorization = authorization;
        }
        let payload: string | undefined;
        // fetch refuses a body on a GET, and GET routes read none.
        if (spec.method !== 'get' && body.kind !== 'none') {
          payload = body.text;
          if (body.kind === 'json') headers['content-type'] = 'application/json';
          if (body.kind === 'raw' && body.contentType) headers['content-type'] = body.contentType;
          if (body.kind === 'raw' && body.contentEncoding) headers['content-encoding'] = body.contentEncoding;
        }
        // Not endpointPath(): it would encode the malformed escapes that are the point here.
        const path = spec.path.replace(/:([A-Za-z]+)/g, (_m, key: string) => params[key] ?? '') + (query ? `?${query}` : '');
        expectWellFormed(await send(`${server.url}${path}`, { method: spec.method.toUpperCase(), headers, body: payload }), spec);
      }),
      runs(100),
    );

    const health = await api(server.url, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a malformed escape in the path, and a body that lies about its compression, with 400, not 500', async () => {
    const { url } = running();
    for (const path of ['/api/comments/%E0%A4%A', '/api/comments/%', '/api/comments/%zz/reports']) {
      expect(expectError(await api(url, 'GET', path), 400, 'validation_failed').message).toBe('The request URL is not valid.');
    }
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await send(`${url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: '{"email":"a@example.com","password":"x"}',
      });
      expectError(res, 400, 'malformed_body');
    }
  });

  it('answers any method on any path under /api in the protocol, never with a 5xx', async () => {
    const server = running();
    const segment = fc.oneof(
      fc.constantFrom('api', 'comments', 'me', 'moderation', 'auth', 'blocks', '1', ...PROTO_KEYS, ...MALFORMED_URL_PIECES),
      fc.string({ unit: 'binary', maxLength: 10 }).map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'),
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        async (method, segments) => {
          const res = await send(`${server.url}/api/${segments.join('/')}`, { method });
          expect(res.status, res.text).toBeLessThan(500);
          if (res.status >= 400 && method !== 'HEAD') expectProtocolError(res);
        },
      ),
      runs(200),
    );
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  });
});

// ----- Sockets -----

type ClientEvent = keyof ClientToServerEvents;

/**
 * A payload for each client event: a mangled version of a real request, or
 * anything at all. A client event added to the protocol without an entry here
 * fails to compile.
 */
const payloadArbitraries = (moderatorToken: string): Record<ClientEvent, fc.Arbitrary<unknown>> => {
  const site = fc.oneof(fc.constant('default'), fc.constantFrom('nowhere', 'Default', '', 'a'.repeat(65)), hostileValue);
  const page = fc.oneof(fc.constant('/a'), fc.string({ unit: 'binary', maxLength: 30 }), hostileValue);
  const mangled = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
    fc.oneof({ arbitrary: fc.record(fields, { requiredKeys: [] }), weight: 3 }, { arbitrary: hostileValue, weight: 1 });
  return {
    'page:join': mangled({ site, page, since: fc.oneof(fc.integer({ min: -5, max: 1_000_000 }), fc.double(), hostileValue) }),
    'page:leave': mangled({ site, page }),
    'moderation:join': mangled({ site, token: fc.oneof(fc.constant(moderatorToken), fc.string({ maxLength: 300 }), hostileValue) }),
    'moderation:leave': mangled({ site }),
  };
};

const REPLY_SCHEMAS: Partial<Record<ClientEvent, z.ZodType>> = { 'page:join': JoinPageReply, 'moderation:join': JoinModerationReply };

/** Resolves once the server has handled everything sent before, or once it has dropped the socket. */
async function settle(socket: ClientSocket): Promise<'alive' | 'gone'> {
  if (!socket.connected) return 'gone';
  const gone = new Promise<'gone'>((resolve) => socket.once('disconnect', () => resolve('gone')));
  return Promise.race([roundTrip(socket).then(() => 'alive' as const), gone]);
}

/** Connects the socket again if the server dropped it (as it may, for a message it cannot parse). */
async function revive(socket: ClientSocket): Promise<void> {
  if (socket.connected) return;
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  socket.connect();
  await within(connected, 'the fuzzing socket to reconnect');
}

/**
 * A reader following `/a` on a second connection: whatever the fuzzer sent, it
 * is still connected and hears a comment posted afterwards, and the server
 * still answers HTTP.
 */
async function expectOthersUnharmed({ server, url }: RunningServer, bystander: ClientSocket, log: EventLog): Promise<void> {
  expect(bystander.connected).toBe(true);
  const author = await quickUser(server, `Bystander author ${++fuzzUsers}`, { email: `bystander-${fuzzUsers}@example.com` });
  const seen = log.events.length;
  const { comment } = await postComment(url, author.token, 'Still here?');
  const events = await log.waitFor(seen + 1);
  expect(events.at(-1)).toMatchObject({ type: 'comment:created', comment: { id: comment.id } });
  expect((await api(url, 'GET', '/healthz')).status).toBe(200);
}

describe('the socket server, under property-based fuzzing', () => {
  const running = sharedServer();

  async function setup() {
    const server = running();
    const moderator = await quickUser(server.server, `Socket moderator ${++fuzzUsers}`, {
      email: `socket-mod-${fuzzUsers}@example.com`,
      site: 'default',
      role: 'moderator',
    });
    const bystander = await connect(server.url);
    const log = new EventLog(bystander);
    expect((await joinPage(bystander, '/a')).ok).toBe(true);
    const fuzzer = await connect(server.url);
    return { server, moderator, bystander, log, fuzzer };
  }

  it('survives any arguments to every client event, with or without an ack, and answers acks in the protocol', async () => {
    const { server, moderator, bystander, log, fuzzer } = await setup();
    const payloads = payloadArbitraries(moderator.token);
    const replies: { event: ClientEvent; reply: unknown }[] = [];
    const events = Object.keys(payloads) as ClientEvent[];

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...events).chain((event) =>
          fc.record({
            event: fc.constant(event),
            args: fc.array(fc.oneof({ arbitrary: payloads[event], weight: 4 }, { arbitrary: fc.uint8Array({ maxLength: 64 }).map(Buffer.from), weight: 1 }), {
              maxLength: 3,
            }),
            ack: fc.constantFrom('none', 'function', 'not a function'),
            stray: hostileValue,
          }),
        ),
        async ({ event, args, ack, stray }) => {
          await revive(fuzzer);
          const raw = untyped(fuzzer);
          if (ack === 'function') raw.emit(event, ...args, (reply: unknown) => replies.push({ event, reply }));
          else if (ack === 'not a function') raw.emit(event, ...args, stray);
          else raw.emit(event, ...args);
          await settle(fuzzer);
        },
      ),
      runs(300),
    );

    await revive(fuzzer);
    await settle(fuzzer);
    for (const { event, reply } of replies) REPLY_SCHEMAS[event]?.parse(reply);
    await expectOthersUnharmed(server, bystander, log);
  });

  it('survives raw socket.io packets no client library would send', async () => {
    const { server, bystander, log, fuzzer } = await setup();
    const eventName = fc.oneof(
      fc.constantFrom('page:join', 'page:leave', 'moderation:join', 'moderation:leave', 'disconnect', 'disconnecting', 'connect', 'error', 'newListener', 'removeListener', ...PROTO_KEYS),
      fc.string({ maxLength: 12 }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const json = fc.jsonValue({ maxDepth: 3 });
    const ackId = fc.option(fc.nat(), { nil: undefined }).map((id) => (id === undefined ? '' : String(id)));
    const packet = fc.oneof(
      // EVENT and ACK packets with any event name and arguments.
      fc.tuple(fc.constantFrom('2', '3'), ackId, eventName, fc.array(json, { maxLength: 3 })).map(([type, id, name, args]) => `${type}${id}${JSON.stringify([name, ...args])}`),
      // Any packet type with any data, including namespaces and binary placeholders that point nowhere.
      fc.tuple(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '51-', '52-/admin,'), ackId, json).map(([type, id, data]) => `${type}${id}${JSON.stringify(data)}`),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );

    await fc.assert(
      fc.asyncProperty(packet, async (text) => {
        await revive(fuzzer);
        (fuzzer.io.engine as unknown as { send(data: string): void }).send(text);
        await settle(fuzzer);
      }),
      runs(300),
    );

    await expectOthersUnharmed(server, bystander, log);
  });

  it('drops a connection that sends an oversized message, and only that one', async () => {
    const { server, bystander, log } = await setup();
    const flooder = await connect(server.url);
    untyped(flooder).emit('page:join', { site: 'default', page: 'x'.repeat(64 * 1024) });
    await within(new Promise((resolve) => (flooder.connected ? flooder.once('disconnect', resolve) : resolve(undefined))), 'the flooder to be dropped', WAIT_MS);
    await expectOthersUnharmed(server, bystander, log);
  });
});
