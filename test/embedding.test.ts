import { createServer, loadConfig } from '@parley/server';
import { exampleSettings, startExampleHost } from '@parley/velotip-example';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { ARTICLE_PATH, HOST, freePort, startHost, startStack } from './helpers/stack.js';
import { waitUntil } from './helpers/wait.js';

const journey = setupJourney();

/** The absolute URL of the host page's Parley script tag. */
const embedScriptSrc = (page: Page) => page.locator('script[src$="/embed.js"]').evaluate((script) => (script as HTMLScriptElement).src);

describe('embedding on a host page', () => {
  it('shows an error with a Retry button, not comments, on a site the server does not allow', async () => {
    const foreign = await startHost(journey.stack.serverUrl);
    try {
      const { page } = await journey.browsing.open(foreign.articleUrl, 'foreign reader');
      // The server answers 403 origin_not_allowed, readable by the refused page.
      const refusedThreadLoads: string[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/api/comments' && response.status() === 403) {
          refusedThreadLoads.push(response.url());
        }
      });

      const error = page.getByRole('alert').filter({ hasText: "Couldn't load the comments." });
      await error.waitFor();
      await error.getByText('This website is not allowed to use these comments.').waitFor();
      const retry = error.getByRole('button', { name: 'Retry', exact: true });
      await retry.waitFor();
      expect(await page.getByText('No comments yet.', { exact: true }).isVisible()).toBe(false);

      // Retrying asks the server again, and is refused again.
      const refusedBefore = refusedThreadLoads.length;
      await retry.click();
      await waitUntil(() => refusedThreadLoads.length > refusedBefore, 'the retried thread load to be refused');
      await error.waitFor();
      await retry.waitFor();
      expect(await page.getByText('No comments yet.', { exact: true }).isVisible()).toBe(false);
    } finally {
      await foreign.close();
    }
  });

  it('loads the widget from the server URL the example host was given', async () => {
    const { page } = await journey.reader('reader');
    expect(await embedScriptSrc(page)).toBe(`${journey.stack.serverUrl}/embed.js`);
    await page.getByText('No comments yet.', { exact: true }).waitFor();

    // A second server on another port, with its own host page: that page follows it.
    const other = await startStack();
    try {
      expect(other.serverUrl).not.toBe(journey.stack.serverUrl);
      const { page: otherPage } = await journey.browsing.open(other.host.articleUrl, 'other reader');
      expect(await embedScriptSrc(otherPage)).toBe(`${other.serverUrl}/embed.js`);
      await otherPage.getByText('No comments yet.', { exact: true }).waitFor();
    } finally {
      await journey.browsing.closeReaders();
      await other.close();
    }
  });

  it('works when PARLEY_PORT is changed, with the settings both sides read from the environment', async () => {
    // What `PARLEY_PORT=… pnpm start` does: server and example host read the same environment.
    const env = {
      PARLEY_PORT: String(await freePort()),
      EXAMPLE_PORT: String(await freePort()),
      EXAMPLE_HOST: HOST,
      PARLEY_DB: ':memory:',
      PARLEY_LOG_LEVEL: 'silent',
    };
    const server = await createServer(loadConfig(env));
    let host: Awaited<ReturnType<typeof startExampleHost>> | undefined;
    try {
      await server.listen();
      const settings = exampleSettings(env);
      expect(settings.parleyUrl).toBe(`http://localhost:${env.PARLEY_PORT}`);
      host = await startExampleHost(settings);

      const { page } = await journey.browsing.open(`http://${HOST}:${env.EXAMPLE_PORT}${ARTICLE_PATH}`, 'reader');
      expect(await embedScriptSrc(page)).toBe(`http://localhost:${env.PARLEY_PORT}/embed.js`);
      await page.getByText('No comments yet.', { exact: true }).waitFor();
    } finally {
      await journey.browsing.closeReaders();
      await host?.close();
      await server.close();
    }
  });
});
