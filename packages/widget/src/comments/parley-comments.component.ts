import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import type { Sort } from '@parley/protocol';
import { HttpApi, type ParleyApi } from '../api/api-client.js';
import type { RealtimeClient } from '../api/realtime.js';
import { COMMENT_PARTS } from '../comment/parley-comment.component.js';
import { apiContext, sessionContext, threadContext } from '../context.js';
import type { ParleyReportRequestEvent } from '../events.js';
import { ObserveController } from '../lib/observable.js';
import { defaultPageKey } from '../lib/page-key.js';
import { formatDate } from '../lib/relative-time.js';
import { SessionState } from '../state/session-state.js';
import { ThreadState } from '../state/thread-state.js';
import { sharedStyles } from '../styles/shared.js';
import type { ParleyComposer } from '../composer/parley-composer.component.js';
import type { ParleyReportDialog } from '../report-dialog/parley-report-dialog.component.js';
import { commentsStyles } from './parley-comments.styles.js';

const TICK_MS = 30_000;

/** Runs `task` once the page is idle (or after 2 s at most); soon, where the browser has no idle callbacks. */
const whenIdle = (task: () => void) =>
  'requestIdleCallback' in globalThis ? requestIdleCallback(task, { timeout: 2000 }) : setTimeout(task, 50);


// Shared with <parley-count>, whose bundle must not pull in this element.
export { defaultPageKey };

/**
 * @summary The Parley comments widget: the thread of one page, live, with
 * sign-in, a composer, and the reader's account.
 *
 * Instead of the composer, a banned reader sees "You can't comment on this
 * site." (with the end date of a temporary ban), and everyone sees "Comments
 * are closed." while the page is locked. When the host page's hash is a
 * comment's permalink (`#parley-comment-ID`), on load and on `hashchange`, the
 * widget loads pages until it finds the comment, scrolls to it, highlights it
 * and focuses it. Signing in or out reloads the thread, since what the server
 * shows depends on who asks (the reader's own comments held for review).
 *
 * @slot empty - Replaces "No comments yet." when the thread is empty.
 *
 * @event parley-sign-out - The reader signed out.
 * @event parley-comment-reported - The reader reported a comment (bubbles out of `<parley-comment>`).
 * @event parley-user-blocked - The reader blocked a user (bubbles out of `<parley-comment>`).
 * @event parley-user-unblocked - The reader unblocked a user (bubbles out of `<parley-account>`).
 * @event parley-account-deleted - The reader deleted their account (bubbles out of `<parley-account>`); the widget then shows the signed-out state.
 *
 * @csspart base - The section wrapping the widget.
 * @csspart account - The line with the sign-in state, "Account" and "Sign out".
 * @csspart heading - The "Comments" heading.
 * @csspart empty - The "No comments yet." text.
 * @csspart connection - The notice shown while the live connection is down.
 * @csspart closed - "Comments are closed." shown to a signed-in reader instead of the composer on a locked page (signed-out readers see it in the sign-in prompt, in place of "Sign in to comment.").
 * @csspart banned - "You can't comment on this site." shown instead of the composer to a banned reader.
 * @csspart comment, comment__header, comment__author, comment__body, comment__actions, comment__notice, comment__pinned, comment__pending, replies, comment__more-replies - See `<parley-comment>`.
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

  // Declared here, not by decorators: the first-paint bundle then carries no decorator code.
  static override properties = {
    session: { state: true },
    thread: { state: true },
    server: {},
    site: {},
    page: {},
    sort: {},
    api: { attribute: false },
    realtime: { attribute: false },
  };

  private session?: SessionState;
  private thread?: ThreadState;

  /** Origin of the Parley server, e.g. `https://comments.example.com`. */
  server = '';
  /** Site id on that server. */
  site = 'default';
  /** Thread key; defaults to the page's canonical URL path. */
  page = '';
  /** Order of top-level comments. */
  sort: Sort = 'oldest';
  /** REST client to use instead of one built from `server` (tests, custom transports). */
  api?: ParleyApi;
  /** Live-update client to use instead of socket.io; `null` turns live updates off. */
  realtime?: RealtimeClient | null;

  private disconnectRealtime?: () => void;
  private stopPermalinks?: () => void;
  private ticker?: ReturnType<typeof setInterval>;
  private signedInBefore = false;
  /** The reader deleted their account: focus goes to Sign in once it shows. */
  private focusSignIn = false;
  /** The session token the thread was loaded with; another one means another reader. */
  private loadedAs: string | null = null;

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
    this.stopPermalinks?.();
    this.stopPermalinks = undefined;
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
    const token = this.session?.token ?? null;
    if (token !== this.loadedAs && this.thread?.status === 'ready') {
      this.loadedAs = token;
      void this.thread.load();
    }
  }

  /** Reloads the thread from the server. */
  reload(): Promise<void> {
    return this.thread?.load() ?? Promise.resolve();
  }

  private setup(): void {
    this.disconnectRealtime?.();
    this.disconnectRealtime = undefined;
    this.stopPermalinks?.();
    this.stopPermalinks = undefined;
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
    this.loadedAs = session.token;
    this.apiProvider.setValue(api);
    this.sessionProvider.setValue(session);
    this.threadProvider.setValue(thread);
    if (this.isConnected) this.start(thread);
  }

  private start(thread: ThreadState): void {
    this.loadedAs = this.session?.token ?? null;
    void thread.load().then(() => {
      if (thread !== this.thread || !this.isConnected) return;
      // The session check, the rest of the widget, permalinks and live updates
      // come after the thread has painted: once the page is idle, so that
      // fetching and running the rest never competes with rendering the thread.
      void this.session?.refresh();
      whenIdle(() => void this.afterFirstPaint(thread));
    });
  }

  /** Loads sign-in, the composer and dialogs (a separate chunk in `/embed.js`), then goes live. */
  private async afterFirstPaint(thread: ThreadState): Promise<void> {
    let later: typeof import('./after-first-paint.js');
    try {
      later = await import('./after-first-paint.js');
    } catch (error) {
      // The thread stays readable; it just cannot go live or take comments.
      console.error('Parley: could not load the rest of the widget.', error);
      thread.setConnection('offline');
      return;
    }
    if (thread !== this.thread || !this.isConnected || this.disconnectRealtime) return;
    this.stopPermalinks?.();
    this.stopPermalinks = later.followPermalinks(thread);
    const realtime = this.realtime === undefined ? new later.SocketRealtime(this.api?.server ?? this.server) : this.realtime;
    if (realtime) this.disconnectRealtime = thread.connect(realtime);
  }

  private async signOut(): Promise<void> {
    // Signing out and the event classes come with the rest of the widget, loaded by now.
    const { ParleySignOutEvent, signOut } = await import('./after-first-paint.js');
    if (this.session) await signOut(this.session);
    this.dispatchEvent(new ParleySignOutEvent());
  }

  /** The account is gone and the reader is being signed out: the Sign in button takes focus, not the page. */
  private onAccountDeleted(): void {
    this.focusSignIn = true;
  }

  override updated(): void {
    const signIn = this.renderRoot.querySelector('parley-sign-in');
    if (!this.focusSignIn || !signIn) return;
    this.focusSignIn = false;
    void signIn.updateComplete.then(() => signIn.shadowRoot?.querySelector<HTMLButtonElement>('.opener')?.focus());
  }

  /** What stands where a new comment is written: the composer, or why there is none. */
  private renderWrite() {
    const session = this.session;
    const locked = this.thread?.status === 'ready' && this.thread.locked;
    if (!session?.user) {
      // Signed-out readers keep the Sign in button: they may still report, block or manage their posts.
      // The prompt is the element's slotted text: it shows from the first paint, before the element's chunk arrives.
      return html`<parley-sign-in>${locked ? 'Comments are closed.' : 'Sign in to comment.'}</parley-sign-in>`;
    }
    if (locked) return html`<p class="notice" part="closed">Comments are closed.</p>`;
    const ban = session.ban;
    if (ban) {
      // The end date has an element of its own, so the message reads the same for every ban.
      const ends = ban.expiresAt ? html` <span>Your ban ends on ${formatDate(new Date(ban.expiresAt))}.</span>` : nothing;
      return html`<p class="notice" part="banned"><span>You can't comment on this site.</span>${ends}</p>`;
    }
    return html`<parley-composer></parley-composer>`;
  }

  /** One report dialog for the widget: a report can hide the comment it was opened from. */
  private async onReportRequest(event: ParleyReportRequestEvent): Promise<void> {
    const dialog = this.renderRoot.querySelector<ParleyReportDialog>('parley-report-dialog');
    if (!dialog) return;
    event.preventDefault();
    dialog.commentId = event.commentId;
    await dialog.updateComplete;
    await dialog.show(event.opener);
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
      <section part="base" aria-labelledby="heading" @parley-report-request=${this.onReportRequest}>
        <div class="account" part="account">
          ${user
            ? html`<p>Signed in as <strong>${user.name}</strong></p>
                <parley-account @parley-account-deleted=${this.onAccountDeleted}></parley-account>
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
        <parley-thread exportparts=${`${COMMENT_PARTS}, error, load-more`}></parley-thread>
        <p class="empty" part="empty" ?hidden=${thread?.status !== 'ready' || thread.roots.length > 0}>
          <slot name="empty">No comments yet.</slot>
        </p>
        ${this.renderWrite()}
        ${user ? html`<parley-report-dialog></parley-report-dialog>` : nothing}
      </section>
    `;
  }
}
