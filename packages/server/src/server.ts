import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { AccountService } from './domain/accounts.js';
import { CommentService } from './domain/comments.js';
import { CommunityService } from './domain/community.js';
import { ModerationService } from './domain/moderation/service.js';
import { DomainEvents } from './domain/events.js';
import { createMarkdownRenderer } from './domain/markdown.js';
import { createApp } from './http/app.js';
import { RateLimits } from './http/rate-limits.js';
import { attachRealtime, type ParleyIo, type SocketHeartbeat } from './realtime/socket.js';
import { openSqliteStore } from './store/sqlite.js';
import type { Store } from './store/types.js';
import { version } from './version.js';

export interface ParleyServer {
  config: Config;
  logger: Logger;
  store: Store;
  events: DomainEvents;
  accounts: AccountService;
  comments: CommentService;
  community: CommunityService;
  moderation: ModerationService;
  httpServer: http.Server;
  io: ParleyIo;
  /** Starts listening; resolves with the bound port and a URL for it. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets requests in flight finish, closes sockets and the database. */
  close(): Promise<void>;
}

/** How long close() lets requests in flight finish before it cuts their connections. */
const DRAIN_TIMEOUT_MS = 5_000;

export interface CreateServerOptions {
  logger?: Logger;
  /** Use this store instead of opening `config.dbPath`. */
  store?: Store;
  /**
   * The socket server's heartbeat instead of socket.io's (a ping every 25 s,
   * 20 s to answer); tests shorten it to see pings without waiting.
   */
  heartbeat?: SocketHeartbeat;
}

/**
 * Builds a whole Parley server from a configuration. Nothing is shared
 * between two calls: tests build as many as they like.
 */
export async function createServer(config: Config, options: CreateServerOptions = {}): Promise<ParleyServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, name: 'parley' });
  const store = options.store ?? openSqliteStore(config.dbPath, { eventRetention: config.eventRetention });
  await store.ensureSite(config.site, config.site);
  const events = new DomainEvents();
  const accounts = new AccountService(store, { sessionDays: config.sessionDays });
  const comments = new CommentService(store, events, { render: createMarkdownRenderer() });
  const community = new CommunityService(store, events);
  const moderation = new ModerationService(store, events);
  const rateLimits = new RateLimits(config.rateLimits, logger);
  const app = createApp({ config, logger, version, accounts, comments, community, moderation, rateLimits });
  // Responses not yet sent, so close() can tell their clients not to reuse the connection.
  const pending = new Set<http.ServerResponse>();
  let draining = false;
  const httpServer = http.createServer((req, res) => {
    // A request that reaches a kept-alive connection during close() is answered, then the connection closes.
    if (draining) res.setHeader('Connection', 'close');
    pending.add(res);
    res.once('close', () => pending.delete(res));
    app(req, res);
  });
  const io = attachRealtime({ httpServer, store, events, accounts, origins: config.origins, logger, heartbeat: options.heartbeat });

  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    store,
    events,
    accounts,
    comments,
    community,
    moderation,
    httpServer,
    io,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const shownHost = host && host !== '::' && host !== '0.0.0.0' ? host : 'localhost';
          resolve({ port: address.port, url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}` });
        });
      });
    },
    close() {
      closing ??= (async () => {
        // Without `Connection: close` a keep-alive client may send more requests on a
        // connection the server is waiting to end, and they would be served.
        draining = true;
        for (const res of pending) if (!res.headersSent) res.setHeader('Connection', 'close');
        // Stops accepting and ends idle connections; resolves once the last one has ended.
        const drained = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        // A response that was already streaming with keep-alive would hold its connection open
        // until the keep-alive timeout: cut what is left after a while, before the database goes.
        const force = setTimeout(() => httpServer.closeAllConnections(), DRAIN_TIMEOUT_MS);
        // io.close() disconnects the sockets, whose connections the HTTP server also waits for.
        await Promise.all([drained, new Promise<void>((resolve) => io.close(() => resolve()))]);
        clearTimeout(force);
        events.removeAllListeners();
        rateLimits.close();
        await store.close();
      })();
      return closing;
    },
  };
}
