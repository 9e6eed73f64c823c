import { LitElement, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AuditEntry } from '@parley/protocol';
import { ObserveController } from '../../lib/observable.js';
import { formatAbsolute, formatRelative } from '../../lib/relative-time.js';
import { controlStyles } from '../../styles/controls.js';
import { sharedStyles } from '../../styles/shared.js';
import { moderationContext } from '../moderation-context.js';
import type { ModerationState } from '../moderation-state.js';
import { auditLogStyles } from './parley-audit-log.styles.js';

/** Words for the actions the server logs; an action not listed shows as sent. */
const actionLabels: Record<string, string> = {
  approve: 'Approved',
  remove: 'Removed',
  restore: 'Restored',
  ban: 'Banned',
  unban: 'Unbanned',
  pin: 'Pinned',
  unpin: 'Unpinned',
  settings: 'Changed settings',
  lock: 'Locked',
  unlock: 'Unlocked',
};

/**
 * @summary The audit log: every moderator action on the site, who, what, on
 * what, why and when, newest first, paged.
 *
 * @csspart table - The table of entries.
 * @csspart error - The box shown when the log could not be loaded.
 * @csspart load-more - The "Load more" button.
 */
export class ParleyAuditLog extends LitElement {
  static override styles = [sharedStyles, controlStyles, auditLogStyles];

  private readonly observer = new ObserveController(this);

  @consume({ context: moderationContext, subscribe: true })
  @state()
  private moderation?: ModerationState;

  override willUpdate(): void {
    this.observer.observe(this.moderation);
  }

  private renderEntry(entry: AuditEntry, now: Date) {
    const when = new Date(entry.createdAt);
    return html`<tr data-entry-id=${entry.id}>
      <td class="who">${entry.actor?.name ?? 'a deleted account'}</td>
      <td class="what">${actionLabels[entry.action] ?? entry.action}</td>
      <td class="target">${entry.targetLabel}</td>
      <td class="why">${entry.reason ?? ''}</td>
      <td class="when"><time datetime=${entry.createdAt} title=${formatAbsolute(when)}>${formatRelative(when, now)}</time></td>
    </tr>`;
  }

  override render() {
    const audit = this.moderation?.audit;
    if (!audit || audit.status === 'idle' || audit.status === 'loading') {
      return html`<p class="muted" role="status">Loading the audit log…</p>`;
    }
    if (audit.status === 'error') {
      return html`<div class="error" role="alert" part="error">
        <p>Couldn't load the audit log. ${audit.error?.message ?? ''}</p>
        <button type="button" @click=${() => void audit.load()}>Retry</button>
      </div>`;
    }
    if (!audit.items.length) return html`<p class="muted">No moderator actions yet.</p>`;
    const now = this.moderation!.now;
    return html`
      ${audit.error ? html`<p class="alert" role="alert">Couldn't refresh the audit log. ${audit.error.message}</p>` : nothing}
      <div class="scroll">
        <table part="table">
          <caption class="visually-hidden">Audit log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">On what</th>
              <th scope="col">Why</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            ${repeat(audit.items, (entry) => entry.id, (entry) => this.renderEntry(entry, now))}
          </tbody>
        </table>
      </div>
      ${audit.nextCursor
        ? html`<div class="more">
            <button type="button" part="load-more" aria-busy=${audit.loadingMore ? 'true' : 'false'} @click=${() => void audit.loadMore()}>
              Load more
            </button>
            ${audit.loadMoreError ? html`<p class="alert" role="alert">${audit.loadMoreError.message}</p>` : nothing}
          </div>`
        : nothing}
    `;
  }
}
