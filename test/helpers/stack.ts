import net from 'node:net';
import { createServer, testConfig, type Config, type ParleyServer } from '@parley/server';
import { startExampleHost } from '@parley/velotip-example';

/**
 * Both sides use 127.0.0.1, never `localhost`: the browser sends the origin
 * exactly as the page was addressed, and the server compares it as a string.
 */
export const HOST = '127.0.0.1';

/** The path the example host serves the article under (also its canonical URL). */
export const ARTICLE_PATH = '/2026/04/28/openai-microsoft-partnership';

export interface ExampleHost {
  /** The host's origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The article's URL on this host. */
  articleUrl: string;
  /** The host's moderation page (`/admin.html`), where `<parley-admin>` lives. */
  adminUrl: string;
  close(): Promise<void>;
}

export interface Stack {
  server: ParleyServer;
  /** The Parley server's origin, e.g. `http://127.0.0.1:41233`. */
  serverUrl: string;
  /** The Velotip example host, the one origin the server allows. */
  host: ExampleHost;
  /** Closes host and server; safe to call after the server was stopped by a test. */
  close(): Promise<void>;
}

/** Starts the real Velotip example host on a free port, embedding the widget from `parleyUrl`. */
export async function startHost(parleyUrl: string, port = 0): Promise<ExampleHost> {
  const host = await startExampleHost({ port, host: HOST, parleyUrl });
  // host.mjs is plain JavaScript; its port is untyped.
  const origin = `http://${HOST}:${host.port as number}`;
  return { origin, articleUrl: `${origin}${ARTICLE_PATH}`, adminUrl: `${origin}/admin.html`, close: () => host.close() };
}

/** A free TCP port on {@link HOST}, for settings that need a port before anything listens. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, HOST, resolve);
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A real Parley server (in-memory SQLite, silent logs) and the example host,
 * on two free ports, so the widget talks to the server cross-origin. The
 * host's port is reserved first because the server's allowed origins must
 * name it, and the host's page must name the server.
 */
export async function startStack(overrides: Partial<Config> = {}): Promise<Stack> {
  const hostPort = await freePort();
  const server = await createServer({ ...testConfig(), origins: [`http://${HOST}:${hostPort}`], ...overrides });
  let serverUrl: string;
  let host: ExampleHost;
  try {
    ({ url: serverUrl } = await server.listen(0, HOST));
    host = await startHost(serverUrl, hostPort);
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    serverUrl,
    host,
    async close() {
      await host.close();
      await server.close();
    },
  };
}
