import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, api, cleanup, connect, expectError, joinPage, openSocket, startServer, within } from './helpers.js';

afterEach(cleanup);

const FOREIGN_ORIGINS = ['http://evil.example', `${ALLOWED_ORIGIN}.evil`, ALLOWED_ORIGIN.replace('http:', 'https:')];

describe('CORS on the API', () => {
  it('echoes an allowed origin in Access-Control-Allow-Origin', async () => {
    const { url } = await startServer();
    const res = await api(url, 'GET', '/api/comments?site=default&page=%2Fa', { origin: ALLOWED_ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('vary')).toMatch(/origin/i);
  });

  it('lets an allowed page read error responses too', async () => {
    const { url } = await startServer();
    const res = await api(url, 'POST', '/api/comments', {
      origin: ALLOWED_ORIGIN,
      body: { site: 'default', page: '/a', body: 'hi' },
    });
    expectError(res, 401, 'unauthenticated');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('answers a preflight from an allowed origin, allowing the Authorization header', async () => {
    const { url } = await startServer();
    const res = await api(url, 'OPTIONS', '/api/comments/1?site=default', {
      origin: ALLOWED_ORIGIN,
      headers: {
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const allowedHeaders = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(res.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
    // Bearer tokens, not cookies: credentials are never allowed.
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets a request without Origin through (curl, servers), with no CORS headers', async () => {
    const { url } = await startServer();
    const res = await api(url, 'GET', '/api/comments?site=default&page=%2Fa');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  for (const origin of FOREIGN_ORIGINS) {
    it(`refuses requests and preflights from ${origin} with 403 origin_not_allowed`, async () => {
      const { url } = await startServer();
      const res = await api(url, 'GET', '/api/comments?site=default&page=%2Fa', { origin });
      expectError(res, 403, 'origin_not_allowed');
      // The refused page may read why it was refused, and nothing else.
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.body).not.toHaveProperty('comments');

      const preflight = await api(url, 'OPTIONS', '/api/comments', {
        origin,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expectError(preflight, 403, 'origin_not_allowed');
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  }

  it('follows the configured origins', async () => {
    const { url } = await startServer({ origins: ['https://blog.example'] });
    const allowed = await api(url, 'GET', '/api/comments?site=default&page=%2Fa', { origin: 'https://blog.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://blog.example');
    expectError(await api(url, 'GET', '/api/comments?site=default&page=%2Fa', { origin: ALLOWED_ORIGIN }), 403, 'origin_not_allowed');
  });
});

describe('socket origin check', () => {
  it('connects a socket from an allowed origin', async () => {
    const { url } = await startServer();
    const socket = await connect(url);
    expect(socket.connected).toBe(true);
    expect(await joinPage(socket, '/a')).toEqual({ ok: true, seq: 0, missed: [] });
  });

  for (const origin of FOREIGN_ORIGINS) {
    it(`refuses a socket from ${origin} with connect_error`, async () => {
      const { url } = await startServer();
      const socket = openSocket(url, origin);
      const outcome = await within(
        new Promise<string>((resolve) => {
          socket.once('connect', () => resolve('connected'));
          socket.once('connect_error', () => resolve('refused'));
        }),
        'the socket to connect or fail',
      );
      expect(outcome).toBe('refused');
      expect(socket.connected).toBe(false);
    });
  }

  it('refuses a foreign origin over HTTP long-polling too', async () => {
    const { url } = await startServer();
    const res = await api(url, 'GET', '/socket.io/?EIO=4&transport=polling', { origin: 'http://evil.example' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const allowed = await api(url, 'GET', '/socket.io/?EIO=4&transport=polling', { origin: ALLOWED_ORIGIN });
    expect(allowed.status).toBe(200);
  });
});
