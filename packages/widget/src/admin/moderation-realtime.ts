import type { ClientToServerEvents, ErrorBody, JoinModerationReply, ModerationChangedEvent, ServerToClientEvents } from '@parley/protocol';
import type { Socket } from 'socket.io-client';
import type { ConnectionStatus } from '../api/realtime.js';

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

type ModerationSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Connect = (server: string) => ModerationSocket;

const JOIN_TIMEOUT_MS = 10_000;

/** socket.io-client, imported when first needed, so the admin paints before it loads. */
const loadSocketIo: () => Promise<Connect> = () =>
  import('socket.io-client').then(({ io }) => (server: string) => io(server, { transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000 }));

/**
 * The moderation room over socket.io: joins with the moderator's token on
 * every (re)connect and passes on `moderation:changed` for its site.
 */
export class SocketModerationRealtime implements ModerationRealtime {
  constructor(
    private readonly server: string,
    /** How to open a socket; tests pass a fake. */
    private readonly load: () => Promise<Connect> = loadSocketIo,
  ) {}

  subscribe(site: string, token: string, sub: ModerationSubscription): () => void {
    let closed = false;
    let socket: ModerationSocket | undefined;
    sub.onStatus('connecting');
    const join = async (current: ModerationSocket) => {
      const reply = (await current
        .timeout(JOIN_TIMEOUT_MS)
        .emitWithAck('moderation:join', { site, token })
        .catch(() => null)) as JoinModerationReply | null;
      if (closed) return;
      if (!reply) {
        // No answer in time: start over, which joins again on connect.
        current.disconnect().connect();
        return;
      }
      if (!reply.ok) {
        closed = true;
        current.disconnect();
        sub.onRefused(reply.error);
        return;
      }
      sub.onStatus('online');
    };
    void this.load().then(
      (connect) => {
        if (closed) return;
        const current = connect(this.server);
        socket = current;
        // Types are not validation: check the one field this listener relies on.
        current.on('moderation:changed', (event) => {
          if (event && typeof event === 'object' && event.site === site) sub.onChange(event);
        });
        current.on('connect', () => void join(current));
        current.on('disconnect', () => {
          if (!closed) sub.onStatus('offline');
        });
        current.on('connect_error', () => {
          if (!closed) sub.onStatus('offline');
        });
      },
      () => sub.onStatus('offline'),
    );
    return () => {
      closed = true;
      socket?.disconnect();
    };
  }
}
