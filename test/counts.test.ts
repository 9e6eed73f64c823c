import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { createAccount, newAccount, postComment } from './helpers/widget.js';

const journey = setupJourney();

/** The archive's link to the article's thread, named by the count it shows. */
const countLink = (page: Page, name: string) => page.locator('.archive').getByRole('link', { name, exact: true });

describe('comment counts on the archive page (count.js)', () => {
  it('shows how many comments each article has, in one request, and links to the thread', async () => {
    const counted: string[] = [];
    const archiveUrl = `${journey.stack.host.origin}/archive.html`;
    const { page } = await journey.browsing.open(archiveUrl, 'archive reader', {
      beforeLoad: (p) => p.on('request', (request) => void (new URL(request.url()).pathname === '/api/counts' && counted.push(request.url()))),
    });
    expect(await page.locator('script[src$="/count.js"]').evaluate((script) => (script as HTMLScriptElement).src)).toBe(
      `${journey.stack.serverUrl}/count.js`,
    );
    // No widget on a list page: count.js alone.
    expect(await page.locator('script[src$="/embed.js"]').count()).toBe(0);

    await countLink(page, 'No comments').waitFor();
    expect(counted).toHaveLength(1);
    expect(new URL(counted[0]!).searchParams.getAll('page')).toEqual(['/2026/04/28/openai-microsoft-partnership']);

    // A reader comments on the article; the archive counts it.
    const writer = await journey.reader('writer');
    await createAccount(writer.page, newAccount('Ada'));
    await postComment(writer.page, 'First!');
    await page.reload();
    await countLink(page, '1 comment').waitFor();

    await countLink(page, '1 comment').click();
    await page.waitForURL(/\/2026\/04\/28\/openai-microsoft-partnership#comments$/);
    await page.getByText('First!', { exact: true }).waitFor();
  });
});
