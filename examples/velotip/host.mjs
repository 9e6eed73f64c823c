#!/usr/bin/env node
/**
 * The Velotip example host: serves the article on its own origin, with the
 * Parley widget embedded by a script tag that points at the comments server.
 *
 * Environment: EXAMPLE_PORT (default 5173), EXAMPLE_HOST (default: every
 * interface), PARLEY_URL (the comments server as readers reach it; default
 * http://localhost:$PARLEY_PORT, PARLEY_PORT default 3000), PARLEY_SITE
 * (default "default").
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const files = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/2026/04/28/openai-microsoft-partnership': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/admin.html': { file: 'admin.html', type: 'text/html; charset=utf-8' },
  '/archive.html': { file: 'archive.html', type: 'text/html; charset=utf-8' },
  '/site.css': { file: 'site.css', type: 'text/css; charset=utf-8' },
};

/** Pages that carry {{PARLEY_URL}}, {{PARLEY_SITE}} and {{EXAMPLE_URL}} placeholders. */
const templated = new Set(['index.html', 'admin.html', 'archive.html']);

const escapeAttr = (value) => value.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]);

/** Reads the example's settings from an environment. */
export function exampleSettings(env = process.env) {
  const port = Number(env.EXAMPLE_PORT?.trim() || 5173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`EXAMPLE_PORT must be a port number (got ${env.EXAMPLE_PORT})`);
  const parleyUrl = (env.PARLEY_URL || `http://localhost:${env.PARLEY_PORT || 3000}`).replace(/\/+$/, '');
  return { port, host: env.EXAMPLE_HOST || undefined, parleyUrl, site: env.PARLEY_SITE || 'default' };
}

/**
 * Starts the host. Resolves with its URL and a close function.
 * @param {{ port?: number, host?: string, parleyUrl: string, site?: string }} options
 */
export async function startExampleHost({ port = 5173, host, parleyUrl, site = 'default' }) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const entry = files[url.pathname];
    if (!entry || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    let body = await fs.readFile(path.join(here, entry.file), 'utf8');
    if (templated.has(entry.file)) {
      const origin = `http://${req.headers.host ?? `localhost:${address().port}`}`;
      body = body
        .replaceAll('{{PARLEY_URL}}', escapeAttr(parleyUrl))
        .replaceAll('{{PARLEY_SITE}}', escapeAttr(site))
        .replaceAll('{{EXAMPLE_URL}}', escapeAttr(origin));
    }
    res.writeHead(200, { 'Content-Type': entry.type, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  const address = () => server.address();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const shownHost = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address().port}`;
  return {
    url,
    port: address().port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const settings = exampleSettings();
  const { url } = await startExampleHost(settings);
  console.log(`Velotip example: ${url}/ (comments from ${settings.parleyUrl}); moderators: ${url}/admin.html; comment counts: ${url}/archive.html`);
}
