import { html, nothing } from 'lit';
import type { QueueItem } from '@parley/protocol';
import { trapFocus } from '../../lib/focus-trap.js';
import { controlStyles } from '../../styles/controls.js';
import { sharedStyles } from '../../styles/shared.js';
import { formStyles } from '../form.styles.js';
import { removeDialogStyles } from './parley-remove-dialog.styles.js';
import { authorName } from '../format.js';
import { ReasonDialog } from '../reason-dialog.js';

/**
 * @summary The "Remove comment" dialog: asks for a reason, then removes the
 * comment.
 *
 * @csspart dialog - The dialog.
 * @csspart error - The error shown in the dialog.
 */
export class ParleyRemoveDialog extends ReasonDialog<QueueItem> {
  static override styles = [sharedStyles, controlStyles, formStyles, removeDialogStyles];

  protected override async act(item: QueueItem, reason: string): Promise<void> {
    await this.moderation!.moderate(item, 'remove', reason);
  }

  protected override firstField(): HTMLElement | null {
    return this.reasonBox;
  }

  override render() {
    const name = authorName(this.target?.author ?? null);
    return html`
      <dialog part="dialog" aria-labelledby="title" @close=${this.onClose} @keydown=${trapFocus}>
        <form novalidate @submit=${this.submit}>
          <h2 id="title">Remove comment</h2>
          <p class="lead">
            Readers will no longer see this comment by ${name}. If it has replies, a placeholder keeps its place.
          </p>
          ${this.error ? html`<p class="alert" role="alert" part="error">${this.error}</p>` : nothing}
          ${this.renderReason()}
          <div class="row">
            <button type="submit" class="danger" aria-busy=${this.busy ? 'true' : 'false'} ?disabled=${this.busy}>Remove</button>
            <button type="button" @click=${this.close}>Cancel</button>
          </div>
        </form>
      </dialog>
    `;
  }
}
