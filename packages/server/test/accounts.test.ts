import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MeResponse, Session } from '@parley/protocol';
import { PASSWORD, api, cleanup, expectError, expectOk, signUp, startServer, tmpDir } from './helpers.js';

afterEach(cleanup);

const signUpBody = (overrides: Record<string, unknown> = {}) => ({
  site: 'default',
  name: 'Alice',
  email: 'alice@example.com',
  password: PASSWORD,
  ...overrides,
});

describe('POST /api/auth/sign-up', () => {
  it('creates a commenter and returns a session token with 201', async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/auth/sign-up', { body: signUpBody() });
    const session = expectOk(res, 201, Session);
    expect(session.token.length).toBeGreaterThanOrEqual(32);
    expect(session.user).toMatchObject({ name: 'Alice', email: 'alice@example.com', role: 'commenter' });
    // testConfig keeps sessions for 30 days.
    const days = (Date.parse(session.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses an email already taken, ignoring case and surrounding spaces, with 409', async () => {
    const { url } = await startServer();
    await signUp(url, 'Alice');
    const res = await api(url, 'POST', '/api/auth/sign-up', {
      body: signUpBody({ name: 'Impostor', email: '  ALICE@Example.COM  ' }),
    });
    const error = expectError(res, 409, 'email_taken');
    expect(error.fields).toHaveProperty('email');
  });

  it('refuses a short password with 400 naming the field', async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/auth/sign-up', { body: signUpBody({ password: 'short' }) });
    const error = expectError(res, 400, 'validation_failed');
    expect(error.fields?.password).toBe('Password must be at least 8 characters.');
    expect(Object.keys(error.fields ?? {})).toEqual(['password']);
  });

  it('refuses a malformed email with 400 naming the field', async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/auth/sign-up', { body: signUpBody({ email: 'alice-at-example' }) });
    const error = expectError(res, 400, 'validation_failed');
    expect(error.fields?.email).toBe('Enter a valid email address.');
  });

  it('says a missing name is required', async () => {
    const { url } = await startServer();
    const { name: _name, ...body } = signUpBody();
    const error = expectError(await api(url, 'POST', '/api/auth/sign-up', { body }), 400, 'validation_failed');
    expect(error.fields?.name).toBe('Name is required.');
    expect(error.message).toBe('Name is required.');
  });

  it('does not call a name of the wrong type missing', async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/auth/sign-up', { body: signUpBody({ name: 42 }) });
    const error = expectError(res, 400, 'validation_failed');
    expect(error.fields?.name).toBeDefined();
    expect(error.fields?.name).not.toMatch(/required/);
  });

  it('refuses a blank name and one with control characters', async () => {
    const { url } = await startServer();
    for (const name of ['   ', 'Al\u0007ice']) {
      const res = await api(url, 'POST', '/api/auth/sign-up', { body: signUpBody({ name }) });
      expect(expectError(res, 400, 'validation_failed').fields).toHaveProperty('name');
    }
  });

  it('refuses a request with no body with 400', async () => {
    const { url } = await startServer();
    const error = expectError(await api(url, 'POST', '/api/auth/sign-up'), 400, 'validation_failed');
    expect(error.fields).toHaveProperty('body');
  });

  it('answers 404 site_not_found for a site the server does not serve', async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/auth/sign-up', { body: signUpBody({ site: 'elsewhere' }) });
    expectError(res, 404, 'site_not_found');
  });
});

describe('POST /api/auth/sign-in', () => {
  it('signs in with the password, whatever the case of the email', async () => {
    const { url } = await startServer();
    const first = await signUp(url, 'Alice');
    const res = await api(url, 'POST', '/api/auth/sign-in', {
      body: { site: 'default', email: ' ALICE@example.com', password: PASSWORD },
    });
    const session = expectOk(res, 200, Session);
    expect(session.user).toEqual(first.user);
    expect(session.token).not.toBe(first.token);
  });

  it('refuses a wrong password with 401 invalid_credentials', async () => {
    const { url } = await startServer();
    await signUp(url, 'Alice');
    const res = await api(url, 'POST', '/api/auth/sign-in', {
      body: { site: 'default', email: 'alice@example.com', password: 'not the password' },
    });
    expectError(res, 401, 'invalid_credentials');
  });

  it('answers an unknown email exactly as a wrong password, so accounts cannot be probed', async () => {
    const { url } = await startServer();
    await signUp(url, 'Alice');
    const wrongPassword = await api(url, 'POST', '/api/auth/sign-in', {
      body: { site: 'default', email: 'alice@example.com', password: 'not the password' },
    });
    const unknownEmail = await api(url, 'POST', '/api/auth/sign-in', {
      body: { site: 'default', email: 'nobody@example.com', password: PASSWORD },
    });
    expectError(unknownEmail, 401, 'invalid_credentials');
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
  });

  it('answers 404 site_not_found for an unknown site', async () => {
    const { url } = await startServer();
    await signUp(url, 'Alice');
    const res = await api(url, 'POST', '/api/auth/sign-in', {
      body: { site: 'elsewhere', email: 'alice@example.com', password: PASSWORD },
    });
    expectError(res, 404, 'site_not_found');
  });
});

describe('GET /api/me', () => {
  it('returns the signed-in user and their role on the site', async () => {
    const { url } = await startServer();
    const session = await signUp(url, 'Alice');
    const me = expectOk(await api(url, 'GET', '/api/me?site=default', { token: session.token }), 200, MeResponse);
    expect(me.user).toEqual(session.user);
  });

  it('refuses a request without a token with 401', async () => {
    const { url } = await startServer();
    expectError(await api(url, 'GET', '/api/me?site=default'), 401, 'unauthenticated');
  });

  it('refuses a token it never issued with 401', async () => {
    const { url } = await startServer();
    await signUp(url, 'Alice');
    for (const token of ['garbage', 'not a token at all!', 'x'.repeat(500)]) {
      expectError(await api(url, 'GET', '/api/me?site=default', { token }), 401, 'unauthenticated');
    }
    const res = await api(url, 'GET', '/api/me?site=default', { headers: { authorization: 'Basic YWxpY2U6cHc=' } });
    expectError(res, 401, 'unauthenticated');
  });

  it("answers for the server's default site when no site is named", async () => {
    const { url } = await startServer();
    const { token } = await signUp(url, 'Alice');
    const { user } = expectOk(await api(url, 'GET', '/api/me', { token }), 200, MeResponse);
    expect(user).toMatchObject({ name: 'Alice', role: 'commenter' });
  });

  it('refuses a malformed site id', async () => {
    const { url } = await startServer();
    const { token } = await signUp(url, 'Alice');
    const error = expectError(await api(url, 'GET', '/api/me?site=Not%20A%20Site', { token }), 400, 'validation_failed');
    expect(error.fields).toHaveProperty('site');
  });

  it('answers 404 site_not_found for an unknown site', async () => {
    const { url } = await startServer();
    const { token } = await signUp(url, 'Alice');
    expectError(await api(url, 'GET', '/api/me?site=elsewhere', { token }), 404, 'site_not_found');
  });
});

describe('POST /api/auth/sign-out', () => {
  it('revokes the token it was sent with 204, and only that one', async () => {
    const { url } = await startServer();
    const first = await signUp(url, 'Alice');
    const second = expectOk(
      await api(url, 'POST', '/api/auth/sign-in', { body: { site: 'default', email: 'alice@example.com', password: PASSWORD } }),
      200,
      Session,
    );
    const res = await api(url, 'POST', '/api/auth/sign-out', { token: first.token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await api(url, 'GET', '/api/me?site=default', { token: first.token }), 401, 'unauthenticated');
    expect((await api(url, 'GET', '/api/me?site=default', { token: second.token })).status).toBe(200);
  });

  it('refuses a signed-out request with 401', async () => {
    const { url } = await startServer();
    expectError(await api(url, 'POST', '/api/auth/sign-out'), 401, 'unauthenticated');
  });
});

describe('stored credentials', () => {
  it('keeps neither the session token nor the password in the database', async () => {
    const dir = await tmpDir();
    const dbPath = path.join(dir, 'parley.db');
    const { server, url } = await startServer({ dbPath });
    const session = await signUp(url, 'Alice');
    await server.close();

    const db = new Database(dbPath, { readonly: true });
    try {
      const sessions = db.prepare('SELECT token_hash FROM sessions').pluck().all() as string[];
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).not.toContain(session.token);
      expect(sessions[0]).toMatch(/^[0-9a-f]{64}$/);
      const hashes = db.prepare('SELECT password_hash FROM users').pluck().all() as string[];
      expect(hashes).toHaveLength(1);
      expect(hashes[0]).not.toContain(PASSWORD);
      expect(hashes[0]).toMatch(/^scrypt\$/);
    } finally {
      db.close();
    }
  });

  it('keeps sessions and accounts across a restart on the same file', async () => {
    const dir = await tmpDir();
    const dbPath = path.join(dir, 'parley.db');
    const first = await startServer({ dbPath });
    const session = await signUp(first.url, 'Alice');
    await first.server.close();

    const { url } = await startServer({ dbPath });
    const me = expectOk(await api(url, 'GET', '/api/me?site=default', { token: session.token }), 200, MeResponse);
    expect(me.user.email).toBe('alice@example.com');
  });

  it('refuses a session past its expiry with 401', async () => {
    const dir = await tmpDir();
    const dbPath = path.join(dir, 'parley.db');
    const first = await startServer({ dbPath });
    const session = await signUp(first.url, 'Alice');
    await first.server.close();

    const db = new Database(dbPath);
    try {
      db.prepare('UPDATE sessions SET expires_at = ?').run(new Date(Date.now() - 1000).toISOString());
    } finally {
      db.close();
    }
    const { url } = await startServer({ dbPath });
    const error = expectError(await api(url, 'GET', '/api/me?site=default', { token: session.token }), 401, 'unauthenticated');
    expect(error.message).toMatch(/expired/);
  });
});
