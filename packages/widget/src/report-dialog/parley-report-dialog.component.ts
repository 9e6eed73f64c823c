import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { property, query, state } from 'lit/decorators.js';
import { limits, reportReasonLabels, reportReasons } from '@parley/protocol/client';
import type { ReportReason } from '@parley/protocol';
import { threadContext } from '../context.js';
import { ParleyCommentReportedEvent } from '../events.js';
import { openModal } from '../lib/dialog.js';
import { trapFocus } from '../lib/focus-trap.js';
import type { ThreadState } from '../state/thread-state.js';
import { reportComment } from '../state/thread-writes.js';
import { controlStyles } from '../styles/controls.js';
import { sharedStyles } from '../styles/shared.js';
import { reportDialogStyles } from './parley-report-dialog.styles.js';

/**
 * @summary The "Report comment" dialog: one reason among the protocol's
 * report reasons, optional details, and "Send report". Afterwards it thanks
 * the reader; a refusal (such as a second report) shows inside it.
 *
 * `<parley-comment>` renders one when the reader first asks to report; it
 * reads the thread from `threadContext`.
 *
 * @event parley-comment-reported - The server accepted the report.
 *
 * @csspart dialog - The dialog.
 * @csspart error - The message shown when the report was refused.
 * @csspart thanks - The thank-you message after sending.
 */
export class ParleyReportDialog extends LitElement {
  static override styles = [sharedStyles, controlStyles, reportDialogStyles];

  @consume({ context: threadContext, subscribe: true })
  @state()
  private thread?: ThreadState;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('form') private form?: HTMLFormElement;

  @state() private reason: ReportReason | null = null;
  @state() private details = '';
  @state() private sent = false;
  @state() private busy = false;
  @state() private error = '';

  /** The id of the comment to report. */
  @property({ attribute: 'comment-id' }) commentId = '';

  /**
   * Opens the dialog, empty. When it closes, focus goes to `opener` (the
   * Report button), or else back where it was.
   */
  async show(opener?: HTMLElement): Promise<void> {
    this.reason = null;
    this.details = '';
    this.sent = false;
    this.error = '';
    this.form?.reset();
    await this.updateComplete;
    openModal(this.dialog, opener && (() => opener));
    this.dialog.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
  }

  /** Closes the dialog. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.thread) return;
    const reason = this.reason;
    if (!reason) {
      this.error = 'Choose a reason.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      await reportComment(this.thread, this.commentId, reason, this.details.trim());
      this.sent = true;
      this.dispatchEvent(new ParleyCommentReportedEvent(this.commentId, reason));
      await this.updateComplete;
      this.dialog.querySelector<HTMLButtonElement>('.done')?.focus();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private renderForm() {
    return html`
      <form novalidate @submit=${this.submit}>
        <fieldset>
          <legend>Why are you reporting it?</legend>
          ${reportReasons.map(
            (reason) => html`<label class="choice">
              <input
                type="radio"
                name="reason"
                value=${reason}
                required
                .checked=${this.reason === reason}
                @change=${() => {
                  this.reason = reason;
                  this.error = '';
                }}
              />
              ${reportReasonLabels[reason]}
            </label>`,
          )}
        </fieldset>
        <label class="details">
          Details (optional)
          <textarea
            name="details"
            maxlength=${limits.reportDetailsMax}
            .value=${this.details}
            @input=${(e: Event) => (this.details = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        ${this.error ? html`<p class="alert" role="alert" part="error">${this.error}</p>` : nothing}
        <div class="row">
          <button type="submit" class="primary" aria-busy=${this.busy ? 'true' : 'false'} ?disabled=${this.busy}>Send report</button>
          <button type="button" @click=${this.close}>Cancel</button>
        </div>
      </form>
    `;
  }

  override render() {
    return html`
      <dialog part="dialog" aria-labelledby="title" @keydown=${trapFocus} @close=${() => (this.error = '')}>
        <h3 id="title">Report comment</h3>
        ${this.sent
          ? html`<p class="thanks" role="status" part="thanks">Thanks, moderators will review this comment.</p>
              <div class="row"><button type="button" class="done" @click=${this.close}>Close</button></div>`
          : this.renderForm()}
      </dialog>
    `;
  }
}
