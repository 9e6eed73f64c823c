import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { query, state } from 'lit/decorators.js';
import { banDurationLabels, banDurations, limits } from '@parley/protocol/client';
import type { BanDuration, PublicUser } from '@parley/protocol';
import { trapFocus } from '../../lib/focus-trap.js';
import { sharedStyles } from '../../styles/shared.js';
import { formStyles } from '../form.styles.js';
import { moderationContext } from '../moderation-context.js';
import type { ModerationState } from '../moderation-state.js';
import { banDialogStyles } from './parley-ban-dialog.styles.js';

/**
 * @summary The "Ban NAME" dialog: a duration, a reason, whether to remove the
 * user's comments too; then bans the user from commenting on the site.
 *
 * @csspart dialog - The dialog.
 * @csspart error - The error shown in the dialog.
 */
export class ParleyBanDialog extends LitElement {
  static override styles = [sharedStyles, formStyles, banDialogStyles];

  @consume({ context: moderationContext, subscribe: true })
  @state()
  private moderation?: ModerationState;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('form') private form!: HTMLFormElement;
  @query('textarea') private reasonBox!: HTMLTextAreaElement;

  @state() private user: PublicUser | null = null;
  @state() private busy = false;
  @state() private error = '';

  private closed?: () => void;

  private onClose(): void {
    this.busy = false;
    this.error = '';
    this.form.reset();
    this.closed?.();
    this.closed = undefined;
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const user = this.user;
    if (this.busy || !user || !this.moderation) return;
    const data = new FormData(this.form);
    const reason = String(data.get('reason') ?? '').trim();
    if (!reason) {
      this.error = 'Enter a reason.';
      this.reasonBox.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      await this.moderation.ban(user.id, {
        duration: String(data.get('duration')) as BanDuration,
        reason,
        removeComments: data.get('removeComments') === 'on',
      });
      this.close();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** Opens the dialog for `user`; resolves when it closes, banned or not. */
  show(user: PublicUser): Promise<void> {
    this.closed?.();
    this.user = user;
    this.error = '';
    const done = new Promise<void>((resolve) => (this.closed = resolve));
    void this.updateComplete.then(() => {
      if (!this.dialog.open) this.dialog.showModal();
      this.form.querySelector<HTMLInputElement>('input[name="duration"]:checked')?.focus();
    });
    return done;
  }

  /** Closes the dialog without banning. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  override render() {
    const name = this.user?.name ?? '';
    return html`
      <dialog part="dialog" aria-labelledby="title" @close=${this.onClose} @keydown=${trapFocus}>
        <form novalidate @submit=${this.submit}>
          <h2 id="title">Ban ${name}</h2>
          <p class="lead">${name} will not be able to comment on this site until the ban ends. They keep reading.</p>
          ${this.error ? html`<p class="alert" role="alert" part="error">${this.error}</p>` : nothing}
          <fieldset>
            <legend>Duration</legend>
            ${banDurations.map(
              (duration, index) => html`<label>
                <input type="radio" name="duration" value=${duration} ?checked=${index === 0} />
                ${banDurationLabels[duration]}
              </label>`,
            )}
          </fieldset>
          <label>
            Reason
            <textarea name="reason" rows="3" maxlength=${limits.reasonMax} required aria-describedby="reason-hint"></textarea>
          </label>
          <small id="reason-hint">Kept in the audit log.</small>
          <label class="check"><input type="checkbox" name="removeComments" /> Also remove their comments</label>
          <div class="row">
            <button type="submit" class="danger" aria-busy=${this.busy ? 'true' : 'false'} ?disabled=${this.busy}>Ban</button>
            <button type="button" @click=${this.close}>Cancel</button>
          </div>
        </form>
      </dialog>
    `;
  }
}
