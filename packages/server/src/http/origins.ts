import cors from 'cors';
import { ErrorCode, ParleyError } from '../errors.js';

/**
 * Whether a request's Origin may use the API. Browsers always send Origin on
 * cross-origin calls, so a host page not on the list is refused. A request
 * with no Origin is not from a browser page (curl, a server, the CLI) and
 * cannot ride on a reader's session, since sessions are bearer tokens, not
 * cookies.
 */
export function isOriginAllowed(origins: readonly string[], origin: string | undefined): boolean {
  return origin === undefined || origins.includes(origin);
}

export function corsMiddleware(origins: readonly string[]) {
  return cors({
    origin(origin, callback) {
      if (isOriginAllowed(origins, origin)) callback(null, origin ?? false);
      else callback(new ParleyError(ErrorCode.OriginNotAllowed, { logContext: { origin } }));
    },
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
    exposedHeaders: ['ETag', 'Retry-After'],
    maxAge: 600,
  });
}
