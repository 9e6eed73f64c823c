import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Comment, PublicUser } from '@parley/protocol';
import { sessionContext, threadContext } from '../context.js';
import { ObservedContext } from '../lib/observable.js';
import { formatAbsolute, formatRelative } from '../lib/relative-time.js';
import type { SessionState } from '../state/session-state.js';
import type { ThreadState } from '../state/thread-state.js';
import { commentBodyStyles } from '../styles/comment-body.js';
import { sharedStyles } from '../styles/shared.js';
import type { CommentShown as Shown, ParleyCommentActions } from '../comment-actions/parley-comment-actions.component.js';
import type { RenderPacer } from '../thread/render-pacer.js';
import { commentStyles } from './parley-comment.styles.js';

/** Replies indent up to this depth; deeper ones say whom they answer instead. */
export const MAX_INDENT_DEPTH = 3;

/** The parts a comment passes up through each level of nesting. */
export const COMMENT_PARTS =
  'comment, comment__header, comment__author, comment__body, comment__actions, comment__notice, comment__pinned, comment__pending, replies, comment__more-replies';

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
 * Pin / Unpin on top-level comments for moderators. These, the edit form, the
 * reply composer and the confirmations are `<parley-comment-actions>` inside
 * the comment (`/embed.js` loads it after the first paint). The wrapper's id is
 * `parley-comment-ID`; when the thread makes this comment its `target` (a
 * permalink), it scrolls into view and takes focus.
 *
 * A comment re-renders when what it shows changes, not on every change of
 * the thread, so a long thread stays cheap to add to. Given a `pacer`, many
 * replies render over a few animation frames.
 *
 * @event parley-comment-edited - The reader saved an edit of their comment (from `<parley-comment-actions>`).
 * @event parley-comment-deleted - The reader deleted their comment (from `<parley-comment-actions>`).
 * @event parley-comment-reported - The reader reported the comment (from `<parley-report-dialog>`).
 * @event parley-user-blocked - The reader blocked the comment's author (from `<parley-comment-actions>`).
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

  // Declared here, not by decorators: the first-paint bundle then carries no decorator code.
  static override properties = {
    editing: { state: true },
    comment: { attribute: false },
    depth: { type: Number },
    replyTo: { attribute: false },
    pacer: { attribute: false },
  };

  private readonly threadRef = new ObservedContext<ThreadState>(this, threadContext, () => this.threadViewChanged());
  private readonly sessionRef = new ObservedContext<SessionState>(this, sessionContext);

  private get thread(): ThreadState | undefined {
    return this.threadRef.value;
  }

  private get session(): SessionState | undefined {
    return this.sessionRef.value;
  }

  /** The reader is editing this comment: `<parley-comment-actions>` shows the form instead of the body. */
  private editing = false;

  /** What the last update read from the thread; see {@link readThreadView}. */
  private threadView: ThreadView = EMPTY_VIEW;
  /** How many of the replies are rendered; it grows frame by frame when a `pacer` says so. */
  private shownReplies = 0;
  /** The exact time, formatted once per comment rather than on every render (Intl formatting is the costliest call in one). */
  private exactTime = { of: '', text: '' };

  /** The comment to show. */
  comment!: Comment;
  /** Nesting depth; 0 for a top-level comment. */
  depth = 0;
  /** Name of the author of the parent comment, shown past the indent cap. */
  replyTo: string | null = null;
  /** Spreads the rendering of many replies over frames; `<parley-thread>` sets it. Without one, all replies render at once. */
  pacer?: RenderPacer;

  override willUpdate(): void {
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
    // The server renders and sanitises this HTML; it is the only form of the body shown.
    return this.editing ? nothing : html`<div class="body" part="comment__body" .innerHTML=${this.comment.html}></div>`;
  }

  /** Reply, Edit, Delete, Report, Block, Pin and their dialogs: for signed-in readers, from a chunk loaded after first paint. */
  private renderActions(replyCount: number) {
    if (!this.session?.signedIn) return nothing;
    return html`<parley-comment-actions
      .comment=${this.comment}
      .depth=${this.depth}
      .shown=${this.shown}
      .authorName=${this.authorName}
      .replyCount=${replyCount}
      exportparts="comment__actions"
      @editing-change=${(e: Event) => (this.editing = (e.target as ParleyCommentActions).editing)}
    ></parley-comment-actions>`;
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
          ${this.renderActions(replies.length)}
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
      </div>
    `;
  }
}
