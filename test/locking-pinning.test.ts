import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import { createModerator, openAdmin, openTab } from './helpers/moderation.js';
import { ARTICLE_PATH } from './helpers/stack.js';
import { waitUntil } from './helpers/wait.js';
import { comment, commentBox, commentsInOrder, createAccount, newAccount, postComment, signInButton, widgetText } from './helpers/widget.js';

const journey = setupJourney();

describe('a moderator locks and pins', () => {
  it('closes comments on the article live for every reader, and opens them again', async () => {
    const alice = newAccount('Alice');
    const mia = await createModerator(journey.stack, 'Mia');
    const m = await openAdmin(journey, mia);

    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, 'Posted before the lock.');
    const b = await journey.reader('Bob');
    await comment(b.page, 'Posted before the lock.').waitFor();
    expect(await widgetText(b.page)).toContain('Sign in to comment.');
    const aliceNeverReloaded = await markDocument(a.page);
    const bobNeverReloaded = await markDocument(b.page);

    // Mia locks the article's page by its path.
    const settings = await openTab(m.page, 'Settings');
    const locks = settings.getByRole('region', { name: 'Lock comments on a page' });
    await locks.getByRole('textbox', { name: 'Page' }).fill(ARTICLE_PATH);
    await locks.getByRole('button', { name: 'Lock', exact: true }).click();
    await locks.getByRole('status').filter({ hasText: `Comments are closed on ${ARTICLE_PATH}.` }).waitFor();

    // Alice (signed in) loses the composer and Reply; Bob (signed out) is told instead of being asked to sign in.
    await a.page.getByText('Comments are closed.', { exact: true }).waitFor();
    await commentBox(a.page).waitFor({ state: 'detached' });
    expect(await a.page.getByRole('button', { name: 'Reply', exact: true }).count()).toBe(0);
    await waitUntil(
      async () => (await widgetText(b.page)).includes('Comments are closed.'),
      'Bob to see "Comments are closed."',
    );
    expect(await widgetText(b.page)).not.toContain('Sign in to comment.');
    // The thread itself stays.
    await comment(b.page, 'Posted before the lock.').waitFor();

    // Unlocking brings the composer back, and Alice can post again.
    await locks.getByRole('button', { name: `Unlock ${ARTICLE_PATH}`, exact: true }).click();
    await locks.getByRole('status').filter({ hasText: `Comments are open again on ${ARTICLE_PATH}.` }).waitFor();
    await commentBox(a.page).waitFor();
    await waitUntil(async () => (await widgetText(b.page)).includes('Sign in to comment.'), 'Bob to be asked to sign in again');
    expect(await widgetText(b.page)).not.toContain('Comments are closed.');
    await signInButton(b.page).waitFor();
    expect(await a.page.getByText('Comments are closed.', { exact: true }).count()).toBe(0);
    await postComment(a.page, 'Posted after the unlock.');
    await comment(b.page, 'Posted after the unlock.').waitFor();
    expect(await aliceNeverReloaded()).toBe(true);
    expect(await bobNeverReloaded()).toBe(true);
  });

  it('pins a comment from the thread: it moves first, marked "Pinned", for other readers too', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const mia = await createModerator(journey.stack, 'Mia');
    const early = 'Early take: this changes nothing.';
    const best = 'The best summary of the deal so far.';

    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, early);
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);
    await postComment(b.page, best);
    // Readers who are not moderators have no Pin.
    expect(await comment(b.page, early).getByRole('button', { name: 'Pin', exact: true }).count()).toBe(0);
    const aliceNeverReloaded = await markDocument(a.page);

    // Mia, signed in on the admin page, reads the article in another tab of the same browser.
    const m = await openAdmin(journey, mia);
    const article = await journey.browsing.openTab(m, journey.stack.host.articleUrl, 'Mia (article)');
    await comment(article, best).getByRole('button', { name: 'Pin', exact: true }).click();

    for (const page of [article, a.page]) {
      await comment(page, best).getByText('Pinned', { exact: true }).waitFor();
      expect(await commentsInOrder(page)).toEqual([expect.stringContaining(best), expect.stringContaining(early)]);
    }
    expect(await comment(a.page, early).getByText('Pinned', { exact: true }).count()).toBe(0);

    // Unpinning puts it back in its place.
    await comment(article, best).getByRole('button', { name: 'Unpin', exact: true }).click();
    await comment(a.page, best).getByText('Pinned', { exact: true }).waitFor({ state: 'detached' });
    expect(await commentsInOrder(a.page)).toEqual([expect.stringContaining(early), expect.stringContaining(best)]);
    expect(await aliceNeverReloaded()).toBe(true);
  });
});
