import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { query, state } from 'lit/decorators.js';
import { limits } from '@parley/protocol/client';
import type { QueueItem } from '@parley/protocol';
import { trapFocus } from '../../lib/focus-trap.js';
import { sharedStyles } from '../../styles/shared.js';
import { formStyles } from '../form.styles.js';
import { removeDialogStyles } from './parley-remove-dialog.styles.js';
import { authorName } from '../format.js';
import { moderationContext } from '../moderation-context.js';
import type { ModerationState } from '../moderation-state.js';

/**
 * @summary The "Remove comment" dialog: asks for a reason, then removes the
 * comment.
 *
 * @csspart dialog - The dialog.
 * @csspart error - The error shown in the dialog.
 */
export class ParleyRemoveDialog extends LitElement {
  static override styles = [sharedStyles, formStyles, removeDialogStyles];

  @consume({ context: moderationContext, subscribe: true })
  @state()
  private moderation?: ModerationState;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('form') private form!: HTMLFormElement;
  @query('textarea') private reasonBox!: HTMLTextAreaElement;

  @state() private item: QueueItem | null = null;
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
    const item = this.item;
    if (this.busy || !item || !this.moderation) return;
    const reason = this.reasonBox.value.trim();
    if (!reason) {
      this.error = 'Enter a reason.';
      this.reasonBox.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      await this.moderation.moderate(item, 'remove', reason);
      this.close();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** Opens the dialog for `item`; resolves when it closes, removed or not. */
  show(item: QueueItem): Promise<void> {
    this.closed?.();
    this.item = item;
    this.error = '';
    const done = new Promise<void>((resolve) => (this.closed = resolve));
    void this.updateComplete.then(() => {
      if (!this.dialog.open) this.dialog.showModal();
      this.reasonBox.focus();
    });
    return done;
  }

  /** Closes the dialog without removing. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  override render() {
    const name = authorName(this.item?.author ?? null);
    return html`
      <dialog part="dialog" aria-labelledby="title" @close=${this.onClose} @keydown=${trapFocus}>
        <form novalidate @submit=${this.submit}>
          <h2 id="title">Remove comment</h2>
          <p class="lead">
            Readers will no longer see this comment by ${name}. If it has replies, it shows as “Removed by a moderator.”
          </p>
          ${this.error ? html`<p class="alert" role="alert" part="error">${this.error}</p>` : nothing}
          <label>
            Reason
            <textarea name="reason" rows="3" maxlength=${limits.reasonMax} required aria-describedby="reason-hint"></textarea>
          </label>
          <small id="reason-hint">Kept in the audit log.</small>
          <div class="row">
            <button type="submit" class="danger" aria-busy=${this.busy ? 'true' : 'false'} ?disabled=${this.busy}>Remove</button>
            <button type="button" @click=${this.close}>Cancel</button>
          </div>
        </form>
      </dialog>
    `;
  }
}
