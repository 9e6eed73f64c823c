import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { reportReasonLabels } from '@parley/protocol/client';
import type { ModerationAction, Queue, QueueItem } from '@parley/protocol';
import { ObserveController } from '../../lib/observable.js';
import { formatAbsolute, formatRelative } from '../../lib/relative-time.js';
import { commentBodyStyles } from '../../styles/comment-body.js';
import { controlStyles } from '../../styles/controls.js';
import { sharedStyles } from '../../styles/shared.js';
import { ParleyQueueRequestEvent } from '../admin-events.js';
import { authorName, commentLink, pageName } from '../format.js';
import { moderationContext } from '../moderation-context.js';
import type { ModerationState } from '../moderation-state.js';
import { queueItemStyles } from './parley-queue-item.styles.js';

/**
 * @summary One comment in a moderation queue: body, author, page, time, why
 * it is there, and the moderator's buttons.
 *
 * @event parley-queue-request - Internal to `<parley-admin>`: asks for the
 * remove or ban dialog. Not composed.
 *
 * @csspart item - The comment's article.
 * @csspart item__header - Author, page and time.
 * @csspart item__body - The rendered body.
 * @csspart item__reports - Reasons and details of the reports.
 * @csspart item__note - Why it was held or removed; the author's ban.
 * @csspart item__actions - The row of buttons.
 */
export class ParleyQueueItem extends LitElement {
  static override styles = [sharedStyles, controlStyles, commentBodyStyles, queueItemStyles];

  private readonly observer = new ObserveController(this);

  @consume({ context: moderationContext, subscribe: true })
  @state()
  private moderation?: ModerationState;

  @state() private busy = false;
  @state() private error = '';

  /** The queued comment. */
  @property({ attribute: false }) item!: QueueItem;
  /** The queue it is listed in; decides the buttons. */
  @property() queue: Queue = 'reported';

  override willUpdate(): void {
    this.observer.observe(this.moderation);
  }

  private async act(work: () => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await work();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private moderate(action: ModerationAction): Promise<void> {
    return this.act(() => this.moderation!.moderate(this.item, action));
  }

  private unban(): Promise<void> {
    const author = this.item.author;
    return author ? this.act(() => this.moderation!.unban(author.id)) : Promise.resolve();
  }

  private request(kind: 'remove' | 'ban', event: Event): void {
    this.error = '';
    this.dispatchEvent(new ParleyQueueRequestEvent(kind, this.item, event.currentTarget as HTMLElement));
  }

  private renderReports() {
    const { reports, reportDetails } = this.item;
    if (!reports.length && !reportDetails.length) return nothing;
    const details = reportDetails.filter((report) => report.details.trim());
    return html`
      <div class="reports" part="item__reports">
        <ul class="reasons" aria-label="Reports">
          ${reports.map((report) => html`<li>${reportReasonLabels[report.reason] ?? report.reason} × ${report.count}</li>`)}
        </ul>
        ${details.length
          ? html`<ul class="details" aria-label="Details given">
              ${details.map(
                (report) => html`<li>
                  <q>${report.details}</q>
                  <span class="muted">(${reportReasonLabels[report.reason] ?? report.reason})</span>
                </li>`,
              )}
            </ul>`
          : nothing}
      </div>
    `;
  }

  private renderNotes() {
    const { heldReason, removedReason, author } = this.item;
    const ban = author?.ban;
    return html`
      ${heldReason ? html`<p class="note" part="item__note">Held: ${heldReason}</p>` : nothing}
      ${this.queue === 'removed' && removedReason ? html`<p class="note" part="item__note">Removed: ${removedReason}</p>` : nothing}
      ${ban
        ? html`<p class="note ban" part="item__note">
            ${ban.expiresAt
              ? html`Banned until <time datetime=${ban.expiresAt}>${formatAbsolute(new Date(ban.expiresAt))}</time>`
              : 'Banned permanently'}
          </p>`
        : nothing}
    `;
  }

  private renderActions() {
    const author = this.item.author;
    const name = authorName(author);
    const isMe = !!author && author.id === this.moderation?.me?.id;
    return html`
      <div class="actions" part="item__actions">
        ${this.queue === 'removed'
          ? html`<button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.moderate('restore')}>Restore</button>`
          : html`
              <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.moderate('approve')}>Approve</button>
              <button type="button" class="danger" ?disabled=${this.busy} @click=${(e: Event) => this.request('remove', e)}>Remove</button>
            `}
        ${!author || isMe
          ? nothing
          : author.ban
            ? html`<button type="button" ?disabled=${this.busy} @click=${this.unban}>Unban ${name}</button>`
            : html`<button type="button" ?disabled=${this.busy} @click=${(e: Event) => this.request('ban', e)}>Ban ${name}</button>`}
      </div>
    `;
  }

  override render() {
    const item = this.item;
    if (!item) return nothing;
    const { comment, page } = item;
    const created = new Date(comment.createdAt);
    const link = commentLink(page, comment.id);
    const now = this.moderation?.now ?? new Date();
    // The server renders and sanitises the body's HTML, also for held and removed comments.
    return html`
      <article part="item" aria-label=${`Comment by ${authorName(item.author)}`} data-comment-id=${comment.id}>
        <header part="item__header">
          <span class="author">${authorName(item.author)}</span>
          <span class="page">on ${link ? html`<a href=${link}>${pageName(page)}</a>` : pageName(page)}</span>
          <time datetime=${comment.createdAt} title=${formatAbsolute(created)}>${formatRelative(created, now)}</time>
        </header>
        <div class="body" part="item__body">${unsafeHTML(comment.html)}</div>
        ${this.renderReports()} ${this.renderNotes()}
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing} ${this.renderActions()}
      </article>
    `;
  }
}
