import { LitElement, html } from 'lit';
import { consume } from '@lit/context';
import { query, state } from 'lit/decorators.js';
import { limits } from '@parley/protocol/client';
import { moderationContext } from './moderation-context.js';
import type { ModerationState } from './moderation-state.js';

/**
 * What the admin's moderator dialogs share: opened for one target, a reason
 * that is required and kept in the audit log, an error shown inside, and a
 * promise that resolves when the dialog closes, done or not.
 */
export abstract class ReasonDialog<Target> extends LitElement {
  @consume({ context: moderationContext, subscribe: true })
  @state()
  protected moderation?: ModerationState;

  @query('dialog') protected dialog!: HTMLDialogElement;
  @query('form') protected form!: HTMLFormElement;
  @query('textarea') protected reasonBox!: HTMLTextAreaElement;

  @state() protected target: Target | null = null;
  @state() protected busy = false;
  @state() protected error = '';

  private closed?: () => void;

  /** Does the dialog's action; a thrown error is shown in the dialog, which stays open. */
  protected abstract act(target: Target, reason: string, data: FormData): Promise<void>;

  /** The control focused when the dialog opens. */
  protected abstract firstField(): HTMLElement | null;

  /** Opens the dialog for `target`; resolves when it closes, whether the action was taken or not. */
  show(target: Target): Promise<void> {
    this.closed?.();
    this.target = target;
    this.error = '';
    const done = new Promise<void>((resolve) => (this.closed = resolve));
    void this.updateComplete.then(() => {
      if (!this.dialog.open) this.dialog.showModal();
      this.firstField()?.focus();
    });
    return done;
  }

  /** Closes the dialog without acting. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  protected onClose(): void {
    this.busy = false;
    this.error = '';
    this.form.reset();
    this.closed?.();
    this.closed = undefined;
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const target = this.target;
    if (this.busy || target === null || !this.moderation) return;
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
      await this.act(target, reason, data);
      this.close();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** The "Reason" text box and its hint. */
  protected renderReason() {
    return html`
      <label>
        Reason
        <textarea name="reason" rows="3" maxlength=${limits.reasonMax} required aria-describedby="reason-hint"></textarea>
      </label>
      <small id="reason-hint">Kept in the audit log.</small>
    `;
  }
}
