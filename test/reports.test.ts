import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import { commentId, createModerator, openAdmin, openTab, queueItem, reportComment } from './helpers/moderation.js';
import { comment, commentsHeading, createAccount, newAccount, postComment } from './helpers/widget.js';

const journey = setupJourney();

describe('a reader reports a comment', () => {
  it('reaches every moderator live; removing it takes it off every page live, logs it, and restoring brings it back', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const mia = await createModerator(journey.stack, 'Mia');
    const noah = await createModerator(journey.stack, 'Noah');
    const spam = 'Cheap watches at watches.example, best prices on the web!';
    const details = 'The same link is under every article today.';
    const reason = 'Advertising, against the house rules.';

    // Two moderators have the admin page open, signed in, before anything is reported.
    const m = await openAdmin(journey, mia);
    const n = await openAdmin(journey, noah);
    for (const page of [m.page, n.page]) await page.getByText('No reported comments.', { exact: true }).waitFor();
    const miaNeverReloaded = await markDocument(m.page);
    const noahNeverReloaded = await markDocument(n.page);

    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    const posted = await postComment(a.page, spam);
    const id = await commentId(posted);
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);
    await comment(b.page, spam).waitFor();
    const aliceNeverReloaded = await markDocument(a.page);
    const bobNeverReloaded = await markDocument(b.page);

    // Bob reports it as spam, with details, and is thanked.
    const dialog = await reportComment(b.page, spam, 'Spam', details);
    await dialog.getByRole('status').filter({ hasText: 'Thanks, moderators will review this comment.' }).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Both moderators see it arrive: body, author, page link, the reason with its count, the details.
    for (const page of [m.page, n.page]) {
      const item = queueItem(page.getByRole('tabpanel', { name: 'Reported' }), spam);
      await item.waitFor();
      await item.getByText('Alice', { exact: true }).waitFor();
      expect(await item.getByRole('link').getAttribute('href')).toBe(`${journey.stack.host.articleUrl}#parley-comment-${id}`);
      expect(await item.getByRole('list', { name: 'Reports' }).getByRole('listitem').allInnerTexts()).toEqual(['Spam × 1']);
      expect(await item.getByRole('list', { name: 'Details given' }).innerText()).toContain(details);
    }

    // Mia removes it, giving a reason.
    await queueItem(m.page, spam).getByRole('button', { name: 'Remove', exact: true }).click();
    const remove = m.page.getByRole('dialog', { name: 'Remove comment' });
    await remove.getByRole('textbox', { name: 'Reason' }).fill(reason);
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();
    await remove.waitFor({ state: 'hidden' });

    // Both readers see it go; it had no replies, so nothing stands in its place.
    for (const page of [a.page, b.page]) {
      await comment(page, spam).waitFor({ state: 'detached' });
      await page.getByText('No comments yet.', { exact: true }).waitFor();
      await commentsHeading(page, 0).waitFor();
    }
    // It leaves Mia's queue, and Noah's, where nobody touched it.
    for (const page of [m.page, n.page]) {
      await queueItem(page, spam).waitFor({ state: 'detached' });
      await page.getByText('No reported comments.', { exact: true }).waitFor();
    }

    // The audit log says who removed what, and why.
    const audit = await openTab(m.page, 'Audit log');
    const entry = audit.getByRole('row').filter({ hasText: reason });
    await entry.waitFor();
    const [who, what, onWhat, why] = await entry.getByRole('cell').allInnerTexts();
    expect({ who, what, why }).toEqual({ who: 'Mia', what: 'Removed', why: reason });
    expect(onWhat).toContain('Cheap watches at watches.example');

    // "Removed" lists it with the reason; restoring brings it back on both readers' pages.
    const removed = await openTab(m.page, 'Removed');
    const removedItem = queueItem(removed, spam);
    await removedItem.getByText(`Removed: ${reason}`, { exact: true }).waitFor();
    await removedItem.getByRole('button', { name: 'Restore', exact: true }).click();
    for (const page of [a.page, b.page]) {
      await comment(page, spam).waitFor();
      await commentsHeading(page, 1).waitFor();
    }
    await removed.getByText('No removed comments.', { exact: true }).waitFor();

    // All of it arrived live, on the pages opened at the start.
    for (const unchanged of [miaNeverReloaded, noahNeverReloaded, aliceNeverReloaded, bobNeverReloaded]) {
      expect(await unchanged()).toBe(true);
    }
  });

  it('refuses a second report of the same comment by the same reader, saying why', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const text = 'Fusion power is ten years away, as always.';

    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, text);
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);

    const first = await reportComment(b.page, text, 'Off-topic');
    await first.getByText('Thanks, moderators will review this comment.', { exact: true }).waitFor();
    await first.getByRole('button', { name: 'Close', exact: true }).click();

    const second = await reportComment(b.page, text, 'Harassment or hate');
    const refusal = second.getByRole('alert');
    await refusal.waitFor();
    expect((await refusal.innerText()).trim()).toBe('You already reported this comment.');
    expect(await second.getByText('Thanks, moderators will review this comment.').count()).toBe(0);
  });
  it('hides a comment from readers, live, once as many readers as the threshold say report it', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const carol = newAccount('Carol');
    const mia = await createModerator(journey.stack, 'Mia');
    const text = 'Everyone who disagrees with me is an idiot.';

    // Mia lowers the threshold from 3 to 2 readers.
    const m = await openAdmin(journey, mia);
    const settings = await openTab(m.page, 'Settings');
    await settings.getByRole('spinbutton', { name: 'Report threshold' }).fill('2');
    await settings.getByRole('button', { name: 'Save settings', exact: true }).click();
    await settings.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    const reported = await openTab(m.page, 'Reported');

    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, text);
    const d = await journey.reader('Dave');
    await comment(d.page, text).waitFor();
    const daveNeverReloaded = await markDocument(d.page);

    // One report: Mia sees it, not held; Dave still sees the comment.
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);
    await (await reportComment(b.page, text, 'Harassment or hate')).getByText('Thanks, moderators will review this comment.').waitFor();
    const item = queueItem(reported, text);
    await item.getByRole('list', { name: 'Reports' }).getByText('Harassment or hate × 1', { exact: true }).waitFor();
    expect(await item.getByText(/^Held:/).count()).toBe(0);
    await comment(d.page, text).waitFor();

    // A second reader's report reaches the threshold: the comment leaves the readers' pages, and Mia sees why it is held.
    const c = await journey.reader('Carol');
    await createAccount(c.page, carol);
    // Carol's own copy goes too. Her report dialog lives inside that comment, so it goes without thanking her.
    await reportComment(c.page, text, 'Harassment or hate');
    for (const page of [d.page, c.page]) await comment(page, text).waitFor({ state: 'detached' });
    await d.page.getByText('No comments yet.', { exact: true }).waitFor();
    await item.getByRole('list', { name: 'Reports' }).getByText('Harassment or hate × 2', { exact: true }).waitFor();
    await item.getByText('Held: Reported by 2 readers', { exact: true }).waitFor();

    // Approving clears the reports and shows it again.
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await comment(d.page, text).waitFor();
    await reported.getByText('No reported comments.', { exact: true }).waitFor();
    expect(await daveNeverReloaded()).toBe(true);
  });

  it('leaves "Removed by a moderator." in place of a removed comment that has replies', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const mia = await createModerator(journey.stack, 'Mia');
    const text = 'This thread is rigged, follow my channel instead.';
    const reply = 'Please stay on topic.';

    const m = await openAdmin(journey, mia);
    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, text);
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);
    await comment(b.page, text).getByRole('button', { name: 'Reply', exact: true }).click();
    await b.page.getByRole('textbox', { name: 'Reply to Alice', exact: true }).fill(reply);
    await b.page.getByRole('button', { name: 'Post reply', exact: true }).click();
    await comment(b.page.getByRole('group', { name: 'Replies to Alice' }), reply).waitFor();
    await (await reportComment(b.page, text, 'Spam')).getByText('Thanks, moderators will review this comment.').waitFor();

    await queueItem(m.page, text).getByRole('button', { name: 'Remove', exact: true }).click();
    const remove = m.page.getByRole('dialog', { name: 'Remove comment' });
    await remove.getByRole('textbox', { name: 'Reason' }).fill('Self-promotion.');
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();

    for (const page of [a.page, b.page]) {
      await page.getByRole('article', { name: 'Removed comment' }).getByText('Removed by a moderator.', { exact: true }).waitFor();
      await comment(page, text).waitFor({ state: 'detached' });
      await comment(page.getByRole('group', { name: /^Replies to / }), reply).waitFor();
    }
  });
});
