import { html, nothing } from 'lit';
import { banDurationLabels, banDurations } from '@parley/protocol/client';
import type { BanDuration, PublicUser } from '@parley/protocol';
import { trapFocus } from '../../lib/focus-trap.js';
import { controlStyles } from '../../styles/controls.js';
import { sharedStyles } from '../../styles/shared.js';
import { formStyles } from '../form.styles.js';
import { ReasonDialog } from '../reason-dialog.js';
import { banDialogStyles } from './parley-ban-dialog.styles.js';

/**
 * @summary The "Ban NAME" dialog: a duration, a reason, whether to remove the
 * user's comments too; then bans the user from commenting on the site.
 *
 * @csspart dialog - The dialog.
 * @csspart error - The error shown in the dialog.
 */
export class ParleyBanDialog extends ReasonDialog<PublicUser> {
  static override styles = [sharedStyles, controlStyles, formStyles, banDialogStyles];

  protected override async act(user: PublicUser, reason: string, data: FormData): Promise<void> {
    await this.moderation!.ban(user.id, {
      duration: String(data.get('duration')) as BanDuration,
      reason,
      removeComments: data.get('removeComments') === 'on',
    });
  }

  protected override firstField(): HTMLElement | null {
    return this.form.querySelector<HTMLInputElement>('input[name="duration"]:checked');
  }

  override render() {
    const name = this.target?.name ?? '';
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
          ${this.renderReason()}
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
