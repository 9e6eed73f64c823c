import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, testConfig } from '../src/config.js';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: undefined,
      dbPath: './data/parley.db',
      site: 'default',
      sessionDays: 30,
      eventRetention: 1000,
      bodyLimitBytes: 64 * 1024,
      logLevel: 'info',
      publicUrl: undefined,
    });
    expect(config.origins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
    expect(config.embedFile).toMatch(/widget[\\/]dist[\\/]embed\.js$/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PARLEY_PORT: '', PARLEY_ORIGINS: '', PARLEY_DB: '' })).toMatchObject({
      port: 3000,
      dbPath: './data/parley.db',
      origins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
    });
  });

  it('moves the default origins to EXAMPLE_PORT', () => {
    expect(loadConfig({ EXAMPLE_PORT: '6000' }).origins).toEqual(['http://localhost:6000', 'http://127.0.0.1:6000']);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PARLEY_PORT: '8080',
      PARLEY_HOST: '127.0.0.1',
      PARLEY_DB: '/tmp/x.db',
      PARLEY_ORIGINS: 'https://blog.example, http://localhost:4000/',
      PARLEY_SITE: 'my-blog',
      PARLEY_SESSION_DAYS: '7',
      PARLEY_EVENT_RETENTION: '50',
      PARLEY_BODY_LIMIT_KB: '2',
      PARLEY_EMBED_FILE: '/srv/embed.js',
      PARLEY_ADMIN_FILE: '/srv/admin.js',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_PUBLIC_URL: 'https://comments.example',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dbPath: '/tmp/x.db',
      origins: ['https://blog.example', 'http://localhost:4000'],
      site: 'my-blog',
      sessionDays: 7,
      eventRetention: 50,
      bodyLimitBytes: 2048,
      embedFile: '/srv/embed.js',
      adminFile: '/srv/admin.js',
      logLevel: 'warn',
      publicUrl: 'https://comments.example',
    });
  });

  for (const port of ['abc', '70000', '-1', '3000.5']) {
    it(`refuses PARLEY_PORT=${port}, naming the variable`, () => {
      const error = configError({ PARLEY_PORT: port });
      expect(error.message).toContain('PARLEY_PORT');
      expect(error.message).toContain(JSON.stringify(port));
    });
  }

  for (const origins of ['not a url', 'http://x.com/path', 'ftp://x.com', 'http://ok.example,https://x.com/path']) {
    it(`refuses PARLEY_ORIGINS=${origins}, naming the variable`, () => {
      const error = configError({ PARLEY_ORIGINS: origins });
      expect(error.message).toContain('PARLEY_ORIGINS');
      expect(error.problems).toHaveLength(1);
    });
  }

  it('names every bad variable at once', () => {
    const error = configError({ PARLEY_PORT: 'abc', PARLEY_SITE: 'Not A Site', PARLEY_LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(3);
    for (const name of ['PARLEY_PORT', 'PARLEY_SITE', 'PARLEY_LOG_LEVEL']) expect(error.message).toContain(name);
  });
  it('checks PARLEY_ORIGINS along with the other variables', () => {
    const error = configError({ PARLEY_PORT: 'abc', PARLEY_ORIGINS: 'not a url' });
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('PARLEY_PORT');
    expect(error.message).toContain('PARLEY_ORIGINS');
  });
});

describe('testConfig', () => {
  it('uses an in-memory database, a free port and silent logs, and applies overrides', () => {
    expect(testConfig()).toMatchObject({ dbPath: ':memory:', port: 0, logLevel: 'silent' });
    expect(testConfig({ eventRetention: 10 }).eventRetention).toBe(10);
  });
});
