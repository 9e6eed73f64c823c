import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MeResponse, Session } from '@parley/protocol';
import { main } from '../src/cli.js';
import { PASSWORD, api, cleanup, expectOk, startServer, tmpDir } from './helpers.js';

const savedDb = process.env.PARLEY_DB;
let dbPath: string;
let output: { log: string[]; error: string[] };

beforeEach(async () => {
  dbPath = path.join(await tmpDir(), 'parley.db');
  process.env.PARLEY_DB = dbPath;
  output = { log: [], error: [] };
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void output.log.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void output.error.push(args.join(' ')));
});

afterEach(async () => {
  vi.restoreAllMocks();
  if (savedDb === undefined) delete process.env.PARLEY_DB;
  else process.env.PARLEY_DB = savedDb;
  await cleanup();
});

const createUser = (...extra: string[]) =>
  main(['user', 'create', '--email', 'mod@example.com', '--name', 'Mo Derator', '--password', PASSWORD, ...extra]);

async function signIn(email = 'mod@example.com') {
  const { url } = await startServer({ dbPath });
  const res = await api(url, 'POST', '/api/auth/sign-in', { body: { site: 'default', email, password: PASSWORD } });
  const session = expectOk(res, 200, Session);
  return expectOk(await api(url, 'GET', '/api/me?site=default', { token: session.token }), 200, MeResponse).user;
}

describe('parley user create', () => {
  it('adds a user to the PARLEY_DB database who can then sign in', async () => {
    expect(await createUser()).toBe(0);
    expect(output.log.join('\n')).toContain('mod@example.com');
    expect(await signIn()).toMatchObject({ name: 'Mo Derator', email: 'mod@example.com', role: 'commenter' });
  });

  it('exits 0 as a real process once the user is created (the store closes all it opened)', async () => {
    const bin = fileURLToPath(new URL('../bin/parley.mjs', import.meta.url));
    const args = [bin, 'user', 'create', '--email', 'proc@example.com', '--name', 'Proc', '--password', PASSWORD];
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, args, { env: { ...process.env, PARLEY_DB: dbPath }, timeout: 30_000 }, (_error, stdout) =>
        resolve({ code: child.exitCode, stdout }),
      );
    });
    expect(result.stdout).toContain('proc@example.com');
    expect(result.code).toBe(0);
  });

  it('gives the role named by --role on the site', async () => {
    expect(await createUser('--role', 'moderator')).toBe(0);
    expect((await signIn()).role).toBe('moderator');
  });

  it('fails with exit code 1 when the email is taken', async () => {
    expect(await createUser()).toBe(0);
    expect(await main(['user', 'create', '--email', 'MOD@example.com', '--name', 'Other', '--password', PASSWORD])).toBe(1);
    expect(output.error.join('\n')).toContain('An account with this email already exists.');
    expect((await signIn()).name).toBe('Mo Derator');
  });

  it('fails with exit code 1 and usage when --email is missing', async () => {
    expect(await main(['user', 'create', '--name', 'Mo', '--password', PASSWORD])).toBe(1);
    expect(output.error.join('\n')).toMatch(/--email/);
    expect(output.error.join('\n')).toContain('Usage:');
  });

  it('fails with exit code 1 on an unknown role or option', async () => {
    expect(await createUser('--role', 'admin')).toBe(1);
    expect(output.error.join('\n')).toContain('--role');
    expect(await createUser('--colour', 'blue')).toBe(1);
  });
});

describe('parley', () => {
  it('prints usage for help and fails on an unknown command', async () => {
    expect(await main(['help'])).toBe(0);
    expect(output.log.join('\n')).toContain('Usage:');
    expect(await main(['frobnicate'])).toBe(1);
    expect(output.error.join('\n')).toContain('Unknown command: frobnicate');
  });
});
