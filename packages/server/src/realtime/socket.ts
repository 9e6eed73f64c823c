import type { Server as HttpServer } from 'node:http';
import helmet from 'helmet';
import { Server, type Socket } from 'socket.io';
import {
  JoinModerationRequest,
  JoinPageRequest,
  LeavePageRequest,
  errorMessages,
  moderationRoom,
  pageRoom,
  socketPath,
  type ClientToServerEvents,
  type JoinPageReply,
  type PageEvent,
  type ServerToClientEvents,
} from '@parley/protocol';
import type { Logger } from 'pino';
import type { AccountService } from '../domain/accounts.js';
import type { DomainEvents } from '../domain/events.js';
import type { Store } from '../store/types.js';
import { isOriginAllowed } from '../http/origins.js';

/** How many page rooms one connection may be in at once. */
const MAX_ROOMS_PER_SOCKET = 20;

export type ParleyIo = Server<ClientToServerEvents, ServerToClientEvents>;
type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface RealtimeDeps {
  httpServer: HttpServer;
  store: Store;
  events: DomainEvents;
  accounts: AccountService;
  origins: readonly string[];
  logger: Logger;
  /** How often the server pings each connection, and how long it waits for the pong; socket.io's defaults unless told. */
  heartbeat?: SocketHeartbeat;
}

/** socket.io's `pingInterval` and `pingTimeout`, in ms. */
export interface SocketHeartbeat {
  pingInterval: number;
  pingTimeout: number;
}

/**
 * socket.io for live threads: a reader joins one page's room and receives its
 * events; domain events are broadcast to the room they belong to.
 */
export function attachRealtime({ httpServer, store, events, accounts, origins, logger, heartbeat }: RealtimeDeps): ParleyIo {
  const io: ParleyIo = new Server(httpServer, {
    path: socketPath,
    cors: { origin: [...origins], methods: ['GET', 'POST'] },
    // CORS headers do not guard WebSocket upgrades; this does, for every transport.
    allowRequest: (req, callback) => {
      // JSONP polling is what a <script> tag can do, from any page and with no Origin header to
      // check. The widget never uses it, so no handshake may ask for it.
      if (new URL(req.url ?? '/', 'http://socket').searchParams.has('j')) {
        logger.info({ origin: req.headers.origin }, 'socket refused: JSONP polling');
        callback('JSONP polling is not supported', false);
        return;
      }
      const allowed = isOriginAllowed(origins, req.headers.origin);
      if (!allowed) logger.info({ origin: req.headers.origin }, 'socket refused: origin not allowed');
      callback(allowed ? null : 'origin not allowed', allowed);
    },
    maxHttpBufferSize: 16 * 1024,
    serveClient: false,
    ...heartbeat,
  });

  // socket.io answers HTTP itself, before Express, so the API's helmet never sees these
  // responses. Unlike the API's, their resource policy is same-origin: the widget reads them
  // with CORS, which that policy leaves alone, and no page has a reason to load them by tag.
  io.engine.use(helmet());

  const broadcast = (event: PageEvent) => {
    // Each event type has its own listener signature; the union is checked by the schema.
    (io.to(pageRoom(event.site, event.page)).emit as (type: string, payload: PageEvent) => boolean)(event.type, event);
  };
  // Removed by ParleyServer.close(), which owns both the events and io.
  events.on('page:event', broadcast);
  events.on('moderation:changed', (event) => io.to(moderationRoom(event.site)).emit('moderation:changed', event));

  io.on('connection', (socket: ParleySocket) => {
    socket.on('page:join', async (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = JoinPageRequest.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, reload: false, error: { code: 'validation_failed', message: errorMessages.validation_failed } });
        return;
      }
      const { site, page, since } = parsed.data;
      try {
        if (!(await store.siteExists(site))) {
          reply({ ok: false, reload: false, error: { code: 'site_not_found', message: errorMessages.site_not_found } });
          return;
        }
        const room = pageRoom(site, page);
        const joined = [...socket.rooms].filter((r) => r.startsWith('page:'));
        if (!joined.includes(room) && joined.length >= MAX_ROOMS_PER_SOCKET) {
          reply({ ok: false, reload: false, error: { code: 'rate_limited', message: 'Too many threads open on one connection.' } });
          return;
        }
        // Join before reading: an event committed meanwhile arrives live and in
        // the reply; the client drops the copy by its seq.
        await socket.join(room);
        // Without `since` the client only needs the current seq, which every answer carries.
        const result = await store.eventsSince(site, page, since ?? Number.MAX_SAFE_INTEGER);
        let answer: JoinPageReply;
        if (since === undefined) answer = { ok: true, seq: result.seq, missed: [] };
        else if (result.kind === 'too-old') answer = { ok: false, reload: true };
        else answer = { ok: true, seq: result.seq, missed: result.events };
        reply(answer);
      } catch (error) {
        logger.error({ err: error }, 'page:join failed');
        reply({ ok: false, reload: false, error: { code: 'internal_error', message: errorMessages.internal_error } });
      }
    });

    socket.on('moderation:join', async (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = JoinModerationRequest.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: { code: 'validation_failed', message: errorMessages.validation_failed } });
        return;
      }
      try {
        const viewer = await accounts.authenticate(parsed.data.token);
        if (!viewer) {
          reply({ ok: false, error: { code: 'unauthenticated', message: errorMessages.unauthenticated } });
          return;
        }
        if (!(await accounts.isModerator(viewer, parsed.data.site))) {
          reply({ ok: false, error: { code: 'forbidden', message: 'You are not a moderator of this site.' } });
          return;
        }
        await socket.join(moderationRoom(parsed.data.site));
        reply({ ok: true });
      } catch (error) {
        logger.error({ err: error }, 'moderation:join failed');
        reply({ ok: false, error: { code: 'internal_error', message: errorMessages.internal_error } });
      }
    });

    socket.on('moderation:leave', async (raw) => {
      const site = (raw as { site?: unknown } | null)?.site;
      if (typeof site === 'string') await socket.leave(moderationRoom(site));
    });

    socket.on('page:leave', async (raw) => {
      const parsed = LeavePageRequest.safeParse(raw);
      if (parsed.success) await socket.leave(pageRoom(parsed.data.site, parsed.data.page));
    });
  });

  return io;
}
