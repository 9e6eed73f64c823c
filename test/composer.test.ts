import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { comment, commentBox, commentsHeading, createAccount, newAccount } from './helpers/widget.js';

const journey = setupJourney();

/** A reader who has just created an account, so the composer shows. */
async function signedInReader(name: string): Promise<Page> {
  const { page } = await journey.reader(name);
  await createAccount(page, newAccount(name));
  return page;
}

const postButton = (page: Page) => page.getByRole('button', { name: 'Post', exact: true });

describe('the comment composer', () => {
  it('disables Post while the text is empty or blank', async () => {
    const page = await signedInReader('Gina');

    await commentBox(page).waitFor();
    expect(await postButton(page).isDisabled()).toBe(true);
    await commentBox(page).fill('   ');
    expect(await postButton(page).isDisabled()).toBe(true);
    await commentBox(page).fill('Something to say');
    expect(await postButton(page).isEnabled()).toBe(true);
  });

  it('posts with Ctrl+Enter and empties the box', async () => {
    const page = await signedInReader('Hank');

    await commentBox(page).fill('Posted from the keyboard.');
    await commentBox(page).press('Control+Enter');

    await comment(page, 'Posted from the keyboard.').waitFor();
    await commentsHeading(page, 1).waitFor();
    expect(await commentBox(page).inputValue()).toBe('');
  });

  it('keeps an unsent draft across a reload, and forgets it once posted', async () => {
    const page = await signedInReader('Ivy');

    await commentBox(page).fill('Half a thought, to finish later');
    await page.reload();

    await commentBox(page).waitFor();
    expect(await commentBox(page).inputValue()).toBe('Half a thought, to finish later');
    await postButton(page).click();
    await comment(page, 'Half a thought, to finish later').waitFor();
    await page.reload();
    await comment(page, 'Half a thought, to finish later').waitFor();
    expect(await commentBox(page).inputValue()).toBe('');
  });

  it('keeps the text and explains in an alert when the server cannot be reached', async () => {
    const page = await signedInReader('Jack');
    await commentBox(page).fill('This will not get through.');

    await journey.stack.server.close();
    await postButton(page).click();

    const alert = page.getByRole('alert').filter({ hasText: "Can't reach the comments server." });
    await alert.waitFor();
    expect(await commentBox(page).inputValue()).toBe('This will not get through.');
    expect(await postButton(page).isEnabled()).toBe(true);
    expect(await comment(page, 'This will not get through.').count()).toBe(0);
  });
});
