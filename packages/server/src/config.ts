import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';

const require = createRequire(import.meta.url);

/** One rate limit: at most `limit` requests per `windowMs` for one key (an IP, a user, an account). */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export const rateLimitNames = [
  'signInAccount',
  'signInIp',
  'signUpIp',
  'postUser',
  'postIp',
  'editUser',
  'reportUser',
  'reportIp',
] as const;

export type RateLimitName = (typeof rateLimitNames)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The limits out of the box. Per account and per user they are tight enough
 * to stop a script; per IP they are generous, because many readers share one
 * address (an office, a mobile carrier, a proxy without PARLEY_TRUST_PROXY).
 * docs/configuration.md lists them; which routes count against which is in
 * http/rate-limits.ts.
 */
export const defaultRateLimits: Readonly<Record<RateLimitName, RateLimitRule>> = {
  signInAccount: { limit: 10, windowMs: 15 * MINUTE },
  signInIp: { limit: 100, windowMs: 15 * MINUTE },
  signUpIp: { limit: 200, windowMs: HOUR },
  postUser: { limit: 30, windowMs: MINUTE },
  postIp: { limit: 300, windowMs: MINUTE },
  editUser: { limit: 60, windowMs: MINUTE },
  reportUser: { limit: 60, windowMs: HOUR },
  reportIp: { limit: 300, windowMs: HOUR },
};

/**
 * Express's `trust proxy`: `false` takes the client's IP from the socket;
 * a number trusts that many proxies in front of the server; a list trusts
 * proxies at those addresses, subnets or named ranges (`loopback`, …).
 */
export type TrustProxy = false | number | string[];

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind; undefined listens on every interface (IPv4 and IPv6). */
  host: string | undefined;
  /** SQLite file path, or `:memory:`. */
  dbPath: string;
  /** Host-page origins allowed to call the API and open sockets. */
  origins: string[];
  /** Id of the site created at start. */
  site: string;
  /** Lifetime of a session token, in days. */
  sessionDays: number;
  /** How many events per page are kept for clients that reconnect. */
  eventRetention: number;
  /** Largest accepted JSON body, in bytes. */
  bodyLimitBytes: number;
  /** File served at `/embed.js`. */
  embedFile: string;
  /** File served at `/admin.js` (the moderator's admin element). */
  adminFile: string;
  /** Folder of the chunks `/embed.js` loads after the first paint, served at `/chunks/`. */
  chunksDir: string;
  /** File served at `/count.js` (`<parley-count>`, for article lists). */
  countFile: string;
  /** pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Public URL of this server, shown in the OpenAPI document; optional. */
  publicUrl: string | undefined;
  /** Request limits per client, by name; null when rate limiting is off. */
  rateLimits: Readonly<Record<RateLimitName, RateLimitRule>> | null;
  /** Which proxies' `X-Forwarded-For` to believe for the client's IP. */
  trustProxy: TrustProxy;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const origin = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '')) {
      return url.origin;
    }
  } catch {
    // fall through to the issue below
  }
  ctx.addIssue({ code: 'custom', message: `"${value}" is not an origin like https://example.com or http://localhost:5173` });
  return z.NEVER;
});

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const windowUnits = { s: SECOND, m: MINUTE, h: HOUR, d: DAY } as const;

/** `COUNT/WINDOW`, e.g. `10/15m`: at most 10 requests per 15 minutes. */
const rateLimitRule = z
  .string()
  .trim()
  .transform((value, ctx): RateLimitRule => {
    const match = /^(\d{1,7})\s*\/\s*(\d{1,4})\s*([smhd])$/.exec(value);
    const limit = Number(match?.[1]);
    const windowMs = Number(match?.[2]) * windowUnits[(match?.[3] ?? 's') as keyof typeof windowUnits];
    if (match && limit >= 1 && windowMs >= SECOND && windowMs <= 7 * DAY) return { limit, windowMs };
    ctx.addIssue({
      code: 'custom',
      message: 'must be COUNT/WINDOW like 10/15m: at least 1 request, a window of 1s to 7d (units s, m, h, d)',
    });
    return z.NEVER;
  });

/** Named address ranges Express understands in `trust proxy`. */
const proxyRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(item: string): boolean {
  if (proxyRanges.has(item)) return true;
  const [address = '', prefix, ...rest] = item.split('/');
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (['false', 'off', '0'].includes(value.toLowerCase())) return false;
    if (value.toLowerCase() === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          'true would believe any client\'s X-Forwarded-For; give the number of proxies in front of Parley (e.g. 1) or their addresses (e.g. loopback or 10.0.0.0/8)',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 10) return hops;
    } else {
      const items = value.split(',').map((item) => item.trim()).filter(Boolean);
      if (items.length && items.every(isProxyAddress)) return items;
    }
    ctx.addIssue({
      code: 'custom',
      message: 'must be off, a number of proxies (1 to 10), or a comma-separated list of addresses, CIDR subnets, loopback, linklocal or uniquelocal',
    });
    return z.NEVER;
  });

function widgetDistFile(name: string): string {
  const pkg = require.resolve('@parley/widget/package.json');
  return path.join(path.dirname(pkg), 'dist', name);
}

/** Example host port, so the default allowed origins follow `EXAMPLE_PORT`. */
function defaultOrigins(env: NodeJS.ProcessEnv): string {
  const port = env.EXAMPLE_PORT?.trim() || '5173';
  return `http://localhost:${port},http://127.0.0.1:${port}`;
}

const EnvSchema = z.object({
  PARLEY_PORT: int(0, 65535).default(3000),
  PARLEY_HOST: z.string().trim().min(1).optional(),
  PARLEY_DB: z.string().trim().min(1, 'must not be empty').default('./data/parley.db'),
  PARLEY_ORIGINS: z.string(),
  PARLEY_SITE: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes, at most 64')
    .default('default'),
  PARLEY_SESSION_DAYS: int(1, 3650).default(30),
  PARLEY_EVENT_RETENTION: int(10, 1_000_000).default(1000),
  PARLEY_BODY_LIMIT_KB: int(1, 10_240).default(64),
  PARLEY_EMBED_FILE: z.string().trim().min(1).optional(),
  PARLEY_ADMIN_FILE: z.string().trim().min(1).optional(),
  PARLEY_CHUNKS_DIR: z.string().trim().min(1).optional(),
  PARLEY_COUNT_FILE: z.string().trim().min(1).optional(),
  PARLEY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARLEY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  PARLEY_TRUST_PROXY: trustProxy.default(false),
  PARLEY_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  PARLEY_RATE_LIMIT_SCALE: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a positive number like 0.5, 2 or 10')
    .transform(Number)
    .pipe(z.number().positive('must be more than 0').max(1_000_000, 'must be at most 1000000'))
    .default(1),
  PARLEY_RATE_LIMIT_SIGN_IN_ACCOUNT: rateLimitRule.optional(),
  PARLEY_RATE_LIMIT_SIGN_IN_IP: rateLimitRule.optional(),
  PARLEY_RATE_LIMIT_SIGN_UP_IP: rateLimitRule.optional(),
  PARLEY_RATE_LIMIT_POST_USER: rateLimitRule.optional(),
  PARLEY_RATE_LIMIT_POST_IP: rateLimitRule.optional(),
  PARLEY_RATE_LIMIT_EDIT_USER: rateLimitRule.optional(),
  PARLEY_RATE_LIMIT_REPORT_USER: rateLimitRule.optional(),
  PARLEY_RATE_LIMIT_REPORT_IP: rateLimitRule.optional(),
});

type Env = z.infer<typeof EnvSchema>;

/** The variable that overrides each rate limit. */
const rateLimitVars = {
  signInAccount: 'PARLEY_RATE_LIMIT_SIGN_IN_ACCOUNT',
  signInIp: 'PARLEY_RATE_LIMIT_SIGN_IN_IP',
  signUpIp: 'PARLEY_RATE_LIMIT_SIGN_UP_IP',
  postUser: 'PARLEY_RATE_LIMIT_POST_USER',
  postIp: 'PARLEY_RATE_LIMIT_POST_IP',
  editUser: 'PARLEY_RATE_LIMIT_EDIT_USER',
  reportUser: 'PARLEY_RATE_LIMIT_REPORT_USER',
  reportIp: 'PARLEY_RATE_LIMIT_REPORT_IP',
} as const satisfies Record<RateLimitName, keyof Env>;

/**
 * The limits in force: each the default unless its variable says otherwise,
 * then multiplied by PARLEY_RATE_LIMIT_SCALE (rounded up, at least 1).
 */
function rateLimitsOf(e: Env): Record<RateLimitName, RateLimitRule> | null {
  if (e.PARLEY_RATE_LIMITS === 'off') return null;
  const scale = e.PARLEY_RATE_LIMIT_SCALE;
  const entries = rateLimitNames.map((name) => {
    const rule = e[rateLimitVars[name]] ?? defaultRateLimits[name];
    return [name, { limit: Math.max(1, Math.ceil(rule.limit * scale)), windowMs: rule.windowMs }] as const;
  });
  return Object.fromEntries(entries) as Record<RateLimitName, RateLimitRule>;
}

/**
 * Reads the configuration from an environment (by default `process.env`).
 * Throws {@link ConfigError} naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  raw.PARLEY_ORIGINS ??= defaultOrigins(env);
  const parsed = EnvSchema.safeParse(raw);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      problems.push(`${key} ${issue.message} (got ${JSON.stringify(raw[key])})`);
    }
  }
  const origins: string[] = [];
  for (const item of String(raw.PARLEY_ORIGINS).split(',').map((s) => s.trim()).filter(Boolean)) {
    const result = origin.safeParse(item);
    if (result.success) origins.push(result.data);
    else problems.push(`PARLEY_ORIGINS: ${result.error.issues[0]?.message}`);
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    port: e.PARLEY_PORT,
    host: e.PARLEY_HOST,
    dbPath: e.PARLEY_DB,
    origins,
    site: e.PARLEY_SITE,
    sessionDays: e.PARLEY_SESSION_DAYS,
    eventRetention: e.PARLEY_EVENT_RETENTION,
    bodyLimitBytes: e.PARLEY_BODY_LIMIT_KB * 1024,
    embedFile: e.PARLEY_EMBED_FILE ?? widgetDistFile('embed.js'),
    adminFile: e.PARLEY_ADMIN_FILE ?? widgetDistFile('admin.js'),
    chunksDir: e.PARLEY_CHUNKS_DIR ?? widgetDistFile('chunks'),
    countFile: e.PARLEY_COUNT_FILE ?? widgetDistFile('count.js'),
    logLevel: e.PARLEY_LOG_LEVEL,
    publicUrl: e.PARLEY_PUBLIC_URL,
    rateLimits: rateLimitsOf(e),
    trustProxy: e.PARLEY_TRUST_PROXY,
  };
}

/**
 * A configuration for tests and embedding: in-memory database, silent logs,
 * port 0. Rate limits stay on, a thousand times the defaults, so every request
 * still passes through them but no test that is not about them reaches one.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ PARLEY_DB: ':memory:', PARLEY_PORT: '0', PARLEY_LOG_LEVEL: 'silent', PARLEY_RATE_LIMIT_SCALE: '1000' }),
    ...overrides,
  };
}
