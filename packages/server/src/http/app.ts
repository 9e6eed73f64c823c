import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { buildOpenApiDocument } from '@parley/protocol';
import type { Config } from '../config.js';
import { apiRouter, createHandlers, type ApiServices } from './routes.js';
import { corsMiddleware } from './origins.js';
import type { RateLimits } from './rate-limits.js';
import { chunkHandler, embedHandler } from './embed.js';
import { errorHandler, notFound } from './errors.js';
import { ThreadCache } from './thread-cache.js';

export interface AppDeps extends Omit<ApiServices, 'defaultSite'> {
  config: Config;
  logger: Logger;
  version: string;
  /** Built by the caller, which stops its timers when the server closes. */
  rateLimits: RateLimits;
}

/** The Express app: headers, CORS, the REST API, the embed bundle and health. */
export function createApp(deps: AppDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Off unless configured: a client's own X-Forwarded-For must not choose the
  // IP that per-IP rate limits count.
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      // The embed script and the API are meant to be used by pages on other origins.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  // pino-http logs each response at `info` (errors too: 5xx are logged with their
  // cause by errorHandler). Below that level it would log nothing, yet still build
  // a child logger and serialize each request, so it is left out.
  if (logger.isLevelEnabled('info')) {
    app.use(
      pinoHttp({
        logger,
        autoLogging: { ignore: (req) => req.url === '/healthz' },
        // Headers carry bearer tokens: log only what identifies the request.
        serializers: {
          req: (req: { id: unknown; method: string; url: string; headers: Record<string, string | undefined> }) => ({
            id: req.id,
            method: req.method,
            url: req.url,
            origin: req.headers.origin,
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      }),
    );
  }

  app.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, version: deps.version });
  });
  app.get('/embed.js', embedHandler(config.embedFile));
  app.get('/admin.js', embedHandler(config.adminFile));
  // What /embed.js loads after the first paint.
  app.get('/chunks/:name', chunkHandler(config.chunksDir));
  app.get('/count.js', embedHandler(config.countFile));

  const openApi = buildOpenApiDocument({ version: deps.version, serverUrl: config.publicUrl });
  const api = express.Router();
  api.use(corsMiddleware(config.origins));
  api.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.use(express.json({ limit: config.bodyLimitBytes, strict: true }));
  const handlers = createHandlers({ ...deps, defaultSite: config.site });
  api.use(apiRouter(handlers, deps.accounts, config.site, deps.rateLimits, new ThreadCache(deps.comments)));
  app.use(api);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
