import type { Me, Session, SignInBody, SignUpBody } from '@parley/protocol';
import type { ParleyApi } from '../api/api-client.js';
import { ApiError } from '../api/api-client.js';
import { Observable } from '../lib/observable.js';
import { storage } from '../lib/storage.js';

/** `storage` events reach other documents only; widgets of one page hear this one. */
const SAME_PAGE_EVENT = 'parley:session-change';

interface StoredSession {
  token: string;
  expiresAt: string;
  user: Me;
}

/**
 * Who is signed in. The token is kept in localStorage per server origin, so
 * every page of a site (and every widget on one page) shares one session and
 * a reload keeps the reader signed in.
 */
export class SessionState extends Observable {
  private stored: StoredSession | null;
  private readonly key: string;

  constructor(
    private readonly api: ParleyApi,
    private readonly site: string,
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

  async signIn(body: Omit<SignInBody, 'site'>): Promise<Me> {
    return this.open(await this.api.call('signIn', { body: { ...body, site: this.site } }));
  }

  async signUp(body: Omit<SignUpBody, 'site'>): Promise<Me> {
    return this.open(await this.api.call('signUp', { body: { ...body, site: this.site } }));
  }

  async signOut(): Promise<void> {
    const token = this.token;
    this.forget();
    if (token) await this.api.call('signOut', { token }).catch(() => undefined);
  }

  /** Checks the stored token with the server; forgets it if the server no longer knows it. */
  async refresh(): Promise<void> {
    const token = this.token;
    if (!token) return;
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
      this.notify();
    }
    globalThis.addEventListener?.('storage', this.onStorage);
    globalThis.addEventListener?.(SAME_PAGE_EVENT, this.onSamePage);
  }

  /** Stops following other tabs and widgets (the widget left the page). */
  detach(): void {
    globalThis.removeEventListener?.('storage', this.onStorage);
    globalThis.removeEventListener?.(SAME_PAGE_EVENT, this.onSamePage);
  }

  private open(session: Session): Me {
    this.stored = { token: session.token, expiresAt: session.expiresAt, user: session.user };
    this.write();
    return session.user;
  }

  private forget(): void {
    this.stored = null;
    storage.remove(this.key);
    this.announce();
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
    this.stored = this.read();
    this.notify();
  };

  /** Signing in or out in another tab applies here too. */
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key !== this.key) return;
    this.stored = this.read();
    this.notify();
  };
}
