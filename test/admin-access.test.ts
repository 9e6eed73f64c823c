import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { createAccount, newAccount, signIn, signInButton, widgetText } from './helpers/widget.js';

const journey = setupJourney();

/** Everything the admin element shows. */
const adminText = (page: Page) => widgetText(page, 'parley-admin');

describe('the admin page for someone who is not a moderator', () => {
  it('asks a signed-out visitor to sign in, and shows a commenter only that they are not a moderator', async () => {
    const carol = newAccount('Carol');

    // Carol has an account from commenting on the article.
    const reader = await journey.reader('Carol');
    await createAccount(reader.page, carol);

    // A visitor who is not signed in is asked to, and sees nothing of the admin.
    const visitor = await journey.adminPage('visitor');
    await signInButton(visitor.page).waitFor();
    expect(await adminText(visitor.page)).toEqual(['Sign in to moderate this site.', 'Sign in']);

    // Signing in there as Carol: she is told she is not a moderator, and that is all (besides signing out).
    await signIn(visitor.page, carol);
    await visitor.page.getByText('You are not a moderator of this site.', { exact: true }).waitFor();
    expect(await adminText(visitor.page)).toEqual(['You are not a moderator of this site.', 'Sign out']);
    expect(await visitor.page.getByRole('tablist').count()).toBe(0);
    expect(await visitor.page.getByRole('tab').count()).toBe(0);
    expect(await visitor.page.getByRole('tabpanel').count()).toBe(0);

    // The same in the browser she commented from, where she is signed in already.
    const admin = await journey.browsing.openTab(reader, journey.stack.host.adminUrl, 'Carol (admin page)');
    await admin.getByText('You are not a moderator of this site.', { exact: true }).waitFor();
    expect(await adminText(admin)).toEqual(['You are not a moderator of this site.', 'Sign out']);
    expect(await admin.getByRole('tab').count()).toBe(0);
  });
});
