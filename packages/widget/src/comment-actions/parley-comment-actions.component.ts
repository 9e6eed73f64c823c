import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { limits } from '@parley/protocol/client';
import type { Comment } from '@parley/protocol';
import { sessionContext, threadContext } from '../context.js';
import { ParleyCommentDeletedEvent, ParleyCommentEditedEvent, ParleyReportRequestEvent, ParleyUserBlockedEvent } from '../events.js';
import { openModal } from '../lib/dialog.js';
import { trapFocus } from '../lib/focus-trap.js';
import { ObservedContext } from '../lib/observable.js';
import type { SessionState } from '../state/session-state.js';
import type { ThreadState } from '../state/thread-state.js';
import { commentSource, deleteComment, editComment, pinComment } from '../state/thread-writes.js';
import { controlStyles } from '../styles/controls.js';
import { sharedStyles } from '../styles/shared.js';
import type { ParleyComposer } from '../composer/parley-composer.component.js';
import type { ParleyReportDialog } from '../report-dialog/parley-report-dialog.component.js';
import { commentActionsStyles } from './parley-comment-actions.styles.js';
import { blockUser } from '../state/session-actions.js';

/** How `<parley-comment>` shows its comment; see there. */
export type CommentShown = 'full' | 'own-pending' | 'deleted' | 'removed' | 'held' | 'blocked';

/**
 * @summary What a signed-in reader can do with one comment: the action row
 * (Reply, Edit, Delete, Report, Block, Pin), the edit form, the reply composer
 * and the Delete and Block confirmations. Part of `<parley-comment>`, which
 * renders it for signed-in readers only; it is not meant to be used alone.
 *
 * It lives in its own element so the script-tag bundle can paint a thread
 * without it: `/embed.js` loads it after the first paint, and the tag
 * upgrades in place.
 *
 * @event parley-comment-edited - The reader saved an edit of their comment.
 * @event parley-comment-deleted - The reader deleted their comment.
 * @event parley-user-blocked - The reader blocked the comment's author.
 * @event editing-change - (internal) The edit form opened or closed; read `editing`.
 *
 * @csspart comment__actions - The row of buttons.
 */
export class ParleyCommentActions extends LitElement {
  static override styles = [sharedStyles, controlStyles, commentActionsStyles];

  // Of the thread's changes, only a lock or an unlock concerns the buttons: a
  // thread of a thousand comments need not re-render them all for each one.
  private readonly threadRef = new ObservedContext<ThreadState>(this, threadContext, () => this.thread?.locked !== this.seenLocked);
  private seenLocked?: boolean;
  private readonly sessionRef = new ObservedContext<SessionState>(this, sessionContext);

  private get thread(): ThreadState | undefined {
    return this.threadRef.value;
  }

  private get session(): SessionState | undefined {
    return this.sessionRef.value;
  }

  @query('dialog.delete') private deleteDialog?: HTMLDialogElement | null;
  @query('dialog.block') private blockDialog?: HTMLDialogElement | null;
  @query('.edit textarea') private editBox?: HTMLTextAreaElement;
  @query('parley-composer') private replyComposer?: ParleyComposer;
  @query('parley-report-dialog') private reportDialog?: ParleyReportDialog;

  /** The comment acted on. */
  @property({ attribute: false }) comment!: Comment;
  /** Its nesting depth; 0 for a top-level comment. */
  @property({ type: Number }) depth = 0;
  /** How the comment shows (set by `<parley-comment>`). */
  @property() shown: CommentShown = 'full';
  /** Its author as labels name them. */
  @property({ attribute: false }) authorName = '';
  /** How many of its replies are shown (the Delete confirmation says whether they stay). */
  @property({ type: Number }) replyCount = 0;

  /** The edit form is open (the comment hides its body meanwhile). */
  @state() editing = false;
  @state() private replying = false;
  @state() private editText = '';
  @state() private busy = false;
  @state() private error = '';
  /** Each dialog is rendered once the reader first asks for it, then kept: most comments never need one. */
  @state() private reportWanted = false;
  @state() private deleteWanted = false;
  @state() private blockWanted = false;

  override willUpdate(): void {
    this.seenLocked = this.thread?.locked;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('editing') && changed.get('editing') !== undefined) this.dispatchEvent(new Event('editing-change'));
  }

  private get isOwn(): boolean {
    const me = this.session?.user;
    return !!me && this.comment.author?.id === me.id && this.comment.status !== 'deleted';
  }

  /** Whether the reader may write here now: signed in, not banned, the page open. */
  private get canWrite(): boolean {
    return !!this.session?.signedIn && !this.session.ban && !this.thread?.locked;
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
      this.editText = await commentSource(this.thread, this.comment.id);
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
      const comment = await editComment(this.thread, this.comment.id, body);
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

  private async askDelete(event: Event): Promise<void> {
    const opener = event.currentTarget as HTMLButtonElement;
    this.error = '';
    this.deleteWanted = true;
    await this.updateComplete;
    if (this.deleteDialog) openModal(this.deleteDialog, () => opener);
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
      await deleteComment(thread, id);
      this.deleteDialog?.close();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      stopListening();
      this.busy = false;
    }
  }

  private async openReport(event: Event): Promise<void> {
    const opener = event.currentTarget as HTMLButtonElement;
    // The widget's own dialog survives this comment being hidden by the report.
    if (!this.dispatchEvent(new ParleyReportRequestEvent(this.comment.id, opener))) return;
    this.reportWanted = true;
    await this.updateComplete;
    await this.reportDialog?.show(opener);
  }

  private async askBlock(): Promise<void> {
    this.error = '';
    this.blockWanted = true;
    await this.updateComplete;
    if (!this.blockDialog) return;
    // Once blocked, the comment collapses and its Block button is gone: focus goes to its "Show".
    const comment = this.getRootNode() as ShadowRoot | Document;
    openModal(
      this.blockDialog,
      () => comment.querySelector<HTMLButtonElement>('.notice button') ?? this.renderRoot.querySelector<HTMLButtonElement>('.block-opener'),
    );
  }

  private async confirmBlock(): Promise<void> {
    const author = this.comment.author;
    if (!author || !this.session || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const user = await blockUser(this.session, author);
      this.dispatchEvent(new ParleyUserBlockedEvent(user));
      await this.updateComplete;
      this.blockDialog?.close();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private async togglePin(): Promise<void> {
    if (!this.thread || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await pinComment(this.thread, this.comment.id, !this.comment.pinned);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private renderEdit() {
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

  private renderActions() {
    const shown = this.shown;
    if ((shown !== 'full' && shown !== 'own-pending') || this.editing || !this.session?.signedIn) return nothing;
    const c = this.comment;
    const banned = !!this.session.ban;
    const author = c.author;
    // Someone else's comment the reader revealed after blocking them: no second Block.
    const blocked = !!author && this.session.isBlocked(author.id);
    return html`
      <div class="actions" part="comment__actions">
        ${this.canWrite && shown === 'full' && !this.replying && this.depth < limits.maxDepth
          ? html`<button class="link" type="button" @click=${this.startReply}>Reply</button>`
          : nothing}
        ${this.isOwn
          ? html`
              ${banned ? nothing : html`<button class="link" type="button" ?disabled=${this.busy} @click=${this.startEdit}>Edit</button>`}
              <button class="link" type="button" ?disabled=${this.busy} @click=${this.askDelete}>Delete</button>
            `
          : nothing}
        ${author && !this.isOwn
          ? html`
              ${banned ? nothing : html`<button class="link" type="button" @click=${this.openReport}>Report</button>`}
              ${blocked ? nothing : html`<button class="link block-opener" type="button" @click=${this.askBlock}>Block</button>`}
            `
          : nothing}
        ${this.session.isModerator && this.depth === 0 && shown === 'full'
          ? html`<button class="link" type="button" ?disabled=${this.busy} @click=${this.togglePin}>${c.pinned ? 'Unpin' : 'Pin'}</button>`
          : nothing}
      </div>
    `;
  }

  private renderDialogs() {
    const author = this.comment.author;
    return html`
      ${this.deleteWanted
        ? html`<dialog class="delete" aria-labelledby="delete-title" @keydown=${trapFocus} @close=${() => (this.error = '')}>
            <h3 id="delete-title">Delete this comment?</h3>
            <p>${this.replyCount ? 'Its replies stay; it will show as deleted.' : 'It will be removed from the page.'}</p>
            ${this.error && this.deleteDialog?.open ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
            <div class="row">
              <button type="button" class="danger" ?disabled=${this.busy} @click=${this.confirmDelete}>Delete</button>
              <button type="button" autofocus @click=${() => this.deleteDialog?.close()}>Cancel</button>
            </div>
          </dialog>`
        : nothing}
      ${this.blockWanted && author && !this.isOwn && this.session?.signedIn
        ? html`<dialog class="block" aria-labelledby="block-title" @keydown=${trapFocus} @close=${() => (this.error = '')}>
            <h3 id="block-title">Block ${author.name}?</h3>
            <p>You won't see ${author.name}'s comments on this site. They won't be told.</p>
            ${this.error && this.blockDialog?.open ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
            <div class="row">
              <button type="button" class="danger" ?disabled=${this.busy} @click=${this.confirmBlock}>Block</button>
              <button type="button" autofocus @click=${() => this.blockDialog?.close()}>Cancel</button>
            </div>
          </dialog>`
        : nothing}
      ${this.reportWanted ? html`<parley-report-dialog comment-id=${this.comment.id}></parley-report-dialog>` : nothing}
    `;
  }

  override render() {
    if (!this.comment || !this.thread) return nothing;
    const dialogOpen = !!(this.deleteDialog?.open || this.blockDialog?.open);
    return html`
      ${this.editing ? this.renderEdit() : nothing}
      ${this.error && !dialogOpen ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
      ${this.renderActions()}
      ${this.replying && this.canWrite
        ? html`<parley-composer
            label=${`Reply to ${this.authorName}`}
            submit-label="Post reply"
            parent-id=${this.comment.id}
            cancelable
            @parley-comment-posted=${() => (this.replying = false)}
            @parley-cancel=${(e: Event) => {
              e.stopPropagation();
              this.replying = false;
            }}
          ></parley-composer>`
        : nothing}
      ${this.renderDialogs()}
    `;
  }
}
