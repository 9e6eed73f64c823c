import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, testConfig, type ParleyServer } from '@parley/server';
import { Browsing } from '../helpers/browser.js';
import { HOST } from '../helpers/stack.js';
import { WAIT_MS } from '../helpers/wait.js';

/**
 * Every response from the Parley server, the REST API's and socket.io's
 * alike, carries helmet's headers: above all `X-Content-Type-Options:
 * nosniff`, so nothing served from the widget's origin is read as HTML or
 * run as a script it was not meant to be.
 */

/** The one origin the server allows; nothing listens there, the tests send it as a header. */
const ALLOWED_ORIGIN = `http://${HOST}:5173`;

/** Headers helmet sets on every response, and their values where they matter. */
const HELMET_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'content-security-policy': /default-src 'self'/,
  'x-frame-options': /^SAMEORIGIN$/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-resource-policy': /./,
  'strict-transport-security': /max-age=/,
};

let server: ParleyServer;
let serverUrl: string;

beforeAll(async () => {
  server = await createServer({ ...testConfig(), origins: [ALLOWED_ORIGIN] });
  ({ url: serverUrl } = await server.listen(0, HOST));
});

afterAll(() => server?.close());

interface Probe {
  what: string;
  path: string;
  init?: RequestInit;
}

/** Every REST operation of the server's OpenAPI document, called without a session or a body. */
async function restProbes(): Promise<Probe[]> {
  const document = (await (await fetch(`${serverUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      what: `${operation.operationId} (no session, no body)`,
      path: path.replace(/\{\w+\}/g, '1'),
      init: { method: method.toUpperCase(), headers: { origin: ALLOWED_ORIGIN } },
    })),
  );
}

const probes: Probe[] = [
  { what: 'health', path: '/healthz' },
  { what: 'the embed bundle', path: '/embed.js' },
  { what: 'the admin bundle', path: '/admin.js' },
  { what: 'the OpenAPI document', path: '/api/openapi.json' },
  { what: 'an unknown path with markup in it', path: '/%3Cscript%3Ealert(1)%3C/script%3E' },
  { what: 'a body that is not JSON', path: '/api/comments', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{<' } },
  { what: 'a foreign origin', path: '/api/comments?page=/x', init: { headers: { origin: 'http://evil.example' } } },
  { what: 'a CORS preflight', path: '/api/comments', init: { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' } } },
  { what: 'a socket.io handshake (polling)', path: '/socket.io/?EIO=4&transport=polling', init: { headers: { origin: ALLOWED_ORIGIN } } },
  { what: 'a socket.io poll with an unknown session', path: '/socket.io/?EIO=4&transport=polling&sid=%3Cimg%3E', init: { headers: { origin: ALLOWED_ORIGIN } } },
  { what: 'a socket.io handshake from a foreign origin', path: '/socket.io/?EIO=4&transport=polling', init: { headers: { origin: 'http://evil.example' } } },
  { what: 'a socket.io JSONP handshake', path: '/socket.io/?EIO=4&transport=polling&j=0' },
];

describe('the security headers of the Parley server', () => {
  it('are on every response: bundles, REST operations, errors, and socket.io', async () => {
    const missing: string[] = [];
    for (const probe of [...probes, ...(await restProbes())]) {
      const response = await fetch(`${serverUrl}${probe.path}`, probe.init);
      await response.arrayBuffer();
      for (const [header, expected] of Object.entries(HELMET_HEADERS)) {
        const value = response.headers.get(header);
        if (value === null || !expected.test(value)) missing.push(`${probe.what} (${response.status}): ${header} is ${JSON.stringify(value)}`);
      }
      if (response.headers.has('x-powered-by')) missing.push(`${probe.what}: X-Powered-By is set`);
    }
    expect(missing).toEqual([]);
  });

  it('serve what may be fetched by any page as the type it is: scripts as JavaScript, everything else as JSON', async () => {
    for (const path of ['/embed.js', '/admin.js']) {
      expect((await fetch(`${serverUrl}${path}`)).headers.get('content-type'), path).toMatch(/^text\/javascript/);
    }
    for (const path of ['/healthz', '/api/openapi.json', '/nope', '/api/comments?page=/x']) {
      expect((await fetch(`${serverUrl}${path}`)).headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });
});

describe('a page on a foreign origin', () => {
  let browsing: Browsing;
  let foreign: http.Server;
  let foreignUrl: string;

  beforeAll(async () => {
    browsing = await Browsing.launch();
    // Script tags send no Origin header; this page tries to read a realtime session through them (JSONP polling).
    foreign = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<title>Not a Parley host</title>
<script>window.___eio = [function (data) { window.stolenHandshake = data; }];</script>
<script src="${serverUrl}/socket.io/?EIO=4&amp;transport=polling&amp;j=0"></script>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, HOST, resolve));
    foreignUrl = `http://${HOST}:${(foreign.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => foreign?.close(() => resolve()));
    await browsing?.close();
  });

  it('cannot open a realtime session through script tags (JSONP), which bypass the origin check', async () => {
    const context = await browsing.browser.newContext();
    context.setDefaultTimeout(WAIT_MS);
    try {
      const page = await context.newPage();
      const asked: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/socket.io/')) asked.push(request.url());
      });
      // The load event waits for the script tag: by then its answer has run, or been refused.
      await page.goto(foreignUrl, { waitUntil: 'load' });
      expect(asked).toHaveLength(1);
      expect(await page.evaluate(() => (window as unknown as { stolenHandshake?: string }).stolenHandshake ?? null)).toBeNull();
    } finally {
      await context.close();
    }
  });
});
