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
import { attachRealtime, type ParleyIo } from './realtime/socket.js';
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

export interface CreateServerOptions {
  logger?: Logger;
  /** Use this store instead of opening `config.dbPath`. */
  store?: Store;
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
  const app = createApp({ config, logger, version, accounts, comments, community, moderation });
  const httpServer = http.createServer(app);
  const io = attachRealtime({ httpServer, store, events, accounts, origins: config.origins, logger });

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
        // io.close() also closes the HTTP server, which waits for requests in flight.
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeIdleConnections();
        });
        events.removeAllListeners();
        await store.close();
      })();
      return closing;
    },
  };
}
