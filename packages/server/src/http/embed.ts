import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';
import { ErrorCode, ParleyError } from '../errors.js';

/** One version of a script file, with its compressed forms, made once per version. */
interface Compiled {
  mtimeMs: number;
  size: number;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/**
 * Reads script files and keeps each version with its gzip (level 9) and
 * Brotli (quality 11) forms, so a reader downloads the smallest form their
 * browser takes and the server compresses each version once, not per request.
 * A file is read again when its modification time or size changes (so a
 * rebuild needs no restart).
 */
class ScriptFiles {
  private readonly files = new Map<string, Compiled>();

  async get(file: string): Promise<Compiled | null> {
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) return null;
    const known = this.files.get(file);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known;
    const identity = await fs.readFile(file);
    const compiled: Compiled = {
      mtimeMs: stat.mtimeMs,
      size: stat.size,
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
      identity,
      gzip: zlib.gzipSync(identity, { level: 9 }),
      br: zlib.brotliCompressSync(identity, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
      }),
    };
    this.files.set(file, compiled);
    return compiled;
  }
}

/** Sends one script in the encoding the request prefers, with its ETag and caching. */
function sendScript(req: Request, res: Response, script: Compiled, cacheControl: string): void {
  res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', script.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === script.etag) {
    res.status(304).end();
    return;
  }
  // Our preference, not the header's order: browsers list gzip first and take Brotli too.
  const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : null;
  if (encoding) {
    res.setHeader('Content-Encoding', encoding);
    res.status(200).send(script[encoding]);
    return;
  }
  res.status(200).send(script.identity);
}

/**
 * Serves one of the widget's script bundles (`/embed.js`, `/admin.js`, `/count.js`) with a
 * strong ETag; browsers revalidate after five minutes, so a new release
 * reaches readers quickly.
 */
export function embedHandler(file: string, files = new ScriptFiles()): RequestHandler {
  return async (req, res, next) => {
    try {
      const script = await files.get(file);
      if (!script) {
        throw new ParleyError(ErrorCode.NotFound, {
          message: 'The widget bundle has not been built. Run `pnpm build` at the repository root.',
          logContext: { file },
        });
      }
      sendScript(req, res, script, 'public, max-age=300, stale-while-revalidate=86400');
    } catch (error) {
      next(error);
    }
  };
}

/** A chunk's file name as the widget's build writes it: a name, a content hash, `.js`. */
const CHUNK_NAME = /^[A-Za-z0-9_-]{1,100}\.js$/;

/**
 * Serves the chunks `/embed.js` loads after the first paint, at
 * `/chunks/NAME.js`. Their names carry a content hash, so a name always means
 * the same bytes: cached for a year, never revalidated. Any other name is a
 * 404, and nothing outside the folder is ever read.
 */
export function chunkHandler(dir: string, files = new ScriptFiles()): RequestHandler {
  return async (req, res, next) => {
    try {
      const name = String(req.params.name ?? '');
      const script = CHUNK_NAME.test(name) ? await files.get(path.join(dir, name)) : null;
      if (!script) throw new ParleyError(ErrorCode.NotFound, { message: 'No such widget chunk.' });
      sendScript(req, res, script, 'public, max-age=31536000, immutable');
    } catch (error) {
      next(error);
    }
  };
}
