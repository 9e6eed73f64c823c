import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { query, state } from 'lit/decorators.js';
import { limits } from '@parley/protocol/client';
import { sessionContext } from '../context.js';
import { trapFocus } from '../lib/focus-trap.js';
import { ParleySignInEvent } from '../events.js';
import type { SessionState } from '../state/session-state.js';
import { controlStyles } from '../styles/controls.js';
import { sharedStyles } from '../styles/shared.js';
import { signInStyles } from './parley-sign-in.styles.js';
import { signIn, signUp } from '../state/session-actions.js';

type Mode = 'sign-in' | 'sign-up';

/**
 * @summary "Sign in to comment." with a Sign in button that opens a dialog to
 * sign in or create an account.
 *
 * @slot - Replaces the prompt text "Sign in to comment.".
 *
 * @event parley-sign-in - The reader signed in or created an account.
 *
 * @csspart prompt - The box with the prompt and the button.
 * @csspart dialog - The sign-in dialog.
 * @csspart error - The error shown in the dialog.
 */
export class ParleySignIn extends LitElement {
  static override styles = [sharedStyles, controlStyles, signInStyles];

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: SessionState;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('form') private form!: HTMLFormElement;
  @query('.opener') private opener!: HTMLButtonElement;

  @state() private mode: Mode = 'sign-in';
  @state() private open = false;
  @state() private busy = false;
  @state() private error = '';

  /** Opens the sign-in dialog. */
  show(mode: Mode = 'sign-in'): void {
    this.mode = mode;
    this.error = '';
    this.open = true;
    void this.updateComplete.then(() => {
      if (!this.dialog.open) this.dialog.showModal();
      this.firstField()?.focus();
    });
  }

  /** Closes the dialog; focus goes back to the Sign in button. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  private firstField(): HTMLInputElement | null {
    return this.form.querySelector('input');
  }

  private onClose(): void {
    this.open = false;
    this.busy = false;
    this.form.reset();
    // The opener may be gone when the reader is now signed in; the host moves focus then.
    if (this.opener?.isConnected) this.opener.focus();
  }

  private switchMode(): void {
    this.mode = this.mode === 'sign-in' ? 'sign-up' : 'sign-in';
    this.error = '';
    void this.updateComplete.then(() => this.firstField()?.focus());
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.session) return;
    const data = new FormData(this.form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const name = String(data.get('name') ?? '').trim();
    const problem = this.check({ email, password, name });
    if (problem) {
      this.error = problem;
      return;
    }
    this.busy = true;
    this.error = '';
    const session = this.session;
    const creating = this.mode === 'sign-up';
    // Once the session changes, <parley-comments> swaps this element for the
    // composer, and an event fired from a detached element reaches no one. So
    // announce the sign-in from the session's own change notice, while this
    // element is still in the page.
    const stopListening = session.subscribe(() => {
      if (!session.user) return;
      stopListening();
      this.dispatchEvent(new ParleySignInEvent(session.user, creating));
    });
    try {
      if (creating) await signUp(session, { name, email, password });
      else await signIn(session, { email, password });
      this.close();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      stopListening();
      this.busy = false;
    }
  }

  /** The checks a reader can fix before a round trip; the server checks again. */
  private check({ email, password, name }: { email: string; password: string; name: string }): string {
    if (this.mode === 'sign-up' && !name) return 'Enter your name.';
    if (!email) return 'Enter your email address.';
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return 'Enter a valid email address.';
    if (!password) return 'Enter your password.';
    if (this.mode === 'sign-up' && password.length < limits.passwordMin) {
      return `Password must be at least ${limits.passwordMin} characters.`;
    }
    return '';
  }

  override render() {
    const creating = this.mode === 'sign-up';
    const title = creating ? 'Create account' : 'Sign in';
    return html`
      <div class="prompt" part="prompt" aria-hidden=${this.open ? 'true' : 'false'}>
        <p><slot>Sign in to comment.</slot></p>
        <button class="opener primary" type="button" @click=${() => this.show()}>Sign in</button>
      </div>
      <dialog part="dialog" aria-labelledby="title" @close=${this.onClose} @keydown=${trapFocus}>
        <form novalidate @submit=${this.submit}>
          <h2 id="title">${title}</h2>
          ${this.error ? html`<p class="alert" role="alert" part="error">${this.error}</p>` : nothing}
          ${creating
            ? html`<label>Name <input name="name" autocomplete="name" maxlength=${limits.nameMax} /></label>`
            : nothing}
          <label>Email <input name="email" type="email" autocomplete="email" maxlength=${limits.emailMax} /></label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autocomplete=${creating ? 'new-password' : 'current-password'}
              maxlength=${limits.passwordMax}
              aria-describedby=${creating ? 'password-hint' : nothing}
            />
          </label>
          ${creating ? html`<small id="password-hint">At least ${limits.passwordMin} characters.</small>` : nothing}
          <button type="submit" class="primary" aria-busy=${this.busy ? 'true' : 'false'} ?disabled=${this.busy}>${title}</button>
          <p class="switch">
            ${creating ? 'Already have an account?' : 'New here?'}
            <button type="button" class="link" @click=${this.switchMode}>
              ${creating ? 'Use an existing account' : 'Create account'}
            </button>
          </p>
          <button type="button" class="close" aria-label="Close" @click=${this.close}>×</button>
        </form>
      </dialog>
    `;
  }
}
