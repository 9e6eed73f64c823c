import { EventEmitter } from 'node:events';
import type { ModerationChangedEvent, PageEvent } from '@parley/protocol';

interface DomainEventMap {
  /** A change to a page's thread, already committed, in `seq` order. */
  'page:event': [PageEvent];
  /** A change moderators of a site should see: a report, a held comment, an action, settings. */
  'moderation:changed': [ModerationChangedEvent];
}

/**
 * What services announce after a committed change. Transports (socket.io
 * today, webhooks later) listen; services never know who does.
 */
export class DomainEvents extends EventEmitter<DomainEventMap> {
  /** Announces page events in order. */
  publish(events: readonly PageEvent[]): void {
    for (const event of events) this.emit('page:event', event);
  }
}
