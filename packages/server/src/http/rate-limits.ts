import type { Request, Response } from 'express';
import { MemoryStore, rateLimit, type RateLimitInfo, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Logger } from 'pino';
import { normalizeEmail, tryAgainIn, type OperationId } from '@parley/protocol';
import type { RateLimitName, RateLimitRule } from '../config.js';
import { ErrorCode, ParleyError } from '../errors.js';

/**
 * Which limits each operation counts against, in the order they are checked.
 * The protocol lists `rate_limited` among the errors of exactly these routes
 * (a test holds the two together). changePassword shares the sign-in limits:
 * guessing the current password is guessing a password.
 */
export const rateLimits = {
  signIn: ['signInAccount', 'signInIp'],
  changePassword: ['signInAccount', 'signInIp'],
  signUp: ['signUpIp'],
  createComment: ['postUser', 'postIp'],
  updateComment: ['editUser'],
  reportComment: ['reportUser', 'reportIp'],
} as const satisfies { readonly [K in OperationId]?: readonly RateLimitName[] };

interface LimitKind {
  /**
   * Whom the limit counts: the client's IP (Express's `req.ip`, so it follows
   * `trust proxy`), the signed-in user, or the account an email names (the
   * signed-in user's, or the one in the body), whether or not it exists.
   */
  key: 'ip' | 'user' | 'account';
  /** Only refused requests count (status 400 and up). */
  failuresOnly?: boolean;
  /** A success clears the key's count: whoever knows the password is not guessing it. */
  successClears?: boolean;
  /** The first sentence of the 429 message; "Try again in …" follows. */
  message: string;
}

const kinds: Record<RateLimitName, LimitKind> = {
  signInAccount: { key: 'account', failuresOnly: true, successClears: true, message: 'Too many failed sign-ins for this account.' },
  signInIp: { key: 'ip', failuresOnly: true, message: 'Too many failed sign-ins from your network.' },
  signUpIp: { key: 'ip', message: 'Too many sign-ups from your network.' },
  postUser: { key: 'user', message: "You're posting too fast." },
  postIp: { key: 'ip', message: 'Too many comments from your network.' },
  editUser: { key: 'user', message: "You're editing too fast." },
  reportUser: { key: 'user', message: 'Too many reports in a short time.' },
  reportIp: { key: 'ip', message: 'Too many reports from your network.' },
};

/** Who is making a request, as far as the limits care. */
export interface RequestSubject {
  /** The signed-in user, if any. */
  user?: { id: string; email: string };
  /** An email the request names (sign-in), if any. */
  email?: string;
}

/**
 * Whole seconds until the window of the limit that just counted `req` ends
 * (each limiter sets `req.rateLimit` as it runs); never 0, so a client is not
 * told to retry at once.
 */
function secondsLeft(req: Request): number {
  const resetAt = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime();
  return resetAt === undefined ? 1 : Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
}

/**
 * The rate limits of one app: an express-rate-limit middleware per limit,
 * each with its own in-memory store, run by the API router after it knows
 * who is asking and before the handler does any work. Counts live in this
 * process only, so they reset on restart and are per instance when several
 * run behind a load balancer.
 */
export class RateLimits {
  private readonly limiters = new Map<RateLimitName, RateLimitRequestHandler>();
  private readonly stores: MemoryStore[] = [];
  /** The key each limiter is about to count for a request (its `keyGenerator` reads it). */
  private readonly pendingKeys = new WeakMap<Request, string>();

  constructor(rules: Readonly<Record<RateLimitName, RateLimitRule>> | null, logger: Logger) {
    if (!rules) return;
    const log = {
      warn: (error: unknown, message?: string) => logger.warn({ err: error }, message ?? 'rate limiter warning'),
      error: (error: unknown, message?: string) => logger.error({ err: error }, message ?? 'rate limiter misconfigured'),
    };
    for (const [name, rule] of Object.entries(rules) as [RateLimitName, RateLimitRule][]) {
      const kind = kinds[name];
      const store = new MemoryStore();
      this.stores.push(store);
      this.limiters.set(
        name,
        rateLimit({
          windowMs: rule.windowMs,
          limit: rule.limit,
          store,
          // `RateLimit` and `RateLimit-Policy` (IETF draft 8) name each limit; Retry-After comes with a 429.
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          identifier: name,
          retryAfter: (req) => secondsLeft(req),
          skipSuccessfulRequests: kind.failuresOnly ?? false,
          // IP limits keep the library's own key: `req.ip`, IPv6 grouped by /56, with its proxy checks.
          ...(kind.key === 'ip' ? {} : { keyGenerator: (req: Request) => this.pendingKeys.get(req) ?? '' }),
          handler: (req, _res, next) => {
            next(
              new ParleyError(ErrorCode.RateLimited, {
                message: `${kind.message} ${tryAgainIn(secondsLeft(req))}`,
                // No IP or email: the logs keep neither (docs/security.md).
                logContext: { limit: name },
              }),
            );
          },
          logger: log,
        }),
      );
    }
  }

  /**
   * Counts a request against its operation's limits. Throws `rate_limited`
   * (with `Retry-After` already on the response) once one is exceeded.
   */
  async check(operationId: OperationId, req: Request, res: Response, subject: RequestSubject): Promise<void> {
    const names: readonly RateLimitName[] = (rateLimits as Partial<Record<OperationId, readonly RateLimitName[]>>)[operationId] ?? [];
    for (const name of names) {
      const limiter = this.limiters.get(name);
      if (!limiter) continue;
      const kind = kinds[name];
      // IP limits find their key themselves; the others count the key set here.
      const key = kind.key === 'ip' ? undefined : this.keyOf(kind.key, subject);
      if (key === null) continue;
      if (key !== undefined) this.pendingKeys.set(req, key);
      await new Promise<void>((resolve, reject) => {
        void limiter(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
      });
      if (kind.successClears && key !== undefined) {
        res.once('finish', () => {
          if (res.statusCode < 400) void limiter.resetKey(key);
        });
      }
    }
  }

  /** Stops the stores' cleanup timers. */
  close(): void {
    for (const store of this.stores) store.shutdown();
  }

  /** The user or account a request is counted under, or null when it names none. */
  private keyOf(key: 'user' | 'account', subject: RequestSubject): string | null {
    if (key === 'user') return subject.user?.id ?? null;
    const email = subject.user?.email ?? subject.email;
    return email === undefined ? null : normalizeEmail(email);
  }
}
