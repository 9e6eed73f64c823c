import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { limits } from '@parley/protocol/client';
import type { Comment, PublicUser } from '@parley/protocol';
import { sessionContext, threadContext } from '../context.js';
import { ParleyCommentDeletedEvent, ParleyCommentEditedEvent, ParleyUserBlockedEvent } from '../events.js';
import { openModal } from '../lib/dialog.js';
import { trapFocus } from '../lib/focus-trap.js';
import { ObserveController } from '../lib/observable.js';
import { formatAbsolute, formatRelative } from '../lib/relative-time.js';
import type { SessionState } from '../state/session-state.js';
import type { ThreadState } from '../state/thread-state.js';
import { commentBodyStyles } from '../styles/comment-body.js';
import { sharedStyles } from '../styles/shared.js';
import type { ParleyComposer } from '../composer/parley-composer.component.js';
import { ParleyReportRequestEvent, type ParleyReportDialog } from '../report-dialog/parley-report-dialog.component.js';
import type { RenderPacer } from '../thread/render-pacer.js';
import { commentStyles } from './parley-comment.styles.js';

/** Replies indent up to this depth; deeper ones say whom they answer instead. */
export const MAX_INDENT_DEPTH = 3;

/** The parts a comment passes up through each level of nesting. */
export const COMMENT_PARTS =
  'comment, comment__header, comment__author, comment__body, comment__actions, comment__notice, comment__pinned, comment__pending, replies, comment__more-replies';

/**
 * How a comment shows: in full, or as one of the notices that stand in for
 * it. `own-pending` is the reader's own comment held for review.
 */
type Shown = 'full' | 'own-pending' | 'deleted' | 'removed' | 'held' | 'blocked';

/** What a comment's rendering reads from the thread. */
interface ThreadView {
  /** The thread's copy of the comment (it replaces its copy when the comment changes). */
  latest: Comment | undefined;
  fresh: boolean;
  moreReplies: boolean;
  blockedAuthor: PublicUser | null;
  locked: boolean;
  targeted: boolean;
  /** "2 hours ago": the thread's clock ticks, and only the comments whose text changes re-render. */
  relativeTime: string;
  replies: Comment[];
}

const EMPTY_VIEW: ThreadView = {
  latest: undefined,
  fresh: false,
  moreReplies: false,
  blockedAuthor: null,
  locked: false,
  targeted: false,
  relativeTime: '',
  replies: [],
};

function sameView(a: ThreadView, b: ThreadView): boolean {
  return (Object.keys(a) as (keyof ThreadView)[]).every((key) =>
    key === 'replies' ? a.replies.length === b.replies.length && a.replies.every((reply, i) => reply === b.replies[i]) : a[key] === b[key],
  );
}

/**
 * @summary One comment: author, time, marks ("Pinned", "Awaiting
 * moderation"), body, actions, and its replies. A deleted, removed or held
 * comment keeps its place with a notice; a blocked user's comment collapses
 * to "You blocked NAME." with "Show".
 *
 * Actions, for a signed-in reader: Reply (not while banned, on a locked
 * page, or on a reply already as deep as replies nest); Edit and Delete on their own; Report and Block on someone else's;
 * Pin / Unpin on top-level comments for moderators. The wrapper's id is
 * `parley-comment-ID`; when the thread makes this comment its `target` (a
 * permalink), it scrolls into view and takes focus.
 *
 * A comment re-renders when what it shows changes, not on every change of
 * the thread, so a long thread stays cheap to add to. Given a `pacer`, many
 * replies render over a few animation frames.
 *
 * @event parley-comment-edited - The reader saved an edit of their comment.
 * @event parley-comment-deleted - The reader deleted their comment.
 * @event parley-comment-reported - The reader reported the comment (from `<parley-report-dialog>`).
 * @event parley-user-blocked - The reader blocked the comment's author.
 *
 * @csspart comment - The comment's article.
 * @csspart comment__header - Author, time and marks.
 * @csspart comment__author - The author's name.
 * @csspart comment__body - The rendered body.
 * @csspart comment__actions - The row of buttons.
 * @csspart comment__notice - The text standing in for a deleted, removed, held or blocked comment.
 * @csspart comment__pinned - The "Pinned" mark.
 * @csspart comment__pending - The "Awaiting moderation" mark on the reader's own held comment.
 * @csspart replies - The group of replies.
 * @csspart comment__more-replies - The note "Not every reply is shown: …" under a top-level comment with more replies than the server sends at once.
 */
export class ParleyComment extends LitElement {
  static override styles = [sharedStyles, commentBodyStyles, commentStyles];

  private readonly threadObserver = new ObserveController(this, () => this.threadViewChanged());
  private readonly sessionObserver = new ObserveController(this);

  @consume({ context: threadContext, subscribe: true })
  @state()
  private thread?: ThreadState;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: SessionState;

  @query('dialog.delete') private deleteDialog?: HTMLDialogElement | null;
  @query('dialog.block') private blockDialog?: HTMLDialogElement | null;
  @query('.edit textarea') private editBox?: HTMLTextAreaElement;
  @query('parley-composer') private replyComposer?: ParleyComposer;
  @query('parley-report-dialog') private reportDialog?: ParleyReportDialog;

  @state() private replying = false;
  @state() private editing = false;
  @state() private editText = '';
  @state() private busy = false;
  @state() private error = '';
  /** Each dialog is rendered once the reader first asks for it, then kept: most comments never need one. */
  @state() private reportWanted = false;
  @state() private deleteWanted = false;
  @state() private blockWanted = false;

  /** What the last update read from the thread; see {@link readThreadView}. */
  private threadView: ThreadView = EMPTY_VIEW;
  /** How many of the replies are rendered; it grows frame by frame when a `pacer` says so. */
  private shownReplies = 0;
  /** The exact time, formatted once per comment rather than on every render (Intl formatting is the costliest call in one). */
  private exactTime = { of: '', text: '' };

  /** The comment to show. */
  @property({ attribute: false }) comment!: Comment;
  /** Nesting depth; 0 for a top-level comment. */
  @property({ type: Number }) depth = 0;
  /** Name of the author of the parent comment, shown past the indent cap. */
  @property({ attribute: false }) replyTo: string | null = null;
  /** Spreads the rendering of many replies over frames; `<parley-thread>` sets it. Without one, all replies render at once. */
  @property({ attribute: false }) pacer?: RenderPacer;

  override willUpdate(): void {
    this.threadObserver.observe(this.thread);
    this.sessionObserver.observe(this.session);
    this.threadView = this.readThreadView();
    const replies = this.threadView.replies.length;
    this.shownReplies = this.pacer ? this.pacer.count(this.shownReplies, replies, this.resume) : replies;
    const createdAt = this.comment?.createdAt;
    if (createdAt && createdAt !== this.exactTime.of) this.exactTime = { of: createdAt, text: formatAbsolute(new Date(createdAt)) };
  }

  override updated(): void {
    // A permalink to this comment: bring it into view, and focus it for screen readers.
    if (this.thread && this.comment && this.thread.target === this.comment.id) {
      this.thread.targetReached();
      const article = this.renderRoot.querySelector('article');
      article?.scrollIntoView({ block: 'center' });
      article?.focus({ preventScroll: true });
    }
  }

  /**
   * Everything this comment's rendering reads from the thread. A change of
   * the thread that leaves it as it was (another comment arrived, another
   * page loaded) does not re-render this comment.
   */
  private readThreadView(): ThreadView {
    const thread = this.thread;
    const c = this.comment;
    if (!thread || !c) return EMPTY_VIEW;
    return {
      latest: thread.get(c.id),
      fresh: thread.isFresh(c.id),
      moreReplies: thread.hasMoreReplies(c.id),
      blockedAuthor: thread.blockedAuthor(c),
      locked: thread.locked,
      targeted: thread.target === c.id,
      relativeTime: formatRelative(new Date(c.createdAt), thread.now),
      replies: thread.repliesOf(c.id),
    };
  }

  private threadViewChanged(): boolean {
    return !sameView(this.threadView, this.readThreadView());
  }

  private readonly resume = () => {
    if (this.isConnected) this.requestUpdate();
  };

  private get shown(): Shown {
    const c = this.comment;
    if (c.status === 'deleted') return 'deleted';
    if (c.status === 'removed') return 'removed';
    if (c.status === 'pending') return this.isOwn ? 'own-pending' : 'held';
    if (this.thread?.blockedAuthor(c)) return 'blocked';
    return 'full';
  }

  /** Who the comment is by, as replies and labels name it. */
  private get authorName(): string {
    const author = this.comment.author;
    if (author) return author.name;
    return { deleted: 'a deleted comment', removed: 'a removed comment', pending: 'a comment awaiting review', published: 'a comment' }[
      this.comment.status
    ];
  }

  private get label(): string {
    switch (this.shown) {
      case 'deleted':
        return 'Deleted comment';
      case 'removed':
        return 'Removed comment';
      case 'held':
        return 'Comment awaiting review';
      default:
        return `Comment by ${this.authorName}`;
    }
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
      await thread.remove(id);
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
    // Once blocked, the comment collapses and its Block button is gone: focus goes to "Show".
    openModal(this.blockDialog, () =>
      this.renderRoot.querySelector<HTMLButtonElement>('.notice button') ?? this.renderRoot.querySelector<HTMLButtonElement>('.block-opener'),
    );
  }

  private async confirmBlock(): Promise<void> {
    const author = this.comment.author;
    if (!author || !this.session || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const user = await this.session.block(author);
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
      await this.thread.pin(this.comment.id, !this.comment.pinned);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private renderNotice() {
    const shown = this.shown;
    const notice = (text: string) => html`<p class="notice ${shown}" part="comment__notice">${text}</p>`;
    switch (shown) {
      case 'deleted':
        return notice('This comment was deleted.');
      case 'removed':
        return notice('Removed by a moderator.');
      case 'held':
        return notice('This comment is awaiting review.');
      case 'blocked':
        return html`<p class="notice blocked" part="comment__notice">
          <span>You blocked ${this.comment.author?.name}.</span>
          <button type="button" class="link" @click=${() => this.thread?.reveal(this.comment.id)}>Show</button>
        </p>`;
      default:
        return nothing;
    }
  }

  private renderBody() {
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

  private renderDialogs(replyCount: number) {
    const author = this.comment.author;
    return html`
      ${this.deleteWanted
        ? html`<dialog class="delete" aria-labelledby="delete-title" @keydown=${trapFocus} @close=${() => (this.error = '')}>
            <h3 id="delete-title">Delete this comment?</h3>
            <p>${replyCount ? 'Its replies stay; it will show as deleted.' : 'It will be removed from the page.'}</p>
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

  private renderHeader() {
    const c = this.comment;
    const shown = this.shown;
    const full = shown === 'full' || shown === 'own-pending';
    return html`<header part="comment__header">
      ${full ? html`<span class="author" part="comment__author">${this.authorName}</span>` : nothing}
      <time datetime=${c.createdAt} title=${this.exactTime.text}>${this.threadView.relativeTime}</time>
      ${c.editedAt && full
        ? html`<span class="edited" title=${`Edited ${formatAbsolute(new Date(c.editedAt))}`}>edited</span>`
        : nothing}
      ${c.pinned && shown === 'full' ? html`<span class="mark pinned" part="comment__pinned">Pinned</span>` : nothing}
      ${shown === 'own-pending' ? html`<span class="mark pending" part="comment__pending">Awaiting moderation</span>` : nothing}
      ${this.depth > MAX_INDENT_DEPTH && this.replyTo
        ? html`<span class="replying-to">replying to ${this.replyTo}</span>`
        : nothing}
    </header>`;
  }

  override render() {
    const thread = this.thread;
    if (!this.comment || !thread) return nothing;
    const c = this.comment;
    const replies = this.threadView.replies;
    const childDepth = this.depth + 1;
    const shown = this.shown;
    const full = shown === 'full' || shown === 'own-pending';
    const dialogOpen = !!((this.deleteWanted && this.deleteDialog?.open) || (this.blockWanted && this.blockDialog?.open));
    return html`
      <div class="comment" id=${`parley-comment-${c.id}`}>
        <article
          part="comment"
          class=${this.threadView.fresh ? 'fresh' : ''}
          aria-label=${this.label}
          data-comment-id=${c.id}
          tabindex="-1"
        >
          ${shown === 'blocked' ? nothing : this.renderHeader()}
          ${full ? this.renderBody() : this.renderNotice()}
          ${this.error && !dialogOpen ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
          ${this.renderActions()}
          ${this.replying && this.canWrite
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
                replies.slice(0, this.shownReplies),
                (reply) => reply.id,
                (reply) => html`<parley-comment
                  .comment=${reply}
                  .depth=${childDepth}
                  .replyTo=${this.authorName}
                  .pacer=${this.pacer}
                  exportparts=${COMMENT_PARTS}
                ></parley-comment>`,
              )}
            </div>`
          : nothing}
        ${this.depth === 0 && this.threadView.moreReplies
          ? html`<p class="more-replies" part="comment__more-replies">Not every reply is shown: this conversation has more than can be loaded at once.</p>`
          : nothing}
        ${this.renderDialogs(replies.length)}
      </div>
    `;
  }
}
