import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Queue } from '@parley/protocol';
import { HttpApi, type ParleyApi } from '../api/api-client.js';
import { apiContext, sessionContext } from '../context.js';
import { ParleySignOutEvent } from '../events.js';
import { ObserveController } from '../lib/observable.js';
import { SessionState } from '../state/session-state.js';
import { controlStyles } from '../styles/controls.js';
import { sharedStyles } from '../styles/shared.js';
import type { ParleyQueueRequestEvent } from './admin-events.js';
import type { ParleyBanDialog } from './ban-dialog/parley-ban-dialog.component.js';
import { moderationContext } from './moderation-context.js';
import { SocketModerationRealtime, type ModerationRealtime } from './moderation-realtime.js';
import { ModerationState, adminTabs, type AdminTab } from './moderation-state.js';
import type { ParleyRemoveDialog } from './remove-dialog/parley-remove-dialog.component.js';
import { adminStyles } from './parley-admin.styles.js';
import { signOut } from '../state/session-actions.js';

const TICK_MS = 30_000;

const tabLabels: Record<AdminTab, string> = {
  reported: 'Reported',
  pending: 'Pending',
  removed: 'Removed',
  audit: 'Audit log',
  settings: 'Settings',
};

const emptyQueue: Record<Queue, string> = {
  reported: 'No reported comments.',
  pending: 'No comments are awaiting moderation.',
  removed: 'No removed comments.',
};

/**
 * @summary The moderator's admin for one site: the reported, pending and
 * removed comments, the audit log and the settings, all live.
 *
 * @slot sign-in - Replaces the prompt text "Sign in to moderate this site.".
 *
 * @event parley-moderated - The moderator approved, removed or restored a comment (`commentId`, `action`).
 * @event parley-user-banned - The moderator banned a user (`userId`, `ban`).
 * @event parley-user-unbanned - The moderator lifted a ban (`userId`).
 * @event parley-settings-saved - The moderator saved the settings or locked or unlocked a page (`settings`).
 * @event parley-sign-in - The moderator signed in.
 * @event parley-sign-out - The moderator signed out.
 *
 * @csspart base - The section wrapping the admin.
 * @csspart account - The line with who is signed in.
 * @csspart denied - "You are not a moderator of this site."
 * @csspart connection - The notice shown while live updates are down.
 * @csspart tabs - The tab list.
 * @csspart tab - Each tab.
 * @csspart panel - Each tab panel.
 * @csspart empty - The text of an empty queue.
 * @csspart load-more - The "Load more" buttons.
 * @csspart item, item__header, item__body, item__reports, item__note, item__actions - See `<parley-queue-item>`.
 * @csspart prompt - See `<parley-sign-in>`.
 *
 * @cssproperty --parley-color-text - Text colour.
 * @cssproperty --parley-color-muted - Secondary text colour.
 * @cssproperty --parley-color-accent - Buttons, links and the selected tab.
 * @cssproperty --parley-color-accent-contrast - Text on accent.
 * @cssproperty --parley-color-surface - Background of items, controls and dialogs.
 * @cssproperty --parley-color-subtle - Subtle backgrounds (reports).
 * @cssproperty --parley-color-border - Borders.
 * @cssproperty --parley-color-danger - Errors, bans and destructive buttons.
 * @cssproperty --parley-radius - Corner radius.
 * @cssproperty --parley-space - Base spacing.
 * @cssproperty --parley-font-family - Font (inherits the page's by default).
 * @cssproperty --parley-font-size - Base font size.
 * @cssproperty --parley-max-width - Widest the admin grows.
 */
export class ParleyAdmin extends LitElement {
  static override styles = [sharedStyles, controlStyles, adminStyles];

  private readonly apiProvider = new ContextProvider(this, { context: apiContext });
  private readonly sessionProvider = new ContextProvider(this, { context: sessionContext });
  private readonly moderationProvider = new ContextProvider(this, { context: moderationContext });
  private readonly sessionObserver = new ObserveController(this);
  private readonly moderationObserver = new ObserveController(this);

  @query('parley-remove-dialog') private removeDialog!: ParleyRemoveDialog;
  @query('parley-ban-dialog') private banDialog!: ParleyBanDialog;

  @state() private session?: SessionState;
  @state() private moderation?: ModerationState;
  /** A dialog of the admin is open: the rest is hidden from assistive technology. */
  @state() private dialogOpen = false;

  /** Origin of the Parley server, e.g. `https://comments.example.com`. */
  @property() server = '';
  /** Site id on that server. */
  @property() site = 'default';
  /** REST client to use instead of one built from `server` (tests, custom transports). */
  @property({ attribute: false }) api?: ParleyApi;
  /** Live-update client to use instead of socket.io; `null` turns live updates off. */
  @property({ attribute: false }) realtime?: ModerationRealtime | null;

  private client?: ParleyApi;
  private disconnectRealtime?: () => void;
  private ticker?: ReturnType<typeof setInterval>;
  /** Set when someone signs in here, so focus can move on once their access is known. */
  private focusOnAccess = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.ticker = setInterval(() => this.moderation?.tick(), TICK_MS);
    // Reconnecting after a move in the DOM: pick the session up again and start over.
    if (this.session && this.moderation && !this.disconnectRealtime) {
      this.session.attach();
      this.begin();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.session?.detach();
    this.stopLive();
    this.moderation?.stop();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const keys = ['server', 'site', 'api', 'realtime'] as const;
    if (keys.some((key) => changed.has(key)) && (this.api || this.server)) this.setup();
    this.sessionObserver.observe(this.session);
    // Signing in or out (here, in another widget of the page, or in another tab) starts over for that session.
    if (this.session && this.moderation && this.session.token !== this.moderation.token) {
      this.focusOnAccess = this.session.signedIn && this.hasUpdated;
      this.begin();
    }
    this.moderationObserver.observe(this.moderation);
  }

  override updated(): void {
    const access = this.moderation?.access;
    if (this.focusOnAccess && (access === 'moderator' || access === 'denied')) {
      this.focusOnAccess = false;
      if (this.focusIsLost()) this.renderRoot.querySelector<HTMLElement>(access === 'moderator' ? '[role="tab"][aria-selected="true"]' : '.sign-out')?.focus();
    }
  }

  private setup(): void {
    this.session?.detach();
    const api = this.api ?? new HttpApi(this.server);
    this.client = api;
    this.session = new SessionState(api, this.site);
    this.apiProvider.setValue(api);
    this.sessionProvider.setValue(this.session);
    this.begin();
  }

  /** Builds the moderator's view for the current session, checks the role, then goes live. */
  private begin(): void {
    const api = this.client;
    const session = this.session;
    if (!api || !session) return;
    this.stopLive();
    this.moderation?.stop();
    const moderation = new ModerationState({ api, session, site: this.site, announce: (event) => this.announce(event) });
    this.moderation = moderation;
    this.moderationProvider.setValue(moderation);
    if (!this.isConnected) return;
    void moderation.start().then(() => {
      if (moderation !== this.moderation || !this.isConnected || moderation.access !== 'moderator') return;
      const realtime = this.realtime === undefined ? new SocketModerationRealtime(api.server) : this.realtime;
      if (realtime) this.disconnectRealtime = moderation.connect(realtime);
    });
  }

  private stopLive(): void {
    this.disconnectRealtime?.();
    this.disconnectRealtime = undefined;
  }

  /** Fires a public event from the admin itself; the part that acted may already have left the page. */
  private announce(event: Event): void {
    this.dispatchEvent(event);
    // A button that took its item out of the list took the focus with it.
    void this.updateComplete.then(() => {
      if (this.focusIsLost()) this.activePanel()?.focus();
    });
  }

  private focusIsLost(): boolean {
    const active = document.activeElement;
    return !active || active === document.body || (active === this && !this.shadowRoot?.activeElement);
  }

  private activePanel(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[role="tabpanel"]:not([hidden])');
  }

  private select(tab: AdminTab, focus: boolean): void {
    void this.moderation?.show(tab);
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  /** Arrow keys move between tabs (and select them), Home and End go to the first and last. */
  private onTabKeydown(event: KeyboardEvent): void {
    const current = adminTabs.indexOf(this.moderation?.tab ?? 'reported');
    const last = adminTabs.length - 1;
    const targets: Record<string, number> = {
      ArrowRight: current === last ? 0 : current + 1,
      ArrowLeft: current === 0 ? last : current - 1,
      Home: 0,
      End: last,
    };
    const next = targets[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.select(adminTabs[next]!, true);
  }

  private async onQueueRequest(event: ParleyQueueRequestEvent): Promise<void> {
    event.stopPropagation();
    const { request, item, opener } = event;
    let closed: Promise<void>;
    if (request === 'remove') closed = this.removeDialog.show(item);
    else if (item.author) closed = this.banDialog.show(item.author);
    else return;
    this.dialogOpen = true;
    await closed;
    this.dialogOpen = false;
    await this.updateComplete;
    // Focus was in the dialog: back to the button that opened it, or to the panel when its item left.
    if (opener.isConnected) opener.focus();
    else this.activePanel()?.focus();
  }

  private async signOut(): Promise<void> {
    if (this.session) await signOut(this.session);
    this.dispatchEvent(new ParleySignOutEvent());
  }

  /** Reads the open tab again from the server. */
  reload(): Promise<void> {
    return this.moderation?.changed() ?? Promise.resolve();
  }

  private renderQueue(queue: Queue) {
    const list = this.moderation!.queues[queue];
    if (list.status === 'idle' || list.status === 'loading') return html`<p class="muted" role="status">Loading…</p>`;
    if (list.status === 'error') {
      return html`<div class="error" role="alert">
        <p>Couldn't load the queue. ${list.error?.message ?? ''}</p>
        <button type="button" @click=${() => void list.load()}>Retry</button>
      </div>`;
    }
    return html`
      ${list.error ? html`<p class="alert" role="alert">Couldn't refresh the queue. ${list.error.message}</p>` : nothing}
      ${list.items.length
        ? html`<div class="items" @parley-queue-request=${this.onQueueRequest}>
            ${repeat(
              list.items,
              (item) => item.comment.id,
              (item) => html`<parley-queue-item
                .item=${item}
                queue=${queue}
                exportparts="item, item__header, item__body, item__reports, item__note, item__actions"
              ></parley-queue-item>`,
            )}
          </div>`
        : html`<p class="empty" part="empty">${emptyQueue[queue]}</p>`}
      ${list.nextCursor
        ? html`<div class="more">
            <button type="button" part="load-more" aria-busy=${list.loadingMore ? 'true' : 'false'} @click=${() => void list.loadMore()}>
              Load more
            </button>
            ${list.loadMoreError ? html`<p class="alert" role="alert">${list.loadMoreError.message}</p>` : nothing}
          </div>`
        : nothing}
    `;
  }

  private renderPanel(tab: AdminTab) {
    if (tab === 'audit') return html`<parley-audit-log exportparts="load-more"></parley-audit-log>`;
    if (tab === 'settings') return html`<parley-site-settings></parley-site-settings>`;
    return this.renderQueue(tab);
  }

  private renderModerator() {
    const moderation = this.moderation!;
    const current = moderation.tab;
    return html`
      <div class="account" part="account">
        <p>Signed in as <strong>${moderation.me?.name ?? this.session?.user?.name ?? ''}</strong></p>
        <button type="button" class="link sign-out" @click=${this.signOut}>Sign out</button>
      </div>
      ${moderation.liveRefusal
        ? html`<p class="connection" role="status" part="connection">Live updates are off: ${moderation.liveRefusal}</p>`
        : moderation.connection === 'offline'
          ? html`<p class="connection" role="status" part="connection">Connection lost. The queues will update when it returns.</p>`
          : nothing}
      <div class="tabs" role="tablist" aria-label="Moderation" part="tabs" @keydown=${this.onTabKeydown}>
        ${adminTabs.map(
          (tab) => html`<button
            type="button"
            role="tab"
            part="tab"
            id=${`tab-${tab}`}
            aria-selected=${tab === current ? 'true' : 'false'}
            aria-controls=${`panel-${tab}`}
            tabindex=${tab === current ? '0' : '-1'}
            @click=${() => this.select(tab, false)}
          >
            ${tabLabels[tab]}
          </button>`,
        )}
      </div>
      ${adminTabs.map(
        (tab) => html`<div role="tabpanel" part="panel" id=${`panel-${tab}`} aria-labelledby=${`tab-${tab}`} tabindex="0" ?hidden=${tab !== current}>
          ${tab === current ? this.renderPanel(tab) : nothing}
        </div>`,
      )}
    `;
  }

  private renderAccess() {
    const moderation = this.moderation;
    switch (moderation?.access) {
      case 'checking':
        return html`<p class="muted" role="status">Checking your access…</p>`;
      case 'error':
        return html`<div class="error" role="alert">
          <p>Couldn't check your access. ${moderation.accessError?.message ?? ''}</p>
          <button type="button" @click=${() => void moderation.start()}>Retry</button>
        </div>`;
      case 'denied':
        return html`<div class="account" part="denied">
          <p>You are not a moderator of this site.</p>
          <button type="button" class="link sign-out" @click=${this.signOut}>Sign out</button>
        </div>`;
      case 'moderator':
        return this.renderModerator();
      default:
        return nothing;
    }
  }

  override render() {
    if (!this.api && !this.server) {
      return html`<p class="alert" role="alert" part="base">
        Parley needs the address of its comments server: set the <code>server</code> attribute.
      </p>`;
    }
    const signedOut = !this.moderation || this.moderation.access === 'signed-out';
    return html`
      <section part="base" aria-label="Moderation">
        <div class="main" aria-hidden=${this.dialogOpen ? 'true' : 'false'}>${this.renderAccess()}</div>
        <parley-sign-in ?hidden=${!signedOut} exportparts="prompt">
          <slot name="sign-in">Sign in to moderate this site.</slot>
        </parley-sign-in>
      </section>
      <parley-remove-dialog exportparts="dialog: remove-dialog"></parley-remove-dialog>
      <parley-ban-dialog exportparts="dialog: ban-dialog"></parley-ban-dialog>
    `;
  }
}
