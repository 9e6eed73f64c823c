import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommentResponse, ReportResponse, Session, buildOpenApiDocument, routes, type OperationId } from '@parley/protocol';
import { rateLimitNames, testConfig, type Config, type RateLimitName, type RateLimitRule } from '../src/config.js';
import { rateLimits } from '../src/http/rate-limits.js';
import {
  ALLOWED_ORIGIN,
  PASSWORD,
  api,
  callRoute,
  cleanup,
  expectError,
  expectOk,
  listComments,
  postComment,
  signUp,
  startServer,
  type ApiResponse,
} from './helpers.js';

const MINUTE = 60_000;

// Date alone is faked: it stands still unless a test moves it, so every
// Retry-After is the whole window, and a window passes when a test says so.
// Timers stay real, so HTTP works as usual.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(async () => {
  await cleanup();
  vi.useRealTimers();
});

/**
 * A server whose named limits are small and whose other limits are as high as
 * in every other test, so a test meets only the limit it is about.
 */
function startWithLimits(small: Partial<Record<RateLimitName, RateLimitRule>>, overrides: Partial<Config> = {}) {
  return startServer({ rateLimits: { ...testConfig().rateLimits!, ...small }, ...overrides });
}

const signIn = (url: string, email: string, password: string, headers: Record<string, string> = {}) =>
  api(url, 'POST', '/api/auth/sign-in', { body: { site: 'default', email, password }, headers });

const signUpAs = (url: string, name: string, headers: Record<string, string> = {}) =>
  api(url, 'POST', '/api/auth/sign-up', {
    body: { site: 'default', name, email: `${name.toLowerCase()}@example.com`, password: PASSWORD },
    headers,
  });

const post = (url: string, token: string, body: string) =>
  callRoute(url, 'createComment', { token, body: { site: 'default', page: '/a', body } });

const edit = (url: string, token: string, id: string, body: string) =>
  callRoute(url, 'updateComment', { token, params: { id }, query: { site: 'default' }, body: { body } });

const report = (url: string, token: string, id: string) =>
  callRoute(url, 'reportComment', { token, params: { id }, body: { site: 'default', reason: 'spam' } });

/** Asserts a 429 with Retry-After and a message that starts with `lead` and says when to try again. */
function expectLimited(res: ApiResponse, lead: string, retryAfterSeconds: number, wait: string): void {
  const error = expectError(res, 429, 'rate_limited');
  expect(res.headers.get('retry-after')).toBe(String(retryAfterSeconds));
  expect(error.message).toBe(`${lead} Try again in ${wait}.`);
}

describe('the rate limit table', () => {
  it('lists rate_limited in the protocol errors of exactly the routes it limits', () => {
    const limited = Object.keys(rateLimits).sort();
    const declared = (Object.keys(routes) as OperationId[]).filter((id) => (routes[id].errors as readonly string[]).includes('rate_limited'));
    expect(declared.sort()).toEqual(limited);
  });

  it('uses every configured limit on some route', () => {
    const used = new Set(Object.values(rateLimits).flat());
    expect([...used].sort()).toEqual([...rateLimitNames].sort());
  });

  it('documents a 429 answer for each limited route in the OpenAPI document', () => {
    const doc = buildOpenApiDocument({ version: 'test' }) as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    const with429 = Object.values(doc.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((operation) => '429' in operation.responses)
      .map((operation) => operation.operationId);
    expect(with429.sort()).toEqual(Object.keys(rateLimits).sort());
  });
});

describe('signIn, per account', () => {
  it('refuses the next attempt with 429 after too many failures, even with the right password', async () => {
    const { url } = await startWithLimits({ signInAccount: { limit: 3, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    for (let i = 0; i < 3; i++) expectError(await signIn(url, 'alice@example.com', 'wrong password'), 401, 'invalid_credentials');

    const res = await signIn(url, 'alice@example.com', PASSWORD);

    expectLimited(res, 'Too many failed sign-ins for this account.', 900, '15 minutes');
  });

  it('counts one account whatever the case and spacing of its email', async () => {
    const { url } = await startWithLimits({ signInAccount: { limit: 2, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    expectError(await signIn(url, 'ALICE@example.com', 'wrong'), 401, 'invalid_credentials');
    expectError(await signIn(url, '  alice@EXAMPLE.com ', 'wrong'), 401, 'invalid_credentials');

    expectError(await signIn(url, 'Alice@Example.Com', PASSWORD), 429, 'rate_limited');
  });

  it('leaves other accounts alone', async () => {
    const { url } = await startWithLimits({ signInAccount: { limit: 2, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    await signUp(url, 'Bob');
    for (let i = 0; i < 3; i++) await signIn(url, 'alice@example.com', 'wrong');

    expectOk(await signIn(url, 'bob@example.com', PASSWORD), 200, Session);
  });

  it('limits an unknown email exactly as a known one, so the limit cannot probe accounts', async () => {
    const { url } = await startWithLimits({ signInAccount: { limit: 2, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    const answers = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await signIn(url, email, 'wrong');
        out.push(`${res.status} ${(res.body as { error: { message: string } }).error.message}`);
      }
      return out;
    };

    expect(await answers('nobody@example.com')).toEqual(await answers('alice@example.com'));
  });

  it('counts only failures: a success clears the count', async () => {
    const { url } = await startWithLimits({ signInAccount: { limit: 3, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expectError(await signIn(url, 'alice@example.com', 'wrong'), 401, 'invalid_credentials');
      expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
    }
  });

  it('lets the account try again once the window has passed', async () => {
    const { url } = await startWithLimits({ signInAccount: { limit: 1, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    expectError(await signIn(url, 'alice@example.com', 'wrong'), 401, 'invalid_credentials');
    expectError(await signIn(url, 'alice@example.com', PASSWORD), 429, 'rate_limited');

    vi.setSystemTime(Date.now() + 10 * MINUTE);
    expectLimited(await signIn(url, 'alice@example.com', PASSWORD), 'Too many failed sign-ins for this account.', 300, '5 minutes');

    vi.setSystemTime(Date.now() + 5 * MINUTE);
    expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
  });
});

describe('signIn, per IP', () => {
  it('refuses with 429 after too many failures from one IP, across accounts', async () => {
    const { url } = await startWithLimits({ signInIp: { limit: 3, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      expectError(await signIn(url, email, 'wrong'), 401, 'invalid_credentials');
    }

    expectLimited(await signIn(url, 'alice@example.com', PASSWORD), 'Too many failed sign-ins from your network.', 900, '15 minutes');
  });

  it('does not count successful sign-ins', async () => {
    const { url } = await startWithLimits({ signInIp: { limit: 2, windowMs: 15 * MINUTE } });
    await signUp(url, 'Alice');
    for (let i = 0; i < 5; i++) expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
    expectError(await signIn(url, 'alice@example.com', 'wrong'), 401, 'invalid_credentials');
  });

  it('does not count requests it refused as invalid before checking anything', async () => {
    const { url } = await startWithLimits({ signInIp: { limit: 1, windowMs: 15 * MINUTE } });
    for (let i = 0; i < 3; i++) expectError(await signIn(url, 'not an email', 'wrong'), 400, 'validation_failed');
    expectError(await signIn(url, 'a@example.com', 'wrong'), 401, 'invalid_credentials');
  });
});

describe('signUp, per IP', () => {
  it('refuses with 429 once an IP created enough accounts, and creates none then', async () => {
    const { url } = await startWithLimits({ signUpIp: { limit: 2, windowMs: 60 * MINUTE } });
    expectOk(await signUpAs(url, 'Alice'), 201, Session);
    expectOk(await signUpAs(url, 'Bob'), 201, Session);

    expectLimited(await signUpAs(url, 'Carol'), 'Too many sign-ups from your network.', 3600, '1 hour');

    vi.setSystemTime(Date.now() + 60 * MINUTE);
    expectError(await signIn(url, 'carol@example.com', PASSWORD), 401, 'invalid_credentials');
  });
});

describe('createComment', () => {
  it('refuses with 429 once a user posted enough, and stores nothing then', async () => {
    const { url } = await startWithLimits({ postUser: { limit: 2, windowMs: MINUTE } });
    const alice = await signUp(url, 'Alice');
    await postComment(url, alice.token, 'one');
    await postComment(url, alice.token, 'two');

    expectLimited(await post(url, alice.token, 'three'), "You're posting too fast.", 60, '1 minute');

    expect((await listComments(url)).count).toBe(2);
  });

  it('counts each user on their own', async () => {
    const { url } = await startWithLimits({ postUser: { limit: 1, windowMs: MINUTE } });
    const alice = await signUp(url, 'Alice');
    const bob = await signUp(url, 'Bob');
    await postComment(url, alice.token, 'Alice once');
    expectError(await post(url, alice.token, 'Alice twice'), 429, 'rate_limited');

    expectOk(await post(url, bob.token, 'Bob once'), 201, CommentResponse);
  });

  it('counts every user of one IP together', async () => {
    const { url } = await startWithLimits({ postIp: { limit: 3, windowMs: MINUTE } });
    const alice = await signUp(url, 'Alice');
    const bob = await signUp(url, 'Bob');
    await postComment(url, alice.token, 'one');
    await postComment(url, bob.token, 'two');
    await postComment(url, alice.token, 'three');

    expectLimited(await post(url, bob.token, 'four'), 'Too many comments from your network.', 60, '1 minute');
  });

  it('lets the user post again once the window has passed', async () => {
    const { url } = await startWithLimits({ postUser: { limit: 1, windowMs: 30_000 } });
    const alice = await signUp(url, 'Alice');
    await postComment(url, alice.token, 'one');
    expectLimited(await post(url, alice.token, 'two'), "You're posting too fast.", 30, '30 seconds');

    vi.setSystemTime(Date.now() + 30_000);
    expectOk(await post(url, alice.token, 'two'), 201, CommentResponse);
  });

  it('counts posting and editing apart', async () => {
    const { url } = await startWithLimits({ postUser: { limit: 1, windowMs: MINUTE }, editUser: { limit: 1, windowMs: MINUTE } });
    const alice = await signUp(url, 'Alice');
    const { comment } = await postComment(url, alice.token, 'one');
    expectError(await post(url, alice.token, 'two'), 429, 'rate_limited');

    expectOk(await edit(url, alice.token, comment.id, 'one, edited'), 200, CommentResponse);
  });
});

describe('updateComment', () => {
  it('refuses with 429 once a user edited enough', async () => {
    const { url } = await startWithLimits({ editUser: { limit: 2, windowMs: MINUTE } });
    const alice = await signUp(url, 'Alice');
    const { comment } = await postComment(url, alice.token, 'draft');
    expectOk(await edit(url, alice.token, comment.id, 'draft 2'), 200, CommentResponse);
    expectOk(await edit(url, alice.token, comment.id, 'draft 3'), 200, CommentResponse);

    expectLimited(await edit(url, alice.token, comment.id, 'draft 4'), "You're editing too fast.", 60, '1 minute');
  });
});

describe('reportComment', () => {
  async function withComments(small: Partial<Record<RateLimitName, RateLimitRule>>, count: number) {
    const running = await startWithLimits(small);
    const author = await signUp(running.url, 'Alice');
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await postComment(running.url, author.token, `Comment ${i}`)).comment.id);
    return { ...running, ids };
  }

  it('refuses with 429 once a user reported enough', async () => {
    const { url, ids } = await withComments({ reportUser: { limit: 2, windowMs: 60 * MINUTE } }, 3);
    const bob = await signUp(url, 'Bob');
    expectOk(await report(url, bob.token, ids[0]!), 201, ReportResponse);
    expectOk(await report(url, bob.token, ids[1]!), 201, ReportResponse);

    expectLimited(await report(url, bob.token, ids[2]!), 'Too many reports in a short time.', 3600, '1 hour');
  });

  it('counts every user of one IP together', async () => {
    const { url, ids } = await withComments({ reportIp: { limit: 2, windowMs: 60 * MINUTE } }, 2);
    const bob = await signUp(url, 'Bob');
    const carol = await signUp(url, 'Carol');
    expectOk(await report(url, bob.token, ids[0]!), 201, ReportResponse);
    expectOk(await report(url, carol.token, ids[0]!), 201, ReportResponse);

    expectLimited(await report(url, bob.token, ids[1]!), 'Too many reports from your network.', 3600, '1 hour');
  });
});

describe('trust proxy', () => {
  it('ignores X-Forwarded-For by default, so a client cannot dodge a per-IP limit with it', async () => {
    const { url } = await startWithLimits({ signUpIp: { limit: 1, windowMs: 60 * MINUTE } });
    expectOk(await signUpAs(url, 'Alice', { 'x-forwarded-for': '203.0.113.1' }), 201, Session);

    for (const [name, forwarded] of [['Bob', '203.0.113.2'], ['Carol', '198.51.100.7, 203.0.113.3'], ['Dave', '2001:db8::1']]) {
      expectError(await signUpAs(url, name!, { 'x-forwarded-for': forwarded! }), 429, 'rate_limited');
    }
  });

  it('counts the forwarded client IP when the server is told to trust its proxy', async () => {
    const { url } = await startWithLimits({ signUpIp: { limit: 1, windowMs: 60 * MINUTE } }, { trustProxy: ['loopback'] });
    expectOk(await signUpAs(url, 'Alice', { 'x-forwarded-for': '203.0.113.1' }), 201, Session);
    expectOk(await signUpAs(url, 'Bob', { 'x-forwarded-for': '203.0.113.2' }), 201, Session);

    expectError(await signUpAs(url, 'Carol', { 'x-forwarded-for': '203.0.113.2' }), 429, 'rate_limited');
  });

  it('believes only the proxies it was told about', async () => {
    // The test client connects from loopback, which this list does not name.
    const { url } = await startWithLimits({ signUpIp: { limit: 1, windowMs: 60 * MINUTE } }, { trustProxy: ['10.0.0.0/8'] });
    expectOk(await signUpAs(url, 'Alice', { 'x-forwarded-for': '203.0.113.1' }), 201, Session);

    expectError(await signUpAs(url, 'Bob', { 'x-forwarded-for': '203.0.113.2' }), 429, 'rate_limited');
  });
});

describe('a 429 answer', () => {
  it('lets a host page read Retry-After across origins', async () => {
    const { url } = await startWithLimits({ signUpIp: { limit: 1, windowMs: 60 * MINUTE } });
    await signUpAs(url, 'Alice');
    const res = await api(url, 'POST', '/api/auth/sign-up', {
      origin: ALLOWED_ORIGIN,
      body: { site: 'default', name: 'Bob', email: 'bob@example.com', password: PASSWORD },
    });

    expectError(res, 429, 'rate_limited');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain('Retry-After');
  });

  it('names the limit in the RateLimit headers of every counted request', async () => {
    const { url } = await startWithLimits({ postUser: { limit: 5, windowMs: MINUTE } });
    const alice = await signUp(url, 'Alice');
    const res = await post(url, alice.token, 'counted');

    expect(res.status).toBe(201);
    expect(res.headers.get('ratelimit')).toMatch(/"postUser"; r=4; t=60/);
  });
});

describe('PARLEY_RATE_LIMITS=off', () => {
  it('lets every request through', async () => {
    const { url } = await startServer({ rateLimits: null });
    const alice = await signUp(url, 'Alice');
    for (let i = 0; i < 12; i++) expectOk(await post(url, alice.token, `Comment ${i}`), 201, CommentResponse);
    for (let i = 0; i < 12; i++) expectError(await signIn(url, 'alice@example.com', 'wrong'), 401, 'invalid_credentials');
  });
});
