import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { limits } from '@parley/protocol/client';
import type { Comment } from '@parley/protocol';
import { sessionContext, threadContext } from '../context.js';
import { ParleyCommentDeletedEvent, ParleyCommentEditedEvent } from '../events.js';
import { trapFocus } from '../lib/focus-trap.js';
import { ObserveController } from '../lib/observable.js';
import { formatAbsolute, formatRelative } from '../lib/relative-time.js';
import type { SessionState } from '../state/session-state.js';
import type { ThreadState } from '../state/thread-state.js';
import { sharedStyles } from '../styles/shared.js';
import type { ParleyComposer } from '../composer/parley-composer.component.js';
import { commentStyles } from './parley-comment.styles.js';

/** Replies indent up to this depth; deeper ones say whom they answer instead. */
export const MAX_INDENT_DEPTH = 3;

/**
 * @summary One comment: author, time, body, actions, and its replies.
 *
 * @event parley-comment-edited - The reader saved an edit of their comment.
 * @event parley-comment-deleted - The reader deleted their comment.
 *
 * @csspart comment - The comment's article.
 * @csspart comment__header - Author, time and marks.
 * @csspart comment__author - The author's name.
 * @csspart comment__body - The rendered body.
 * @csspart comment__actions - The row of buttons.
 * @csspart replies - The group of replies.
 */
export class ParleyComment extends LitElement {
  static override styles = [sharedStyles, commentStyles];

  private readonly threadObserver = new ObserveController(this);
  private readonly sessionObserver = new ObserveController(this);

  @consume({ context: threadContext, subscribe: true })
  @state()
  private thread?: ThreadState;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: SessionState;

  @query('dialog') private deleteDialog!: HTMLDialogElement;
  @query('.edit textarea') private editBox?: HTMLTextAreaElement;
  @query('parley-composer') private replyComposer?: ParleyComposer;

  @state() private replying = false;
  @state() private editing = false;
  @state() private editText = '';
  @state() private busy = false;
  @state() private error = '';

  /** The comment to show. */
  @property({ attribute: false }) comment!: Comment;
  /** Nesting depth; 0 for a top-level comment. */
  @property({ type: Number }) depth = 0;
  /** Name of the author of the parent comment, shown past the indent cap. */
  @property({ attribute: false }) replyTo: string | null = null;

  override willUpdate(): void {
    this.threadObserver.observe(this.thread);
    this.sessionObserver.observe(this.session);
  }

  private get authorName(): string {
    return this.comment.author?.name ?? 'a deleted comment';
  }

  private get isOwn(): boolean {
    const me = this.session?.user;
    return !!me && this.comment.author?.id === me.id && this.comment.status !== 'deleted';
  }

  private startReply(): void {
    this.replying = true;
    void this.updateComplete.then(() => this.replyComposer?.focus());
  }

  private async startEdit(): Promise<void> {
    if (!this.thread) return;
    this.error = '';
    this.busy = true;
    try {
      this.editText = await this.thread.source(this.comment.id);
      this.editing = true;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
    // Only once `busy` is off: the box renders disabled while busy, and a disabled box ignores focus().
    if (this.editing) {
      await this.updateComplete;
      this.editBox?.focus();
    }
  }

  private async saveEdit(event: Event): Promise<void> {
    event.preventDefault();
    const body = this.editText.trim();
    if (!body || this.busy || !this.thread) return;
    this.busy = true;
    this.error = '';
    try {
      const comment = await this.thread.edit(this.comment.id, body);
      this.editing = false;
      this.dispatchEvent(new ParleyCommentEditedEvent(comment));
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private onEditKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void this.saveEdit(event);
    if (event.key === 'Escape') {
      event.preventDefault();
      this.editing = false;
    }
  }

  private askDelete(): void {
    this.error = '';
    this.deleteDialog.showModal();
  }

  private async confirmDelete(): Promise<void> {
    const thread = this.thread;
    if (!thread || this.busy) return;
    this.busy = true;
    const id = this.comment.id;
    // A removed comment's element leaves the page as soon as the thread
    // changes, and an event fired from a detached element reaches no one. So
    // announce the deletion from the thread's own change notice, while this
    // element is still in the page.
    const stopListening = thread.subscribe(() => {
      if (thread.get(id)?.status === 'published') return;
      stopListening();
      this.dispatchEvent(new ParleyCommentDeletedEvent(id));
    });
    try {
      await thread.remove(id);
      this.deleteDialog.close();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      stopListening();
      this.busy = false;
    }
  }

  private renderBody() {
    if (this.comment.status === 'deleted') return html`<p class="deleted">This comment was deleted.</p>`;
    if (this.editing) {
      return html`
        <form class="edit" @submit=${this.saveEdit}>
          <label class="visually-hidden" for="edit">Edit comment</label>
          <textarea
            id="edit"
            .value=${this.editText}
            maxlength=${limits.commentMax}
            ?disabled=${this.busy}
            @input=${(e: Event) => (this.editText = (e.target as HTMLTextAreaElement).value)}
            @keydown=${this.onEditKeydown}
          ></textarea>
          <div class="row">
            <button type="submit" class="primary" ?disabled=${this.busy || !this.editText.trim()}>Save</button>
            <button type="button" @click=${() => (this.editing = false)}>Cancel</button>
          </div>
        </form>
      `;
    }
    // The server renders and sanitises this HTML; it is the only form of the body shown.
    return html`<div class="body" part="comment__body">${unsafeHTML(this.comment.html)}</div>`;
  }

  private renderActions() {
    if (this.comment.status === 'deleted' || this.editing) return nothing;
    const signedIn = !!this.session?.signedIn;
    return html`
      <div class="actions" part="comment__actions">
        ${signedIn && !this.replying
          ? html`<button class="link" type="button" @click=${this.startReply}>Reply</button>`
          : nothing}
        ${this.isOwn
          ? html`
              <button class="link" type="button" ?disabled=${this.busy} @click=${this.startEdit}>Edit</button>
              <button class="link" type="button" ?disabled=${this.busy} @click=${this.askDelete}>Delete</button>
            `
          : nothing}
      </div>
    `;
  }

  override render() {
    const thread = this.thread;
    if (!this.comment || !thread) return nothing;
    const c = this.comment;
    const created = new Date(c.createdAt);
    const replies = thread.repliesOf(c.id);
    const childDepth = this.depth + 1;
    const deleted = c.status === 'deleted';
    return html`
      <div class="comment">
        <article
          part="comment"
          class=${thread.isFresh(c.id) ? 'fresh' : ''}
          aria-label=${deleted ? 'Deleted comment' : `Comment by ${this.authorName}`}
          data-comment-id=${c.id}
        >
          <header part="comment__header">
            ${deleted ? nothing : html`<span class="author" part="comment__author">${this.authorName}</span>`}
            <time datetime=${c.createdAt} title=${formatAbsolute(created)}>${formatRelative(created, thread.now)}</time>
            ${c.editedAt && !deleted
              ? html`<span class="edited" title=${`Edited ${formatAbsolute(new Date(c.editedAt))}`}>edited</span>`
              : nothing}
            ${this.depth > MAX_INDENT_DEPTH && this.replyTo
              ? html`<span class="replying-to">replying to ${this.replyTo}</span>`
              : nothing}
          </header>
          ${this.renderBody()}
          ${this.error && !this.deleteDialog?.open ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
          ${this.renderActions()}
          ${this.replying
            ? html`<parley-composer
                label=${`Reply to ${this.authorName}`}
                submit-label="Post reply"
                parent-id=${c.id}
                cancelable
                @parley-comment-posted=${() => (this.replying = false)}
                @parley-cancel=${(e: Event) => {
                  e.stopPropagation();
                  this.replying = false;
                }}
              ></parley-composer>`
            : nothing}
        </article>
        ${replies.length
          ? html`<div
              class="replies ${childDepth <= MAX_INDENT_DEPTH ? 'indent' : ''}"
              part="replies"
              role="group"
              aria-label=${`Replies to ${this.authorName}`}
            >
              ${repeat(
                replies,
                (reply) => reply.id,
                (reply) => html`<parley-comment
                  .comment=${reply}
                  .depth=${childDepth}
                  .replyTo=${this.authorName}
                  exportparts="comment, comment__header, comment__author, comment__body, comment__actions, replies"
                ></parley-comment>`,
              )}
            </div>`
          : nothing}
        <dialog aria-labelledby="delete-title" @keydown=${trapFocus} @close=${() => (this.error = '')}>
          <h3 id="delete-title">Delete this comment?</h3>
          <p>${replies.length ? 'Its replies stay; it will show as deleted.' : 'It will be removed from the page.'}</p>
          ${this.error && this.deleteDialog?.open ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
          <div class="row">
            <button type="button" class="danger" ?disabled=${this.busy} @click=${this.confirmDelete}>Delete</button>
            <button type="button" autofocus @click=${() => this.deleteDialog.close()}>Cancel</button>
          </div>
        </dialog>
      </div>
    `;
  }
}
