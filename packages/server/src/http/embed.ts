import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { RequestHandler } from 'express';
import { ErrorCode, ParleyError } from '../errors.js';

/**
 * Serves one of the widget's script bundles (`/embed.js`, `/admin.js`, `/count.js`). The file is read when it changes
 * (so a rebuild needs no restart) and served with a strong ETag; browsers
 * revalidate after five minutes, so a new release reaches readers quickly.
 */
export function embedHandler(file: string): RequestHandler {
  let cached: { mtimeMs: number; body: Buffer; etag: string } | undefined;
  return async (req, res, next) => {
    try {
      const stat = await fs.stat(file).catch(() => null);
      if (!stat) {
        throw new ParleyError(ErrorCode.NotFound, {
          message: 'The widget bundle has not been built. Run `pnpm build` at the repository root.',
          logContext: { file },
        });
      }
      if (!cached || cached.mtimeMs !== stat.mtimeMs) {
        const body = await fs.readFile(file);
        cached = { mtimeMs: stat.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      }
      res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      res.setHeader('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
      res.setHeader('ETag', cached.etag);
      if (req.headers['if-none-match'] === cached.etag) {
        res.status(304).end();
        return;
      }
      res.status(200).send(cached.body);
    } catch (error) {
      next(error);
    }
  };
}
