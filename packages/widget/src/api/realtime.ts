import type { JoinPageReply, PageEvent } from '@parley/protocol';
import { pageEventTypes } from '@parley/protocol/client';

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

/**
 * socket.io, imported when first needed. In the ES module build that is a
 * separate chunk fetched after the thread has painted; the script-tag bundle
 * still inlines it (splitting it out is planned work on the payload budget).
 */
export class SocketRealtime implements RealtimeClient {
  constructor(private readonly server: string) {}

  subscribe(site: string, page: string, sub: PageSubscription): () => void {
    let closed = false;
    let disconnect: (() => void) | undefined;
    sub.onStatus('connecting');
    void import('socket.io-client').then(({ io }) => {
      if (closed) return;
      const socket = io(this.server, { transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000 });
      const join = async () => {
        const reply = (await socket.timeout(10_000).emitWithAck('page:join', { site, page, since: sub.since() }).catch(() => null)) as JoinPageReply | null;
        if (closed) return;
        if (!reply) {
          socket.disconnect().connect();
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
      disconnect = () => socket.disconnect();
    }, () => sub.onStatus('offline'));
    return () => {
      closed = true;
      disconnect?.();
    };
  }
}
