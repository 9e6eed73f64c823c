import type { ClientToServerEvents, ErrorBody, ModerationChangedEvent, ServerToClientEvents } from '@parley/protocol';
import type { ConnectionStatus } from '../api/realtime.js';
import { connectSocket, type SocketClient } from '../api/socket-client.js';

/** What the server says when it refuses a socket the moderation room. */
export type JoinRefusal = ErrorBody['error'];

export interface ModerationSubscription {
  /** Something changed in the site's queues, settings or audit log. */
  onChange(event: ModerationChangedEvent): void;
  /** `online` once (re)joined; `offline` while the connection is down. */
  onStatus(status: ConnectionStatus): void;
  /** The server refused to let this token into the room; no retry follows. */
  onRefused(error: JoinRefusal): void;
}

/** Live notice of moderation changes on one site; `<parley-admin>` takes a fake in tests. */
export interface ModerationRealtime {
  subscribe(site: string, token: string, subscription: ModerationSubscription): () => void;
}

/** The socket the moderation room uses. */
export type ModerationSocket = SocketClient<ServerToClientEvents, ClientToServerEvents>;

/** Opens a socket to a server; tests pass a fake. */
export type ConnectModerationSocket = (server: string) => ModerationSocket;

const JOIN_TIMEOUT_MS = 10_000;

const connectModerationSocket: ConnectModerationSocket = (server) => connectSocket(server, { reconnectionDelayMax: 10_000 });

/**
 * The moderation room over the server's socket.io endpoint: joins with the
 * moderator's token on every (re)connect and passes on `moderation:changed`
 * for its site.
 */
export class SocketModerationRealtime implements ModerationRealtime {
  constructor(
    private readonly server: string,
    /** How to open a socket; tests pass a fake. */
    private readonly connect: ConnectModerationSocket = connectModerationSocket,
  ) {}

  subscribe(site: string, token: string, sub: ModerationSubscription): () => void {
    let closed = false;
    sub.onStatus('connecting');
    const socket = this.connect(this.server);
    const join = async () => {
      const reply = await socket.emitWithAck('moderation:join', { site, token }, JOIN_TIMEOUT_MS).catch(() => null);
      if (closed) return;
      if (!reply) {
        // No answer in time (or the connection dropped meanwhile, and is already starting over).
        socket.reconnect();
        return;
      }
      if (!reply.ok) {
        closed = true;
        socket.close();
        sub.onRefused(reply.error);
        return;
      }
      sub.onStatus('online');
    };
    // Types are not validation: check the one field this listener relies on.
    socket.on('moderation:changed', (event) => {
      if (event && typeof event === 'object' && event.site === site) sub.onChange(event);
    });
    socket.on('connect', () => void join());
    socket.on('disconnect', () => {
      if (!closed) sub.onStatus('offline');
    });
    socket.on('connect_error', () => {
      if (!closed) sub.onStatus('offline');
    });
    return () => {
      closed = true;
      socket.close();
    };
  }
}
