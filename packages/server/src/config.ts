import path from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';

const require = createRequire(import.meta.url);

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
  /** pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Public URL of this server, shown in the OpenAPI document; optional. */
  publicUrl: string | undefined;
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
  PARLEY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARLEY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

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
    logLevel: e.PARLEY_LOG_LEVEL,
    publicUrl: e.PARLEY_PUBLIC_URL,
  };
}

/** A configuration for tests and embedding: in-memory database, silent logs, port 0. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ PARLEY_DB: ':memory:', PARLEY_PORT: '0', PARLEY_LOG_LEVEL: 'silent' }),
    ...overrides,
  };
}
