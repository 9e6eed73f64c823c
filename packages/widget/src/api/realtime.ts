import type { ClientToServerEvents, PageEvent, ServerToClientEvents } from '@parley/protocol';
import { pageEventTypes } from '@parley/protocol/client';
import { connectSocket } from './socket-client.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface PageSubscription {
  /** Live and caught-up events, in the order the server sent them. */
  onEvent(event: PageEvent): void;
  onStatus(status: ConnectionStatus): void;
  /** The server no longer has the events since `since()`: reload the thread. */
  onReload(): void;
  /** The last seq this subscriber has applied, sent when (re)joining. */
  since(): number;
}

/** Live updates of one page; elements receive an implementation through context. */
export interface RealtimeClient {
  subscribe(site: string, page: string, subscription: PageSubscription): () => void;
}

/** How long a `page:join` may wait for its answer before the connection starts over. */
const JOIN_TIMEOUT_MS = 10_000;

/**
 * Live updates over the server's socket.io endpoint, spoken by the widget's
 * own small client (`socket-client.ts`, WebSocket only). Each subscription
 * has its own connection, and joins the page again with the last seq it
 * applied on every (re)connection.
 */
export class SocketRealtime implements RealtimeClient {
  constructor(private readonly server: string) {}

  subscribe(site: string, page: string, sub: PageSubscription): () => void {
    let closed = false;
    sub.onStatus('connecting');
    const socket = connectSocket<ServerToClientEvents, ClientToServerEvents>(this.server, { reconnectionDelayMax: 10_000 });
    const join = async () => {
      const reply = await socket.emitWithAck('page:join', { site, page, since: sub.since() }, JOIN_TIMEOUT_MS).catch(() => null);
      if (closed) return;
      if (!reply) {
        // No answer in time (or the connection dropped meanwhile, and is already starting over).
        socket.reconnect();
        return;
      }
      if (!reply.ok) {
        if (reply.reload) sub.onReload();
        sub.onStatus(reply.reload ? 'online' : 'offline');
        return;
      }
      for (const event of reply.missed) sub.onEvent(event);
      sub.onStatus('online');
    };
    for (const type of pageEventTypes) {
      socket.on(type, (event: PageEvent) => {
        if (event.site === site && event.page === page) sub.onEvent(event);
      });
    }
    socket.on('connect', () => void join());
    socket.on('disconnect', () => sub.onStatus('offline'));
    socket.on('connect_error', () => sub.onStatus('offline'));
    return () => {
      closed = true;
      socket.close();
    };
  }
}
