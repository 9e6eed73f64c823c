import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Health, routes } from '@parley/protocol';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import { version } from '../src/version.js';
import { api, cleanup, expectError, expectOk, onCleanup, signUp, startServer, tmpDir } from './helpers.js';

afterEach(cleanup);

describe('request bodies', () => {
  it('answers malformed JSON with 400 malformed_body', async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/auth/sign-up', { rawBody: '{"site": "default", ' });
    expectError(res, 400, 'malformed_body');
  });

  it('refuses a JSON body that is not an object or array (strict mode)', async () => {
    const { url } = await startServer();
    expectError(await api(url, 'POST', '/api/auth/sign-in', { rawBody: '"just a string"' }), 400, 'malformed_body');
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const { url } = await startServer({ bodyLimitBytes: 1024 });
    const { token } = await signUp(url, 'Alice');
    const res = await api(url, 'POST', '/api/comments', {
      token,
      body: { site: 'default', page: '/a', body: 'x'.repeat(2048) },
    });
    expectError(res, 413, 'payload_too_large');
  });
});

describe('unknown routes', () => {
  it('answer 404 not_found in the error shape', async () => {
    const { url } = await startServer();
    for (const [method, route] of [['GET', '/nope'], ['POST', '/api/nope'], ['PUT', '/api/comments/1'], ['GET', '/api/comments/1/replies']]) {
      const error = expectError(await api(url, method!, route!), 404, 'not_found');
      expect(error.message).toContain(route!);
    }
  });
});

describe('unexpected failures', () => {
  it('answer 500 internal_error without the cause or a stack trace', async () => {
    const secret = 'disk on fire at /var/secret/parley.db';
    const real = openSqliteStore(':memory:', { eventRetention: 10 });
    onCleanup(() => real.close());
    const broken: Store = {
      ...real,
      async listThread() {
        throw new Error(secret);
      },
    };
    const { url } = await startServer({}, { store: broken });
    const res = await api(url, 'GET', '/api/comments?site=default&page=%2Fa');
    const error = expectError(res, 500, 'internal_error');
    expect(error.message).toBe('Something went wrong on the comments server. Please try again.');
    expect(res.text).not.toContain('disk on fire');
    expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    // The server keeps serving after the failure.
    expect((await api(url, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('GET /healthz', () => {
  it('reports ok and the server version, uncached', async () => {
    const { url } = await startServer();
    const res = await api(url, 'GET', '/healthz');
    expect(expectOk(res, 200, Health)).toEqual({ ok: true, version });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('sends no X-Powered-By header', async () => {
    const { url } = await startServer();
    expect((await api(url, 'GET', '/healthz')).headers.get('x-powered-by')).toBeNull();
  });
});

describe('request log', () => {
  /** A logger at `level` whose lines the test reads. */
  function capturingLogger(level: pino.Level) {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, lines };
  }

  it('logs each response at info with the method, URL and status, and never the token', async () => {
    const { logger, lines } = capturingLogger('info');
    const { url } = await startServer({}, { logger });
    const { token } = await signUp(url, 'Alice');
    await api(url, 'GET', '/api/comments?site=default&page=%2Fa', { token });
    await api(url, 'GET', '/healthz');
    const requests = lines.filter((line) => line.msg === 'request completed');
    expect(requests.map((line) => [(line.req as { method: string }).method, (line.req as { url: string }).url, (line.res as { statusCode: number }).statusCode])).toEqual([
      ['POST', '/api/auth/sign-up', 201],
      ['GET', '/api/comments?site=default&page=%2Fa', 200],
    ]);
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('writes no request lines below info', async () => {
    const { logger, lines } = capturingLogger('warn');
    const { url } = await startServer({}, { logger });
    await signUp(url, 'Alice');
    expect(lines.filter((line) => line.msg === 'request completed')).toEqual([]);
  });
});

describe('GET /api/openapi.json', () => {
  type Doc = {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, unknown> };
  };

  async function fetchDoc(): Promise<Doc> {
    const { url } = await startServer();
    const res = await api(url, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    return res.body as Doc;
  }

  it('is an OpenAPI 3.1 document with exactly the operations of the route table, at their paths', async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toMatch(/^3\.1\./);
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(operations.sort()).toEqual(Object.keys(routes).sort());
    expect(operations).toEqual(
      expect.arrayContaining(['signUp', 'signIn', 'signOut', 'getMe', 'listComments', 'createComment', 'updateComment', 'deleteComment']),
    );
    for (const spec of Object.values(routes)) {
      const openApiPath = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[openApiPath]?.[spec.method]?.operationId, `${spec.method} ${spec.path}`).toBe(spec.operationId);
    }
    expect(doc.paths['/api/comments/{id}']?.patch?.responses).toHaveProperty('403');
  });

  it('resolves every $ref inside the document', async () => {
    const doc = await fetchDoc();
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === '$ref') refs.push(inner as string);
          else walk(inner);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
      expect(target, `${ref} does not resolve`).toBeDefined();
    }
  });
});

describe('GET /chunks/NAME.js', () => {
  async function withChunks() {
    const dir = await tmpDir();
    const chunksDir = path.join(dir, 'chunks');
    await fs.mkdir(chunksDir);
    await fs.writeFile(path.join(chunksDir, 'after-first-paint-Ab12_x.js'), '__parleyDefine("chunks/after-first-paint-Ab12_x",[],function(){});\n');
    await fs.writeFile(path.join(dir, 'secret.txt'), 'not for the web');
    const { url } = await startServer({ chunksDir });
    return { url };
  }

  it('serves a chunk as JavaScript, cached for good (its name carries its hash)', async () => {
    const { url } = await withChunks();
    const res = await api(url, 'GET', '/chunks/after-first-paint-Ab12_x.js');
    expect(res.status).toBe(200);
    expect(res.text).toContain('__parleyDefine("chunks/after-first-paint-Ab12_x"');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('answers 404 in the error shape for a chunk that does not exist, and never leaves the folder', async () => {
    const { url } = await withChunks();
    expectError(await api(url, 'GET', '/chunks/nope-123.js'), 404, 'not_found');
    expectError(await api(url, 'GET', '/chunks/'), 404, 'not_found');
    for (const escape of ['/chunks/../secret.txt', '/chunks/%2e%2e/secret.txt', '/chunks/..%2fsecret.txt']) {
      const res = await api(url, 'GET', escape);
      expect(res.text, escape).not.toContain('not for the web');
      expect(res.status, escape).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('GET /count.js', () => {
  it('serves the count bundle from PARLEY_COUNT_FILE like /embed.js, to any origin', async () => {
    const dir = await tmpDir();
    const countFile = path.join(dir, 'count.js');
    await fs.writeFile(countFile, 'customElements.define("parley-count", class extends HTMLElement {});\n');
    const { url } = await startServer({ countFile });

    const res = await api(url, 'GET', '/count.js');

    expect(res.status).toBe(200);
    expect(res.text).toContain('parley-count');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const etag = res.headers.get('etag')!;
    expect((await api(url, 'GET', '/count.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('answers 404 in the error shape when the bundle has not been built', async () => {
    const dir = await tmpDir();
    const { url } = await startServer({ countFile: path.join(dir, 'missing.js') });

    expect(expectError(await api(url, 'GET', '/count.js'), 404, 'not_found').message).toMatch(/pnpm build/);
  });
});

describe('GET /embed.js', () => {
  async function withBundle(contents: string) {
    const dir = await tmpDir();
    const embedFile = path.join(dir, 'embed.js');
    await fs.writeFile(embedFile, contents);
    const { url } = await startServer({ embedFile });
    return { url, embedFile };
  }

  it('serves the bundle as JavaScript with an ETag and a cache lifetime', async () => {
    const { url } = await withBundle('console.log("parley");\n');
    const res = await api(url, 'GET', '/embed.js');
    expect(res.status).toBe(200);
    expect(res.text).toBe('console.log("parley");\n');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    // A host page on any origin loads the script.
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const { url } = await withBundle('console.log("parley");\n');
    const etag = (await api(url, 'GET', '/embed.js')).headers.get('etag')!;
    const res = await api(url, 'GET', '/embed.js', { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
    const stale = await api(url, 'GET', '/embed.js', { headers: { 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('serves a rebuilt bundle with a new ETag without a restart', async () => {
    const { url, embedFile } = await withBundle('console.log(1);\n');
    const before = (await api(url, 'GET', '/embed.js')).headers.get('etag');
    await fs.writeFile(embedFile, 'console.log(2);\n');
    // Some file systems keep coarse mtimes; make sure the rebuild looks newer.
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(embedFile, later, later);
    const res = await api(url, 'GET', '/embed.js', { headers: { 'if-none-match': before! } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('console.log(2);\n');
    expect(res.headers.get('etag')).not.toBe(before);
  });

  it('sends the smallest encoding the browser takes: Brotli, else gzip, else the plain file', async () => {
    const source = `${'console.log("parley");\n'.repeat(200)}`;
    const { url } = await withBundle(source);
    const get = (acceptEncoding?: string) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = http.get(`${url}/embed.js`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (part: Buffer) => parts.push(part));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
        });
        req.on('error', reject);
      });
    const br = await get('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(source);
    expect(br.body.length).toBeLessThan(source.length / 10);
    const gzip = await get('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(source);
    const plain = await get();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(source);
    // One ETag for the file, whatever the encoding.
    expect(new Set([br.headers.etag, gzip.headers.etag, plain.headers.etag]).size).toBe(1);
  });

  it('answers 404 in the error shape when the bundle has not been built', async () => {
    const dir = await tmpDir();
    const { url } = await startServer({ embedFile: path.join(dir, 'missing.js') });
    const error = expectError(await api(url, 'GET', '/embed.js'), 404, 'not_found');
    expect(error.message).toMatch(/pnpm build/);
    expect(error.message).not.toContain(dir);
  });
});
