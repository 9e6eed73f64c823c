import { afterEach, describe, expect, it } from 'vitest';
import { MeResponse, Session, limits } from '@parley/protocol';
import { testConfig } from '../src/config.js';
import { PASSWORD, api, callRoute, cleanup, expectError, expectOk, signUp, startServer } from './helpers.js';

afterEach(cleanup);

const NEW_PASSWORD = 'a brand new passphrase';

const changePassword = (url: string, token: string | undefined, body: unknown) =>
  callRoute(url, 'changePassword', { token, body });

const signIn = (url: string, email: string, password: string) =>
  api(url, 'POST', '/api/auth/sign-in', { body: { site: 'default', email, password } });

const getMe = (url: string, token: string) => callRoute(url, 'getMe', { token, query: { site: 'default' } });

/** Alice signed in three times (three devices), and Bob once. */
async function setup(overrides: Parameters<typeof startServer>[0] = {}) {
  const running = await startServer(overrides);
  const { url } = running;
  const alice = await signUp(url, 'Alice');
  const laptop = expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
  const phone = expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
  const bob = await signUp(url, 'Bob');
  return { ...running, alice, laptop, phone, bob };
}

describe('changePassword', () => {
  it('answers 204 and the new password signs in, the old one no longer', async () => {
    const { url, alice } = await setup();

    const res = await changePassword(url, alice.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    expectError(await signIn(url, 'alice@example.com', PASSWORD), 401, 'invalid_credentials');
    expectOk(await signIn(url, 'alice@example.com', NEW_PASSWORD), 200, Session);
  });

  it("ends every other session of the user, keeps the one that asked, and leaves other users' alone", async () => {
    const { url, alice, laptop, phone, bob } = await setup();

    await changePassword(url, laptop.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

    expectOk(await getMe(url, laptop.token), 200, MeResponse);
    for (const other of [alice, phone]) {
      const error = expectError(await getMe(url, other.token), 401, 'unauthenticated');
      expect(error.message).toBe('Your session has expired. Please sign in again.');
    }
    expectOk(await getMe(url, bob.token), 200, MeResponse);
  });

  it('stores the new password only as a scrypt hash', async () => {
    const { url, server, alice } = await setup();
    const before = (await server.store.findUserByEmail('alice@example.com'))!.passwordHash;

    await changePassword(url, alice.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

    const after = (await server.store.findUserByEmail('alice@example.com'))!.passwordHash;
    expect(after).toMatch(/^scrypt\$/);
    expect(after).not.toBe(before);
    expect(after).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password with 401 invalid_credentials naming the field, and changes nothing', async () => {
    const { url, alice, phone } = await setup();

    const error = expectError(
      await changePassword(url, alice.token, { currentPassword: 'not my password', newPassword: NEW_PASSWORD }),
      401,
      'invalid_credentials',
    );

    expect(error.fields).toEqual({ currentPassword: 'That is not your current password.' });
    expectOk(await getMe(url, alice.token), 200, MeResponse);
    expectOk(await getMe(url, phone.token), 200, MeResponse);
    expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
  });

  it('keeps the session that sent a wrong current password', async () => {
    const { url, alice } = await setup();
    await changePassword(url, alice.token, { currentPassword: 'wrong', newPassword: NEW_PASSWORD });

    expectOk(await getMe(url, alice.token), 200, MeResponse);
  });

  for (const [label, newPassword, message] of [
    ['too short', 'x'.repeat(limits.passwordMin - 1), `Password must be at least ${limits.passwordMin} characters.`],
    ['too long', 'x'.repeat(limits.passwordMax + 1), `Password must be at most ${limits.passwordMax} characters.`],
  ] as const) {
    it(`checks the new password with the sign-up rules: refuses one ${label} with 400`, async () => {
      const { url, alice } = await setup();

      const error = expectError(await changePassword(url, alice.token, { currentPassword: PASSWORD, newPassword }), 400, 'validation_failed');

      expect(error.fields).toEqual({ newPassword: message });
      expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
    });
  }

  it('says which fields are missing', async () => {
    const { url, alice } = await setup();

    const error = expectError(await changePassword(url, alice.token, {}), 400, 'validation_failed');

    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['currentPassword', 'newPassword']);
  });

  it('refuses a signed-out request and a revoked token with 401', async () => {
    const { url, alice } = await setup();
    const body = { currentPassword: PASSWORD, newPassword: NEW_PASSWORD };
    expectError(await changePassword(url, undefined, body), 401, 'unauthenticated');
    expect((await callRoute(url, 'signOut', { token: alice.token })).status).toBe(204);

    expectError(await changePassword(url, alice.token, body), 401, 'unauthenticated');
    expectOk(await signIn(url, 'alice@example.com', PASSWORD), 200, Session);
  });
});

describe('changePassword and the sign-in limit', () => {
  const limited = () => setup({ rateLimits: { ...testConfig().rateLimits!, signInAccount: { limit: 2, windowMs: 15 * 60_000 } } });

  it('counts wrong current passwords against the account, then answers 429 and changes nothing', async () => {
    const { url, server, alice } = await limited();
    const hash = (await server.store.findUserByEmail('alice@example.com'))!.passwordHash;
    const wrong = { currentPassword: 'guess', newPassword: NEW_PASSWORD };
    expectError(await changePassword(url, alice.token, wrong), 401, 'invalid_credentials');
    expectError(await changePassword(url, alice.token, wrong), 401, 'invalid_credentials');

    const error = expectError(await changePassword(url, alice.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }), 429, 'rate_limited');

    expect(error.message).toMatch(/^Too many failed sign-ins for this account\. Try again in \d+ minutes?\.$/);
    expect((await server.store.findUserByEmail('alice@example.com'))!.passwordHash).toBe(hash);
  });

  it('shares the count with signIn for the same account', async () => {
    const { url, alice } = await limited();
    expectError(await signIn(url, 'ALICE@example.com', 'guess'), 401, 'invalid_credentials');
    expectError(await changePassword(url, alice.token, { currentPassword: 'guess', newPassword: NEW_PASSWORD }), 401, 'invalid_credentials');

    expectError(await signIn(url, 'alice@example.com', PASSWORD), 429, 'rate_limited');
  });

  it('leaves other accounts free to change theirs', async () => {
    const { url, alice, bob } = await limited();
    for (let i = 0; i < 3; i++) await changePassword(url, alice.token, { currentPassword: 'guess', newPassword: NEW_PASSWORD });

    expect((await changePassword(url, bob.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
  });
});
