import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ErrorCode, ParleyError } from '../errors.js';

/** Unknown routes answer in the same shape as every other error. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new ParleyError(ErrorCode.NotFound, { message: `No route for ${req.method} ${req.path}.` }));
};

/** Turns anything thrown into `{ error: { code, message, fields? } }`; never leaks a stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const parley = toParleyError(error);
    if (parley.status >= 500) logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    else if (parley.logContext) logger.info({ ...parley.logContext, code: parley.code }, parley.message);
    if (res.headersSent) return;
    // Let a refused page read why, so its widget can say so instead of "can't
    // reach". The answer holds no data; a refused preflight still stops writes.
    if (parley.code === ErrorCode.OriginNotAllowed && req.method !== 'OPTIONS' && typeof req.headers.origin === 'string') {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
      res.setHeader('Vary', 'Origin');
    }
    res.status(parley.status).json(parley.toBody());
  };
}

/** body-parser and friends throw errors with a `type`; map the ones clients can cause. */
function toParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new ParleyError(ErrorCode.PayloadTooLarge);
  if (type === 'entity.parse.failed') {
    return new ParleyError(ErrorCode.MalformedBody, { message: 'The request body is not valid JSON.' });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ParleyError(ErrorCode.MalformedBody, { message: 'The request body must be UTF-8 JSON.' });
  }
  // The router's URIError for a path parameter like `%E0%A4`, and zlib's for a body that
  // claims a Content-Encoding it does not have, carry a 4xx: the client's fault, not ours.
  const status = (error as { status?: unknown } | null)?.status;
  if (error instanceof URIError && status === 400) {
    return new ParleyError(ErrorCode.ValidationFailed, { message: 'The request URL is not valid.' });
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ParleyError(ErrorCode.MalformedBody, { logContext: { cause: String(error) } });
  }
  return new ParleyError(ErrorCode.Internal);
}
