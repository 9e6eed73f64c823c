import { LitElement, html, nothing } from 'lit';
import { commentLink } from '../lib/permalink.js';
import { consume } from '@lit/context';
import { query, state } from 'lit/decorators.js';
import type { MyComment, PublicUser } from '@parley/protocol';
import { limits } from '@parley/protocol/client';
import { sessionContext } from '../context.js';
import { ParleyAccountDeletedEvent, ParleyUserUnblockedEvent } from '../events.js';
import { openModal } from '../lib/dialog.js';
import { trapFocus } from '../lib/focus-trap.js';
import { ObserveController } from '../lib/observable.js';
import { formatAbsolute, formatRelative } from '../lib/relative-time.js';
import type { SessionState } from '../state/session-state.js';
import { controlStyles } from '../styles/controls.js';
import { sharedStyles } from '../styles/shared.js';
import { accountStyles } from './parley-account.styles.js';
import { changePassword, deleteAccount, unblockUser } from '../state/session-actions.js';

const EXCERPT_MAX = 140;

/** The text of a comment's rendered HTML, shortened. The HTML is never run: DOMParser only reads it. */
function excerpt(html: string): string {
  const text = (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX - 1).trimEnd()}…` : text;
}

/** What a comment of the reader's own says in their list. */
function summary({ comment }: MyComment): string {
  switch (comment.status) {
    case 'deleted':
      return 'This comment was deleted.';
    case 'removed':
      return 'Removed by a moderator.';
    default:
      return excerpt(comment.html);
  }
}

/** The permalink of one of the reader's comments. */
function permalink({ comment, page }: MyComment): string | null {
  return commentLink(page, comment.id);
}

/**
 * @summary The signed-in reader's "Account" button and the "Account" dialog
 * it opens: "My comments" (newest first, each a link to its permalink),
 * "Blocked users" (each with "Unblock NAME"), "Change password" (current and
 * new password; the reader's other sessions end, this one stays), "Download
 * my data" (a JSON file, `parley-data-SITE.json`) and "Delete my account",
 * which asks again in a dialog "Delete your account?".
 *
 * `<parley-comments>` shows it next to "Sign out"; it reads the session from
 * `sessionContext`.
 *
 * @event parley-user-unblocked - The reader unblocked a user.
 * @event parley-account-deleted - The reader deleted their account (they are signed out right after).
 *
 * @csspart button - The "Account" button.
 * @csspart dialog - The "Account" dialog.
 * @csspart confirm - The "Delete your account?" dialog.
 * @csspart error - A message saying what failed.
 */
export class ParleyAccount extends LitElement {
  static override styles = [sharedStyles, controlStyles, accountStyles];

  private readonly observer = new ObserveController(this);

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: SessionState;

  @query('dialog.panel') private panel!: HTMLDialogElement;
  @query('dialog.confirm') private confirm!: HTMLDialogElement;
  @query('.opener') private opener!: HTMLButtonElement;
  @query('form.password') private passwordForm!: HTMLFormElement;

  @state() private open = false;
  @state() private confirming = false;
  @state() private comments: MyComment[] = [];
  @state() private nextCursor: string | null = null;
  @state() private commentsStatus: 'loading' | 'ready' | 'error' = 'loading';
  @state() private loadingMore = false;
  @state() private busy = false;
  @state() private error = '';
  @state() private confirmError = '';
  @state() private changingPassword = false;
  @state() private passwordError = '';
  @state() private passwordChanged = false;

  override willUpdate(): void {
    this.observer.observe(this.session);
  }

  /** Opens the "Account" dialog and loads the reader's comments and blocked users. */
  async show(): Promise<void> {
    this.error = '';
    this.passwordError = '';
    this.passwordChanged = false;
    this.open = true;
    await this.updateComplete;
    openModal(this.panel, () => this.opener);
    this.panel.querySelector<HTMLElement>('h2')?.focus();
    void this.session?.loadBlocked({ fresh: true });
    await this.loadComments();
  }

  /** Closes the dialogs; focus goes back to the Account button. */
  close(): void {
    if (this.confirm?.open) this.confirm.close();
    if (this.panel?.open) this.panel.close();
  }

  private async loadComments(cursor?: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (cursor) this.loadingMore = true;
    else this.commentsStatus = 'loading';
    try {
      const page = await session.request('listMyComments', { query: { site: session.site, ...(cursor ? { cursor } : {}) } });
      this.comments = cursor ? [...this.comments, ...page.comments] : page.comments;
      this.nextCursor = page.nextCursor;
      this.commentsStatus = 'ready';
    } catch (error) {
      if (cursor) this.error = (error as Error).message;
      else this.commentsStatus = 'error';
    } finally {
      this.loadingMore = false;
    }
  }

  private async unblock(user: PublicUser, index: number): Promise<void> {
    if (!this.session || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await unblockUser(this.session, user);
      this.dispatchEvent(new ParleyUserUnblockedEvent(user));
    } catch (error) {
      this.error = (error as Error).message;
      return;
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    // The button pressed is gone: focus the next one, or the section when the list is empty.
    const buttons = this.panel.querySelectorAll<HTMLButtonElement>('.blocked button');
    (buttons[Math.min(index, buttons.length - 1)] ?? this.panel.querySelector<HTMLElement>('#blocked-title'))?.focus();
  }

  private async download(): Promise<void> {
    const session = this.session;
    if (!session || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const data = await session.request('exportMyData', { query: { site: session.site } });
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `parley-data-${session.site}.json`;
      link.hidden = true;
      this.renderRoot.append(link);
      link.click();
      link.remove();
      // The download has started from the URL by now, but give a slow disk time before letting go of it.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private async changePassword(event: Event): Promise<void> {
    event.preventDefault();
    const session = this.session;
    if (!session || this.changingPassword) return;
    const data = new FormData(this.passwordForm);
    const currentPassword = String(data.get('currentPassword') ?? '');
    const newPassword = String(data.get('newPassword') ?? '');
    this.passwordChanged = false;
    // The checks a reader can fix before a round trip; the server checks again.
    if (!currentPassword) {
      this.passwordError = 'Enter your current password.';
      return;
    }
    if (newPassword.length < limits.passwordMin) {
      this.passwordError = `New password must be at least ${limits.passwordMin} characters.`;
      return;
    }
    this.changingPassword = true;
    this.passwordError = '';
    try {
      await changePassword(session, { currentPassword, newPassword });
      this.passwordForm.reset();
      this.passwordChanged = true;
    } catch (error) {
      this.passwordError = (error as Error).message;
    } finally {
      this.changingPassword = false;
    }
  }

  private onPasswordInput(): void {
    this.passwordError = '';
    this.passwordChanged = false;
  }

  private askDelete(event: Event): void {
    const opener = event.currentTarget as HTMLButtonElement;
    this.confirmError = '';
    this.confirming = true;
    openModal(this.confirm, () => opener);
  }

  private async deleteAccount(): Promise<void> {
    if (!this.session || this.busy) return;
    this.busy = true;
    this.confirmError = '';
    try {
      await deleteAccount(this.session, () => {
        this.close();
        this.dispatchEvent(new ParleyAccountDeletedEvent());
      });
    } catch (error) {
      this.confirmError = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private renderComments() {
    if (this.commentsStatus === 'loading') return html`<p class="muted" role="status">Loading your comments…</p>`;
    if (this.commentsStatus === 'error') {
      return html`<div role="alert" part="error">
        <p class="alert">Couldn't load your comments.</p>
        <button type="button" @click=${() => void this.loadComments()}>Retry</button>
      </div>`;
    }
    if (!this.comments.length) return html`<p class="muted">You haven't commented yet.</p>`;
    const now = new Date();
    return html`
      <ul class="mine">
        ${this.comments.map((item) => {
          const href = permalink(item);
          const created = new Date(item.comment.createdAt);
          const text = summary(item);
          return html`<li>
            ${href ? html`<a href=${href} @click=${this.close}>${text}</a>` : html`<span>${text}</span>`}
            <span class="meta">
              ${item.page.title ?? item.page.url ?? item.page.key} ·
              <time datetime=${item.comment.createdAt} title=${formatAbsolute(created)}>${formatRelative(created, now)}</time>
              ${item.comment.status === 'pending' ? html` · <span class="pending">Awaiting moderation</span>` : nothing}
            </span>
          </li>`;
        })}
      </ul>
      ${this.nextCursor
        ? html`<button type="button" ?disabled=${this.loadingMore} @click=${() => void this.loadComments(this.nextCursor ?? undefined)}>
            ${this.loadingMore ? 'Loading…' : 'Load more'}
          </button>`
        : nothing}
    `;
  }

  private renderBlocked() {
    const blocked = this.session?.blocked ?? [];
    if (!blocked.length) return html`<p class="muted">You haven't blocked anyone.</p>`;
    return html`<ul class="blocked">
      ${blocked.map(
        (user, index) => html`<li>
          <span>${user.name}</span>
          <button type="button" ?disabled=${this.busy} @click=${() => void this.unblock(user, index)}>Unblock ${user.name}</button>
        </li>`,
      )}
    </ul>`;
  }

  private renderPassword() {
    return html`<form class="password" novalidate @submit=${this.changePassword} @input=${this.onPasswordInput}>
      <label>
        Current password
        <input name="currentPassword" type="password" autocomplete="current-password" maxlength=${limits.passwordMax} />
      </label>
      <label>
        New password
        <input
          name="newPassword"
          type="password"
          autocomplete="new-password"
          maxlength=${limits.passwordMax}
          aria-describedby="new-password-hint"
        />
      </label>
      <small id="new-password-hint">At least ${limits.passwordMin} characters. Other devices will be signed out; this one stays signed in.</small>
      ${this.passwordError ? html`<p class="alert" role="alert" part="error">${this.passwordError}</p>` : nothing}
      ${this.passwordChanged ? html`<p class="done" role="status">Password changed.</p>` : nothing}
      <button type="submit" aria-busy=${this.changingPassword ? 'true' : 'false'} ?disabled=${this.changingPassword}>Change password</button>
    </form>`;
  }

  override render() {
    return html`
      <button type="button" class="link opener" part="button" @click=${() => void this.show()}>Account</button>
      <dialog class="panel" part="dialog" aria-labelledby="account-title" @keydown=${trapFocus} @close=${() => (this.open = false)}>
        ${this.open
          ? html`<div class="content" aria-hidden=${this.confirming ? 'true' : 'false'}>
              <h2 id="account-title" tabindex="-1">Account</h2>
              <section aria-labelledby="mine-title">
                <h3 id="mine-title">My comments</h3>
                ${this.renderComments()}
              </section>
              <section aria-labelledby="blocked-title">
                <h3 id="blocked-title" tabindex="-1">Blocked users</h3>
                ${this.renderBlocked()}
              </section>
              <section aria-labelledby="password-title">
                <h3 id="password-title">Change password</h3>
                ${this.renderPassword()}
              </section>
              ${this.error ? html`<p class="alert" role="alert" part="error">${this.error}</p>` : nothing}
              <div class="row">
                <button type="button" ?disabled=${this.busy} @click=${this.download}>Download my data</button>
                <button type="button" class="danger" ?disabled=${this.busy} @click=${this.askDelete}>Delete my account</button>
              </div>
              <button type="button" class="close" aria-label="Close" @click=${this.close}>×</button>
            </div>`
          : nothing}
      </dialog>
      <dialog
        class="confirm"
        part="confirm"
        aria-labelledby="confirm-title"
        @keydown=${trapFocus}
        @close=${() => (this.confirming = false)}
      >
        <h3 id="confirm-title">Delete your account?</h3>
        <p>
          Your comments stay in their threads, marked as deleted and without your name, and you are signed out everywhere.
          This can't be undone.
        </p>
        ${this.confirmError ? html`<p class="alert" role="alert" part="error">${this.confirmError}</p>` : nothing}
        <div class="row">
          <button type="button" class="danger" ?disabled=${this.busy} @click=${this.deleteAccount}>Delete my account</button>
          <button type="button" autofocus @click=${() => this.confirm.close()}>Cancel</button>
        </div>
      </dialog>
    `;
  }
}
