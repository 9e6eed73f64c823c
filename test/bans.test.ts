import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import { createModerator, openAdmin, openTab, queueItem, reportComment } from './helpers/moderation.js';
import { ARTICLE_PATH } from './helpers/stack.js';
import { comment, commentBox, createAccount, newAccount, postComment, type Account } from './helpers/widget.js';

const journey = setupJourney();

const DAY_MS = 86_400_000;

/** Posts a comment through the REST API as `account`, the way any client could: sign in, then POST. */
async function postThroughApi(account: Account, body: string): Promise<{ status: number; code: string | undefined }> {
  const { serverUrl } = journey.stack;
  const signIn = await fetch(`${serverUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'default', email: account.email, password: account.password }),
  });
  expect(signIn.status).toBe(200);
  const { token } = (await signIn.json()) as { token: string };
  const post = await fetch(`${serverUrl}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ site: 'default', page: ARTICLE_PATH, body }),
  });
  const answer = (await post.json()) as { error?: { code?: string } };
  return { status: post.status, code: answer.error?.code };
}

describe('a moderator bans a reader', () => {
  it('takes their comments away live, shows them why instead of the composer, refuses their writes, and unbanning lets them post again', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const mia = await createModerator(journey.stack, 'Mia');
    const first = 'Click here for free crypto, limited offer.';
    const second = 'Seriously, free crypto, ask me how.';
    const banReason = 'Repeated spam.';

    const m = await openAdmin(journey, mia);
    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, first);
    await postComment(a.page, second);
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);
    const report = await reportComment(b.page, first, 'Spam');
    await report.getByText('Thanks, moderators will review this comment.', { exact: true }).waitFor();
    await report.getByRole('button', { name: 'Close', exact: true }).click();
    const aliceNeverReloaded = await markDocument(a.page);
    const bobNeverReloaded = await markDocument(b.page);

    // From the reported comment, Mia bans Alice for 7 days and removes her comments.
    const item = queueItem(m.page, first);
    await item.getByRole('button', { name: 'Ban Alice', exact: true }).click();
    const ban = m.page.getByRole('dialog', { name: 'Ban Alice' });
    await ban.getByRole('radio', { name: '7 days', exact: true }).check();
    await ban.getByRole('textbox', { name: 'Reason' }).fill(banReason);
    await ban.getByRole('checkbox', { name: 'Also remove their comments' }).check();
    const bannedFrom = Date.now();
    await ban.getByRole('button', { name: 'Ban', exact: true }).click();
    await ban.waitFor({ state: 'hidden' });
    const bannedBy = Date.now();

    // Alice's comments leave every reader's page, hers included, and the queue.
    for (const page of [b.page, a.page]) {
      await comment(page, first).waitFor({ state: 'detached' });
      await comment(page, second).waitFor({ state: 'detached' });
      await page.getByText('No comments yet.', { exact: true }).waitFor();
    }
    await item.waitFor({ state: 'detached' });
    await m.page.getByText('No reported comments.', { exact: true }).waitFor();

    // The ban is listed in Settings, ending 7 days from when Mia pressed "Ban".
    const settings = await openTab(m.page, 'Settings');
    const bans = settings.getByRole('list', { name: 'Banned users' });
    const entry = bans.getByRole('listitem').filter({ hasText: 'Alice' });
    await entry.getByText(banReason).waitFor();
    const endsAt = Date.parse((await entry.locator('time').getAttribute('datetime')) ?? '');
    expect(endsAt).toBeGreaterThanOrEqual(bannedFrom + 7 * DAY_MS);
    expect(endsAt).toBeLessThanOrEqual(bannedBy + 7 * DAY_MS);
    const endDate = await a.page.evaluate(
      (ms) => new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(ms)),
      endsAt,
    );
    const notice = `You can't comment on this site. Your ban ends on ${endDate}.`;

    // Alice, still on the page, tries to post: the refusal brings the notice in place of the composer.
    await commentBox(a.page).fill('Why did my comments vanish?');
    await a.page.getByRole('button', { name: 'Post', exact: true }).click();
    await a.page.getByText(notice, { exact: true }).waitFor();
    await commentBox(a.page).waitFor({ state: 'detached' });
    expect(await aliceNeverReloaded()).toBe(true);

    // After a reload it is the same: the notice, no composer.
    await a.page.reload();
    await a.page.getByText(notice, { exact: true }).waitFor();
    expect(await commentBox(a.page).count()).toBe(0);
    expect(await a.page.getByRole('button', { name: 'Post', exact: true }).count()).toBe(0);

    // Any other client with Alice's credentials is refused too.
    expect(await postThroughApi(alice, 'Posting around the widget.')).toEqual({ status: 403, code: 'user_banned' });

    // Mia lifts the ban from Alice's entry.
    await entry.getByRole('button', { name: 'Unban Alice', exact: true }).click();
    await settings.getByText('Nobody is banned.', { exact: true }).waitFor();

    // Alice can post again, and Bob sees it arrive.
    await a.page.reload();
    const back = 'Sorry, I will keep it on topic.';
    await postComment(a.page, back);
    await comment(b.page, back).waitFor();
    expect(await bobNeverReloaded()).toBe(true);
  });
});
