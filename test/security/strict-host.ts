import http from 'node:http';
import { HOST } from '../helpers/stack.js';

/** The article's path on the strict host; also its thread key. */
export const STRICT_ARTICLE_PATH = '/articles/strict-policy';

export interface StrictHost {
  origin: string;
  articleUrl: string;
  adminUrl: string;
  /** The Content-Security-Policy header every response carries. */
  policy: string;
  close(): Promise<void>;
}

/**
 * The policy a careful site sends: nothing by default; scripts from itself
 * and the Parley server only (no 'unsafe-inline', no 'unsafe-eval'); the API
 * and its WebSocket; styles and images from itself only.
 */
export function strictPolicy(serverUrl: string): string {
  const socketUrl = serverUrl.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    `script-src 'self' ${serverUrl}`,
    `connect-src ${serverUrl} ${socketUrl}`,
    "style-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

function articlePage(serverUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>A page under a strict policy</title>
    <link rel="stylesheet" href="/host.css" />
  </head>
  <body>
    <main>
      <article>
        <h1>A page under a strict policy</h1>
        <p>This host allows scripts from itself and the comments server only, and no inline script or style.</p>
      </article>
      <section aria-label="Reader comments">
        <script src="${escapeAttribute(serverUrl)}/embed.js" data-site="default" async></script>
      </section>
    </main>
  </body>
</html>
`;
}

function adminPage(serverUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Moderation under a strict policy</title>
    <link rel="stylesheet" href="/host.css" />
    <script src="${escapeAttribute(serverUrl)}/admin.js" async></script>
  </head>
  <body>
    <main>
      <h1>Moderation</h1>
      <parley-admin server="${escapeAttribute(serverUrl)}" site="default"></parley-admin>
    </main>
  </body>
</html>
`;
}

const HOST_CSS = 'body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; }\n';

/**
 * A host site that sends a strict Content-Security-Policy with every
 * response, embedding the widget (and, on `/admin`, the admin element) from
 * `serverUrl` by script tag, on `port` of {@link HOST}.
 */
export async function startStrictHost(port: number, serverUrl: string): Promise<StrictHost> {
  const policy = strictPolicy(serverUrl);
  const pages: Record<string, { type: string; body: string }> = {
    [STRICT_ARTICLE_PATH]: { type: 'text/html; charset=utf-8', body: articlePage(serverUrl) },
    '/admin': { type: 'text/html; charset=utf-8', body: adminPage(serverUrl) },
    '/host.css': { type: 'text/css; charset=utf-8', body: HOST_CSS },
  };
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://host').pathname];
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!page || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': page.type, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, resolve);
  });
  const origin = `http://${HOST}:${port}`;
  return {
    origin,
    articleUrl: `${origin}${STRICT_ARTICLE_PATH}`,
    adminUrl: `${origin}/admin`,
    policy,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
