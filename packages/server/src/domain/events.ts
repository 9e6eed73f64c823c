import { EventEmitter } from 'node:events';
import type { PageEvent } from '@parley/protocol';

interface DomainEventMap {
  /** A change to a page's thread, already committed, in `seq` order. */
  'page:event': [PageEvent];
}

/**
 * What services announce after a committed change. Transports (socket.io
 * today, webhooks later) listen; services never know who does.
 */
export class DomainEvents extends EventEmitter<DomainEventMap> {}
