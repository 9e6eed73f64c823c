import { createHash, randomBytes } from 'node:crypto';
import type { ChangePasswordBody, Me, Role, Session, SignInBody, SignUpBody } from '@parley/protocol';
import { ErrorCode, ParleyError } from '../errors.js';
import type { Store, UserRecord } from '../store/types.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** A request's authenticated user. */
export interface Viewer {
  user: UserRecord;
  tokenHash: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface AccountServiceOptions {
  sessionDays: number;
  now?: () => Date;
}

/** Accounts and sessions: sign-up, sign-in, sign-out, who a token belongs to. */
export class AccountService {
  /** Verified against for unknown emails so both failures cost one scrypt. */
  private readonly dummyHash: Promise<string>;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly options: AccountServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.dummyHash = hashPassword(randomBytes(16).toString('hex'));
  }

  async signUp(input: SignUpBody & { site: string }): Promise<Session> {
    await this.requireSite(input.site);
    const user = await this.createUser(input);
    return this.openSession(user, input.site);
  }

  /** Creates a user without signing in (CLI); throws `email_taken`. */
  async createUser(input: { name: string; email: string; password: string; site?: string; role?: Role }): Promise<UserRecord> {
    const passwordHash = await hashPassword(input.password);
    const user = await this.store.createUser({
      name: input.name,
      email: input.email,
      passwordHash,
      now: this.now().toISOString(),
    });
    if (!user) throw new ParleyError(ErrorCode.EmailTaken, { fields: { email: 'An account with this email already exists.' } });
    if (input.site && input.role) await this.store.setRole(input.site, user.id, input.role);
    return user;
  }

  async signIn(input: SignInBody & { site: string }): Promise<Session> {
    await this.requireSite(input.site);
    const user = await this.store.findUserByEmail(input.email);
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok) throw new ParleyError(ErrorCode.InvalidCredentials);
    return this.openSession(user, input.site);
  }

  /**
   * Sets a new password once the current one checks out, and ends every other
   * session of the user: whoever else held one must sign in with the new
   * password. The session making the change stays.
   */
  async changePassword(viewer: Viewer, input: ChangePasswordBody): Promise<void> {
    if (!(await verifyPassword(input.currentPassword, viewer.user.passwordHash))) {
      const message = 'That is not your current password.';
      throw new ParleyError(ErrorCode.InvalidCredentials, { message, fields: { currentPassword: message } });
    }
    await this.store.changePassword({
      userId: viewer.user.id,
      passwordHash: await hashPassword(input.newPassword),
      keepTokenHash: viewer.tokenHash,
    });
  }

  async signOut(viewer: Viewer): Promise<void> {
    await this.store.deleteSession(viewer.tokenHash);
  }

  /** The viewer a bearer token stands for, or null for a missing, unknown or expired one. */
  async authenticate(token: string | undefined): Promise<Viewer | null> {
    if (!token || token.length > 200) return null;
    const tokenHash = hashToken(token);
    const user = await this.store.findSessionUser(tokenHash, this.now().toISOString());
    return user ? { user, tokenHash } : null;
  }

  /** Whether the viewer moderates the site. */
  async isModerator(viewer: Viewer, site: string): Promise<boolean> {
    return (await this.store.getRole(site, viewer.user.id)) === 'moderator';
  }

  async me(viewer: Viewer, site: string): Promise<Me> {
    await this.requireSite(site);
    return this.describe(viewer.user, site);
  }

  private async describe(user: UserRecord, site: string): Promise<Me> {
    const [role, ban] = await Promise.all([
      this.store.getRole(site, user.id),
      this.store.getBan(site, user.id, this.now().toISOString()),
    ]);
    return { id: user.id, name: user.name, email: user.email, role, ban };
  }

  private async openSession(user: UserRecord, site: string): Promise<Session> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.options.sessionDays * 86_400_000).toISOString();
    await this.store.createSession({ tokenHash: hashToken(token), userId: user.id, now: now.toISOString(), expiresAt });
    return { token, expiresAt, user: await this.describe(user, site) };
  }

  private async requireSite(site: string): Promise<void> {
    if (!(await this.store.siteExists(site))) throw new ParleyError(ErrorCode.SiteNotFound);
  }
}
