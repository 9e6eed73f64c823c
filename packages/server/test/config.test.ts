import { describe, expect, it } from 'vitest';
import { ConfigError, defaultRateLimits, loadConfig, rateLimitNames, testConfig } from '../src/config.js';

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
      rateLimits: defaultRateLimits,
      trustProxy: false,
    });
    expect(config.origins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
    expect(config.embedFile).toMatch(/widget[\\/]dist[\\/]embed\.js$/);
    expect(config.countFile).toMatch(/widget[\\/]dist[\\/]count\.js$/);
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
      PARLEY_CHUNKS_DIR: '/srv/chunks',
      PARLEY_COUNT_FILE: '/srv/count.js',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_PUBLIC_URL: 'https://comments.example',
      PARLEY_TRUST_PROXY: '1',
      PARLEY_RATE_LIMITS: 'on',
      PARLEY_RATE_LIMIT_SCALE: '2',
      PARLEY_RATE_LIMIT_SIGN_IN_ACCOUNT: '3/10m',
      PARLEY_RATE_LIMIT_SIGN_IN_IP: '30/10m',
      PARLEY_RATE_LIMIT_SIGN_UP_IP: '5/1d',
      PARLEY_RATE_LIMIT_POST_USER: '2/30s',
      PARLEY_RATE_LIMIT_POST_IP: '10/1m',
      PARLEY_RATE_LIMIT_EDIT_USER: '4/1m',
      PARLEY_RATE_LIMIT_REPORT_USER: '6 / 2h',
      PARLEY_RATE_LIMIT_REPORT_IP: '12/2h',
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
      chunksDir: '/srv/chunks',
      countFile: '/srv/count.js',
      logLevel: 'warn',
      publicUrl: 'https://comments.example',
      trustProxy: 1,
      // Each rule as given, its count doubled by the scale.
      rateLimits: {
        signInAccount: { limit: 6, windowMs: 10 * 60_000 },
        signInIp: { limit: 60, windowMs: 10 * 60_000 },
        signUpIp: { limit: 10, windowMs: 86_400_000 },
        postUser: { limit: 4, windowMs: 30_000 },
        postIp: { limit: 20, windowMs: 60_000 },
        editUser: { limit: 8, windowMs: 60_000 },
        reportUser: { limit: 12, windowMs: 2 * 3_600_000 },
        reportIp: { limit: 24, windowMs: 2 * 3_600_000 },
      },
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

describe('rate limit settings', () => {
  it('turns every limit off with PARLEY_RATE_LIMITS=off', () => {
    expect(loadConfig({ PARLEY_RATE_LIMITS: 'off' }).rateLimits).toBe(null);
  });

  it('scales the default counts, rounding up and never below 1, and keeps the windows', () => {
    const half = loadConfig({ PARLEY_RATE_LIMIT_SCALE: '0.5' }).rateLimits!;
    for (const name of rateLimitNames) {
      expect(half[name]).toEqual({ limit: Math.ceil(defaultRateLimits[name].limit / 2), windowMs: defaultRateLimits[name].windowMs });
    }
    expect(loadConfig({ PARLEY_RATE_LIMIT_SCALE: '0.0001' }).rateLimits!.postUser.limit).toBe(1);
  });

  for (const [name, value] of [
    ['PARLEY_RATE_LIMITS', 'maybe'],
    ['PARLEY_RATE_LIMIT_SCALE', '0'],
    ['PARLEY_RATE_LIMIT_SCALE', '-2'],
    ['PARLEY_RATE_LIMIT_SCALE', 'lots'],
    ['PARLEY_RATE_LIMIT_POST_USER', '5'],
    ['PARLEY_RATE_LIMIT_POST_USER', '0/1m'],
    ['PARLEY_RATE_LIMIT_POST_USER', '5/1w'],
    ['PARLEY_RATE_LIMIT_POST_USER', '5/8d'],
    ['PARLEY_RATE_LIMIT_SIGN_IN_ACCOUNT', 'five per minute'],
  ] as const) {
    it(`refuses ${name}=${value}, naming the variable`, () => {
      const error = configError({ [name]: value });
      expect(error.problems).toHaveLength(1);
      expect(error.message).toContain(name);
    });
  }
});

describe('PARLEY_TRUST_PROXY', () => {
  it('is off by default and for off, false or 0', () => {
    for (const value of [undefined, '', 'off', 'false', 'FALSE', '0']) {
      expect(loadConfig({ PARLEY_TRUST_PROXY: value }).trustProxy, String(value)).toBe(false);
    }
  });

  it('takes a number of proxies', () => {
    expect(loadConfig({ PARLEY_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('takes a list of addresses, CIDR subnets and named ranges', () => {
    expect(loadConfig({ PARLEY_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 203.0.113.7' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '203.0.113.7',
    ]);
    expect(loadConfig({ PARLEY_TRUST_PROXY: 'loopback,' }).trustProxy).toEqual(['loopback']);
  });

  for (const value of ['true', 'yes', '11', '10.0.0.0/33', 'example.com', ',', '10.0.0.1/8/8']) {
    it(`refuses ${value}`, () => {
      const error = configError({ PARLEY_TRUST_PROXY: value });
      expect(error.message).toContain('PARLEY_TRUST_PROXY');
    });
  }

  it('says why true is refused', () => {
    expect(configError({ PARLEY_TRUST_PROXY: 'true' }).message).toContain("believe any client's X-Forwarded-For");
  });
});

describe('testConfig', () => {
  it('uses an in-memory database, a free port and silent logs, and applies overrides', () => {
    expect(testConfig()).toMatchObject({ dbPath: ':memory:', port: 0, logLevel: 'silent' });
    expect(testConfig({ eventRetention: 10 }).eventRetention).toBe(10);
  });

  it('keeps rate limits on, a thousand times the defaults', () => {
    const limits = testConfig().rateLimits!;
    for (const name of rateLimitNames) expect(limits[name].limit).toBe(defaultRateLimits[name].limit * 1000);
  });
});
