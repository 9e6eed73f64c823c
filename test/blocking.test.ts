import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import { waitUntil } from './helpers/wait.js';
import { comment, createAccount, newAccount, postComment } from './helpers/widget.js';

const journey = setupJourney();

/** Alice's comments as a reader who blocked her sees them: collapsed to one line. */
const collapsed = (page: Page) =>
  page.getByRole('article', { name: 'Comment by Alice' }).filter({ hasText: 'You blocked Alice.' });

describe('a reader blocks another', () => {
  it("collapses the blocked user's comments, old and new, for the blocker only, until unblocked in the account panel", async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const carol = newAccount('Carol');
    const first = 'You are all wrong about the cloud contract.';
    const second = 'And another thing about the cloud contract.';
    const later = 'Still here, still right about the contract.';

    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, first);
    await postComment(a.page, second);
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);
    await postComment(b.page, 'Bob has a calmer take.');
    const c = await journey.reader('Carol');
    await createAccount(c.page, carol);

    // Bob blocks Alice from her first comment.
    await comment(b.page, first).getByRole('button', { name: 'Block', exact: true }).click();
    const confirm = b.page.getByRole('dialog', { name: 'Block Alice?' });
    await confirm.getByRole('button', { name: 'Block', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });

    // Both her comments collapse for Bob, bodies gone; his own stays.
    await expectCollapsed(b.page, 2);
    for (const text of [first, second]) expect(await b.page.getByText(text).count()).toBe(0);
    await comment(b.page, 'Bob has a calmer take.').waitFor();

    // The block is kept: after a reload they are still collapsed.
    await b.page.reload();
    await comment(b.page, 'Bob has a calmer take.').waitFor();
    await expectCollapsed(b.page, 2);
    const bobNeverReloaded = await markDocument(b.page);

    // Alice posts again: it arrives collapsed for Bob, and in full for Carol, who blocked nobody.
    await postComment(a.page, later);
    await expectCollapsed(b.page, 3);
    expect(await b.page.getByText(later).count()).toBe(0);
    for (const text of [first, second, later]) await comment(c.page, text).waitFor();
    expect(await c.page.getByText('You blocked', { exact: false }).count()).toBe(0);
    // Alice is not told: her own page shows her comments as before.
    for (const text of [first, second, later]) await comment(a.page, text).waitFor();

    // "Show" reveals that one comment only.
    await collapsed(b.page).nth(1).getByRole('button', { name: 'Show', exact: true }).click();
    await comment(b.page, second).waitFor();
    await expectCollapsed(b.page, 2);

    // Bob's account panel lists Alice under "Blocked users"; unblocking restores all her comments.
    await b.page.getByRole('button', { name: 'Account', exact: true }).click();
    const account = b.page.getByRole('dialog', { name: 'Account' });
    const blocked = account.getByRole('region', { name: 'Blocked users' });
    await blocked.getByText('Alice', { exact: true }).waitFor();
    await blocked.getByRole('button', { name: 'Unblock Alice', exact: true }).click();
    await blocked.getByText("You haven't blocked anyone.", { exact: true }).waitFor();
    await account.getByRole('button', { name: 'Close', exact: true }).click();
    await account.waitFor({ state: 'hidden' });
    for (const text of [first, second, later]) await comment(b.page, text).waitFor();
    await expectCollapsed(b.page, 0);
    expect(await bobNeverReloaded()).toBe(true);
  });
});

/** Waits until exactly `count` of Alice's comments are collapsed on `page`. */
async function expectCollapsed(page: Page, count: number): Promise<void> {
  await waitUntil(async () => (await collapsed(page).count()) === count, `${count} of Alice's comments to show collapsed`);
}
