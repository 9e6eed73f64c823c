import type {
  BanInfo,
  ChangePasswordBody,
  Me,
  OperationId,
  PublicUser,
  RouteOutput,
  Session,
  SignInBody,
  SignUpBody,
} from '@parley/protocol';
import type { CallInput, ParleyApi } from '../api/api-client.js';
import { ApiError } from '../api/api-client.js';
import { Observable } from '../lib/observable.js';
import { storage } from '../lib/storage.js';

/** `storage` events reach other documents only; widgets of one page hear this one. */
const SAME_PAGE_EVENT = 'parley:session-change';
/** Same, for the reader's blocked users, so every widget of the page collapses the same people. */
const BLOCKS_EVENT = 'parley:blocks-change';

interface BlocksChange {
  key: string;
  site: string;
  token: string;
  users: readonly PublicUser[];
  from: SessionState;
}

interface StoredSession {
  token: string;
  expiresAt: string;
  user: Me;
}

/**
 * Who is signed in, their ban and role, and whom they blocked. The token is
 * kept in localStorage per server origin, so every page of a site (and every
 * widget on one page) shares one session and a reload keeps the reader signed
 * in. The blocked users are kept in memory, loaded once per session from the
 * server (so they apply on every page of the site) and shared with the other
 * widgets of the page.
 */
export class SessionState extends Observable {
  /** Users the reader blocked on this site, most recent first; empty while signed out. */
  blocked: readonly PublicUser[] = [];

  private stored: StoredSession | null;
  private readonly key: string;
  /** The token {@link blocked} belongs to, and its load. */
  private blockedFor: string | null = null;
  private blockedLoad: Promise<void> = Promise.resolve();

  constructor(
    readonly api: ParleyApi,
    readonly site: string,
  ) {
    super();
    this.key = `parley:session:${api.server}`;
    this.stored = this.read();
    this.attach();
  }

  get user(): Me | null {
    return this.stored?.user ?? null;
  }

  get token(): string | null {
    return this.stored?.token ?? null;
  }

  get signedIn(): boolean {
    return this.stored !== null;
  }

  /** The reader's ban from commenting on this site, or null (also once a temporary ban has ended). */
  get ban(): BanInfo | null {
    const ban = this.user?.ban ?? null;
    if (ban?.expiresAt && Date.parse(ban.expiresAt) <= Date.now()) return null;
    return ban;
  }

  get isModerator(): boolean {
    return this.user?.role === 'moderator';
  }

  isBlocked(userId: string): boolean {
    return this.blocked.some((user) => user.id === userId);
  }

  /**
   * Calls an operation as the signed-in reader. A refusal as unauthenticated
   * means the server no longer knows the token: the session is forgotten.
   */
  async request<K extends OperationId>(operation: K, input: Omit<CallInput<K>, 'token'>): Promise<RouteOutput<K>> {
    const token = this.token;
    if (!token) throw new ApiError('unauthenticated');
    try {
      return await this.api.call(operation, { ...input, token } as CallInput<K>);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthenticated' && this.token === token) this.forget();
      throw error;
    }
  }

  /**
   * Loads the users the reader blocked, once per session; `fresh` asks the
   * server again. Never fails: without the list, nobody is collapsed.
   */
  loadBlocked({ fresh = false } = {}): Promise<void> {
    const token = this.token;
    if (!token) return Promise.resolve();
    if (this.blockedFor === token && !fresh) return this.blockedLoad;
    this.blockedFor = token;
    this.blockedLoad = this.request('listBlockedUsers', { query: { site: this.site } }).then(
      ({ users }) => {
        if (this.token === token) this.setBlocked(users);
      },
      () => undefined,
    );
    return this.blockedLoad;
  }

  /*
   * Signing in, up and out, blocking, the password and deleting the account
   * are functions of ./session-actions.ts, which the script-tag bundle loads
   * after the first paint; `open`, `forget` and `setBlocked` are what they
   * tell the session.
   */

  /**
   * Checks the stored token with the server and takes the reader's current
   * role and ban; forgets the token if the server no longer knows it.
   */
  async refresh(): Promise<void> {
    const token = this.token;
    if (!token) return;
    void this.loadBlocked();
    try {
      const { user } = await this.api.call('getMe', { token, query: { site: this.site } });
      if (this.stored?.token === token) {
        this.stored = { ...this.stored, user };
        this.write();
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthenticated') this.forget();
    }
  }

  /** Called when a request with the token was refused as unauthenticated. */
  expire(): void {
    this.forget();
  }

  /** Follows sign-ins and sign-outs made elsewhere; on from construction. */
  attach(): void {
    // Catch up on what changed while detached.
    const stored = this.read();
    if (stored?.token !== this.stored?.token) {
      this.stored = stored;
      this.tokenChanged();
      this.notify();
    }
    globalThis.addEventListener?.('storage', this.onStorage);
    globalThis.addEventListener?.(SAME_PAGE_EVENT, this.onSamePage);
    globalThis.addEventListener?.(BLOCKS_EVENT, this.onBlocksChange);
  }

  /** Stops following other tabs and widgets (the widget left the page). */
  detach(): void {
    globalThis.removeEventListener?.('storage', this.onStorage);
    globalThis.removeEventListener?.(SAME_PAGE_EVENT, this.onSamePage);
    globalThis.removeEventListener?.(BLOCKS_EVENT, this.onBlocksChange);
  }

  /** @internal A session the server just opened (sign-in, sign-up). */
  open(session: Session): Me {
    this.stored = { token: session.token, expiresAt: session.expiresAt, user: session.user };
    this.write();
    void this.loadBlocked();
    return session.user;
  }

  /** @internal Signs out here: forgets the token and the blocked users, and tells the page. */
  forget(): void {
    this.stored = null;
    this.clearBlocked();
    storage.remove(this.key);
    this.announce();
  }

  /** @internal The reader's blocked users changed: tell this session's listeners and the page's other widgets. */
  setBlocked(users: readonly PublicUser[]): void {
    this.blocked = users;
    this.notify();
    const change: BlocksChange = { key: this.key, site: this.site, token: this.token ?? '', users, from: this };
    globalThis.dispatchEvent?.(new CustomEvent(BLOCKS_EVENT, { detail: change }));
  }

  private clearBlocked(): void {
    this.blocked = [];
    this.blockedFor = null;
    this.blockedLoad = Promise.resolve();
  }

  /** After the token changed elsewhere: the blocked users of the old one no longer apply. */
  private tokenChanged(): void {
    this.clearBlocked();
    void this.loadBlocked();
  }

  private write(): void {
    storage.set(this.key, JSON.stringify(this.stored));
    this.announce();
  }

  /** Tells this state's listeners and the other widgets of the page. */
  private announce(): void {
    this.notify();
    globalThis.dispatchEvent?.(new CustomEvent(SAME_PAGE_EVENT, { detail: { key: this.key, from: this } }));
  }

  private read(): StoredSession | null {
    try {
      const value = JSON.parse(storage.get(this.key) ?? 'null') as StoredSession | null;
      if (!value?.token || !value.user || Date.parse(value.expiresAt) <= Date.now()) return null;
      return value;
    } catch {
      return null;
    }
  }

  /** Another widget of this page for the same server signed in or out. */
  private readonly onSamePage = (event: Event) => {
    const { key, from } = (event as CustomEvent<{ key: string; from: SessionState }>).detail;
    if (key !== this.key || from === this) return;
    this.reread();
  };

  /** Signing in or out in another tab applies here too. */
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key !== this.key) return;
    this.reread();
  };

  /** Another widget of this page blocked or unblocked someone. */
  private readonly onBlocksChange = (event: Event) => {
    const { key, site, token, users, from } = (event as CustomEvent<BlocksChange>).detail;
    if (key !== this.key || site !== this.site || from === this || token !== this.token) return;
    this.blocked = users;
    this.notify();
  };

  private reread(): void {
    const before = this.token;
    this.stored = this.read();
    if (this.token !== before) this.tokenChanged();
    this.notify();
  }
}
