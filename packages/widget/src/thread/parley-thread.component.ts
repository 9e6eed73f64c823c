import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { COMMENT_PARTS } from '../comment/parley-comment.component.js';
import { threadContext } from '../context.js';
import { ObservedContext } from '../lib/observable.js';
import type { Comment } from '@parley/protocol';
import type { ThreadState } from '../state/thread-state.js';
import { sharedStyles } from '../styles/shared.js';
import { threadStyles } from './parley-thread.styles.js';
import { RenderPacer } from './render-pacer.js';

/**
 * Comments one task may render (see {@link RenderPacer}): at about half a
 * millisecond each on a slow laptop, a frame or two of work, and more than
 * the first screen holds.
 */
export const COMMENTS_PER_TURN = 40;

/**
 * @summary The list of a page's comments with their replies, and its loading
 * and error states. (The empty state belongs to `<parley-comments>`, which
 * takes the host's `empty` slot.)
 *
 * Top-level comments come in the thread's order, the pinned one first. A
 * page with many comments renders over a few animation frames, the first
 * {@link COMMENTS_PER_TURN} at once, so the page stays responsive.
 *
 * @csspart error - The box shown when the thread could not be loaded.
 * @csspart load-more - The "Load more comments" button.
 * @csspart comment, comment__header, comment__author, comment__body, comment__actions, comment__notice, comment__pinned, comment__pending, replies, comment__more-replies - See `<parley-comment>`.
 */
export class ParleyThread extends LitElement {
  static override styles = [sharedStyles, threadStyles];

  private readonly threadRef = new ObservedContext<ThreadState>(this, threadContext);
  private readonly pacer = new RenderPacer(COMMENTS_PER_TURN);

  private get thread(): ThreadState | undefined {
    return this.threadRef.value;
  }

  private roots: Comment[] = [];
  /** How many of `roots` are rendered; it grows frame by frame up to all of them. */
  private shownRoots = 0;

  override willUpdate(): void {
    this.roots = this.thread?.status === 'ready' ? this.thread.roots : [];
    this.shownRoots = this.pacer.count(this.shownRoots, this.roots.length, this.resume);
  }

  private readonly resume = () => {
    if (this.isConnected) this.requestUpdate();
  };

  private renderState() {
    const thread = this.thread;
    if (!thread || thread.status === 'loading') {
      return html`<div class="loading" role="status" aria-label="Loading comments">
        <div class="skeleton"></div>
        <div class="skeleton"></div>
        <div class="skeleton"></div>
      </div>`;
    }
    if (thread.status === 'error') {
      return html`<div class="error" role="alert" part="error">
        <p>Couldn't load the comments. ${thread.error?.message ?? ''}</p>
        <button type="button" @click=${() => void thread.load()}>Retry</button>
      </div>`;
    }
    return nothing;
  }

  override render() {
    const thread = this.thread;
    const ready = thread?.status === 'ready';
    return html`
      ${this.renderState()}
      ${repeat(
        this.roots.slice(0, this.shownRoots),
        (comment) => comment.id,
        (comment) => html`<parley-comment
          .comment=${comment}
          .depth=${0}
          .pacer=${this.pacer}
          exportparts=${COMMENT_PARTS}
        ></parley-comment>`,
      )}
      ${ready && thread.nextCursor
        ? html`<div class="more">
            <button type="button" part="load-more" ?disabled=${thread.loadingMore} @click=${() => void thread.loadMore()}>
              ${thread.loadingMore ? 'Loading…' : 'Load more comments'}
            </button>
            ${thread.loadMoreError ? html`<p class="alert" role="alert">${thread.loadMoreError.message}</p>` : nothing}
          </div>`
        : nothing}
    `;
  }
}
