import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import type { Sort } from '@parley/protocol';
import { HttpApi, type ParleyApi } from '../api/api-client.js';
import { SocketRealtime, type RealtimeClient } from '../api/realtime.js';
import { apiContext, sessionContext, threadContext } from '../context.js';
import { ParleySignOutEvent } from '../events.js';
import { ObserveController } from '../lib/observable.js';
import { SessionState } from '../state/session-state.js';
import { ThreadState } from '../state/thread-state.js';
import { sharedStyles } from '../styles/shared.js';
import type { ParleyComposer } from '../composer/parley-composer.component.js';
import { commentsStyles } from './parley-comments.styles.js';

const TICK_MS = 30_000;

/** The host page's canonical path: `<link rel="canonical">` if present, else the URL path. */
export function defaultPageKey(doc: Document = document): string {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  try {
    return new URL(canonical || doc.location.href).pathname;
  } catch {
    return doc.location.pathname;
  }
}

/**
 * @summary The Parley comments widget: the thread of one page, live, with
 * sign-in and a composer.
 *
 * @slot empty - Replaces "No comments yet." when the thread is empty.
 *
 * @event parley-sign-out - The reader signed out.
 *
 * @csspart base - The section wrapping the widget.
 * @csspart account - The line with the sign-in state.
 * @csspart heading - The "Comments" heading.
 * @csspart empty - The "No comments yet." text.
 * @csspart connection - The notice shown while the live connection is down.
 * @csspart comment, comment__header, comment__author, comment__body, comment__actions, replies - See `<parley-comment>`.
 * @csspart error, load-more - See `<parley-thread>`.
 *
 * @cssproperty --parley-color-text - Text colour.
 * @cssproperty --parley-color-muted - Secondary text colour.
 * @cssproperty --parley-color-accent - Buttons and links.
 * @cssproperty --parley-color-accent-contrast - Text on accent.
 * @cssproperty --parley-color-surface - Background of controls and dialogs.
 * @cssproperty --parley-color-subtle - Subtle backgrounds.
 * @cssproperty --parley-color-border - Borders.
 * @cssproperty --parley-color-highlight - Background of a comment that just arrived.
 * @cssproperty --parley-color-danger - Errors and destructive buttons.
 * @cssproperty --parley-radius - Corner radius.
 * @cssproperty --parley-space - Base spacing.
 * @cssproperty --parley-font-family - Font (inherits the page's by default).
 * @cssproperty --parley-font-size - Base font size.
 * @cssproperty --parley-heading-size - Size of the "Comments" heading.
 * @cssproperty --parley-max-width - Widest the widget grows.
 */
export class ParleyComments extends LitElement {
  static override styles = [sharedStyles, commentsStyles];

  private readonly apiProvider = new ContextProvider(this, { context: apiContext });
  private readonly sessionProvider = new ContextProvider(this, { context: sessionContext });
  private readonly threadProvider = new ContextProvider(this, { context: threadContext });
  private readonly sessionObserver = new ObserveController(this);
  private readonly threadObserver = new ObserveController(this);

  @state() private session?: SessionState;
  @state() private thread?: ThreadState;

  /** Origin of the Parley server, e.g. `https://comments.example.com`. */
  @property() server = '';
  /** Site id on that server. */
  @property() site = 'default';
  /** Thread key; defaults to the page's canonical URL path. */
  @property() page = '';
  /** Order of top-level comments. */
  @property() sort: Sort = 'oldest';
  /** REST client to use instead of one built from `server` (tests, custom transports). */
  @property({ attribute: false }) api?: ParleyApi;
  /** Live-update client to use instead of socket.io; `null` turns live updates off. */
  @property({ attribute: false }) realtime?: RealtimeClient | null;

  private disconnectRealtime?: () => void;
  private ticker?: ReturnType<typeof setInterval>;
  private signedInBefore = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.ticker = setInterval(() => this.thread?.tick(), TICK_MS);
    // Reconnecting after a move in the DOM: pick the session and thread up again.
    if (this.session && this.thread && !this.disconnectRealtime) {
      this.session.attach();
      this.start(this.thread);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.session?.detach();
    this.disconnectRealtime?.();
    this.disconnectRealtime = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const keys = ['server', 'site', 'page', 'sort', 'api', 'realtime'] as const;
    if (keys.some((key) => changed.has(key)) && (this.api || this.server)) this.setup();
    this.sessionObserver.observe(this.session);
    this.threadObserver.observe(this.thread);
    // Focus the composer after signing in from the dialog.
    const signedIn = !!this.session?.signedIn;
    if (signedIn && !this.signedInBefore && this.hasUpdated) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<ParleyComposer>('parley-composer')?.focus());
    }
    this.signedInBefore = signedIn;
  }

  /** Reloads the thread from the server. */
  reload(): Promise<void> {
    return this.thread?.load() ?? Promise.resolve();
  }

  private setup(): void {
    this.disconnectRealtime?.();
    this.disconnectRealtime = undefined;
    this.session?.detach();
    const api = this.api ?? new HttpApi(this.server);
    const session = new SessionState(api, this.site);
    const thread = new ThreadState({
      api,
      session,
      site: this.site,
      page: this.page || defaultPageKey(),
      sort: this.sort === 'newest' ? 'newest' : 'oldest',
      pageUrl: /^https?:$/.test(location.protocol) ? location.href.split('#')[0] : undefined,
      pageTitle: document.title || undefined,
    });
    this.session = session;
    this.thread = thread;
    this.signedInBefore = session.signedIn;
    this.apiProvider.setValue(api);
    this.sessionProvider.setValue(session);
    this.threadProvider.setValue(thread);
    if (this.isConnected) this.start(thread);
  }

  private start(thread: ThreadState): void {
    void thread.load().then(() => {
      if (thread !== this.thread || !this.isConnected) return;
      // Live updates and the session check come after the thread has painted.
      const realtime = this.realtime === undefined ? new SocketRealtime(this.api?.server ?? this.server) : this.realtime;
      if (realtime && !this.disconnectRealtime) this.disconnectRealtime = thread.connect(realtime);
      void this.session?.refresh();
    });
  }

  private async signOut(): Promise<void> {
    await this.session?.signOut();
    this.dispatchEvent(new ParleySignOutEvent());
  }

  override render() {
    if (!this.api && !this.server) {
      return html`<p class="alert" role="alert" part="base">
        Parley needs the address of its comments server: set the <code>server</code> attribute.
      </p>`;
    }
    const session = this.session;
    const thread = this.thread;
    const user = session?.user;
    const count = thread?.status === 'ready' ? thread.count : 0;
    return html`
      <section part="base" aria-labelledby="heading">
        <div class="account" part="account">
          ${user
            ? html`<p>Signed in as <strong>${user.name}</strong></p>
                <button type="button" class="link" @click=${this.signOut}>Sign out</button>`
            : html`<p>Sign in to report, block, or manage your own posts.</p>`}
        </div>
        <h2 id="heading" part="heading">
          Comments${count > 0 ? html` <span class="count">${count}</span>` : nothing}
        </h2>
        ${thread?.status === 'ready' && thread.connection === 'offline'
          ? html`<p class="connection" role="status" part="connection">
              Connection lost. New comments will appear when it returns.
            </p>`
          : nothing}
        <parley-thread exportparts="comment, comment__header, comment__author, comment__body, comment__actions, replies, error, load-more"></parley-thread>
        <p class="empty" part="empty" ?hidden=${thread?.status !== 'ready' || thread.roots.length > 0}>
          <slot name="empty">No comments yet.</slot>
        </p>
        ${user ? html`<parley-composer></parley-composer>` : html`<parley-sign-in></parley-sign-in>`}
      </section>
    `;
  }
}
