import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { property, query, state } from 'lit/decorators.js';
import { limits } from '@parley/protocol/client';
import { threadContext } from '../context.js';
import { ParleyBeforePostEvent, ParleyCancelEvent, ParleyCommentPostedEvent } from '../events.js';
import { ObserveController } from '../lib/observable.js';
import { storage } from '../lib/storage.js';
import type { ThreadState } from '../state/thread-state.js';
import { postComment } from '../state/thread-writes.js';
import { controlStyles } from '../styles/controls.js';
import { sharedStyles } from '../styles/shared.js';
import { composerStyles } from './parley-composer.styles.js';

/**
 * @summary Writes a comment or a reply. Keeps a draft across reloads; a failed
 * post keeps the text and says why.
 *
 * @event parley-before-post - Cancelable; fired before sending.
 * @event parley-comment-posted - The server accepted the comment.
 * @event parley-cancel - The reader closed a reply composer (only with `cancelable`).
 *
 * @csspart form - The form.
 * @csspart textarea - The text box.
 * @csspart submit - The post button.
 * @csspart error - The message shown when posting failed.
 */
export class ParleyComposer extends LitElement {
  static override styles = [sharedStyles, controlStyles, composerStyles];

  private readonly observer = new ObserveController(this);

  @consume({ context: threadContext, subscribe: true })
  @state()
  private thread?: ThreadState;

  @query('textarea') private textarea!: HTMLTextAreaElement;

  @state() private text = '';
  @state() private sending = false;
  @state() private error = '';

  /** Accessible name of the text box. */
  @property() label = 'Comment';
  /** Text of the submit button. */
  @property({ attribute: 'submit-label' }) submitLabel = 'Post';
  /** The comment this replies to; unset for a top-level comment. */
  @property({ attribute: 'parent-id' }) parentId: string | null = null;
  /** Shows a Cancel button that fires `parley-cancel`. */
  @property({ type: Boolean }) cancelable = false;

  override willUpdate(changed: Map<string, unknown>): void {
    this.observer.observe(this.thread);
    if ((changed.has('thread') || changed.has('parentId')) && this.thread && !this.text) {
      this.text = storage.get(this.draftKey) ?? '';
    }
  }

  /** Moves focus to the text box. */
  override focus(): void {
    void this.updateComplete.then(() => this.textarea?.focus());
  }

  private get draftKey(): string {
    const t = this.thread;
    return `parley:draft:${t?.options.api.server}|${t?.site}|${t?.page}|${this.parentId ?? 'top'}`;
  }

  private onInput(event: Event): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    if (this.error) this.error = '';
    if (this.text.trim()) storage.set(this.draftKey, this.text);
    else storage.remove(this.draftKey);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.submit();
    }
  }

  private async submit(event?: Event): Promise<void> {
    event?.preventDefault();
    const body = this.text.trim();
    if (!body || this.sending || !this.thread) return;
    if (body.length > limits.commentMax) {
      this.error = `Comments can be at most ${limits.commentMax.toLocaleString('en')} characters.`;
      return;
    }
    if (!this.dispatchEvent(new ParleyBeforePostEvent(body, this.parentId))) return;
    this.sending = true;
    this.error = '';
    try {
      const comment = await postComment(this.thread, body, this.parentId);
      this.text = '';
      storage.remove(this.draftKey);
      this.dispatchEvent(new ParleyCommentPostedEvent(comment));
    } catch (error) {
      this.error = (error as Error).message || 'Your comment could not be posted.';
    } finally {
      this.sending = false;
    }
  }

  private cancel(): void {
    this.dispatchEvent(new ParleyCancelEvent());
  }

  override render() {
    const remaining = limits.commentMax - this.text.length;
    return html`
      <form part="form" @submit=${this.submit}>
        <label class="visually-hidden" for="text">${this.label}</label>
        <textarea
          id="text"
          part="textarea"
          .value=${this.text}
          placeholder="Write a comment… Markdown works: **bold**, _italic_, [links](https://…)"
          ?disabled=${this.sending}
          aria-describedby="hint ${this.error ? 'error' : ''}"
          aria-invalid=${this.error ? 'true' : 'false'}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        ></textarea>
        ${this.error ? html`<p id="error" class="alert" role="alert" part="error">${this.error}</p>` : nothing}
        <div class="footer">
          <span id="hint" class="hint">Ctrl+Enter to post</span>
          ${remaining < 500
            ? html`<span class="remaining ${remaining < 0 ? 'over' : ''}" aria-live="polite">${remaining} characters left</span>`
            : nothing}
          ${this.cancelable ? html`<button type="button" @click=${this.cancel}>Cancel</button>` : nothing}
          <button
            type="submit"
            class="primary"
            part="submit"
            aria-busy=${this.sending ? 'true' : 'false'}
            ?disabled=${!this.text.trim() || this.sending}
          >
            ${this.submitLabel}
          </button>
        </div>
      </form>
    `;
  }
}
