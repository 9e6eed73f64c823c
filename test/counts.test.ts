import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { createAccount, newAccount, postComment } from './helpers/widget.js';

const journey = setupJourney();

/** The byline's link to the thread, named by the count it shows. */
const countLink = (page: Page, name: string) => page.locator('.byline').getByRole('link', { name, exact: true });

describe('the comment count in the article byline (count.js)', () => {
  it('shows how many comments the thread has, follows the reader’s own post, and jumps to the thread', async () => {
    const counted: string[] = [];
    const { page } = await journey.reader('reader', {
      beforeLoad: (p) => p.on('request', (request) => void (new URL(request.url()).pathname === '/api/counts' && counted.push(request.url()))),
    });
    expect(await page.locator('script[src$="/count.js"]').evaluate((script) => (script as HTMLScriptElement).src)).toBe(
      `${journey.stack.serverUrl}/count.js`,
    );

    await countLink(page, 'No comments').waitFor();
    // The count and the thread are the same page: the article's canonical path.
    expect(counted).toHaveLength(1);
    expect(new URL(counted[0]!).searchParams.getAll('page')).toEqual(['/2026/04/28/openai-microsoft-partnership']);

    await createAccount(page, newAccount('Ada'));
    await postComment(page, 'First!');
    await countLink(page, '1 comment').waitFor();

    await countLink(page, '1 comment').click();
    await page.waitForURL(/#comments$/);

    const other = await journey.reader('other reader');
    await countLink(other.page, '1 comment').waitFor();
  });
});
