import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import { commentId, reportComment } from './helpers/moderation.js';
import { waitUntil } from './helpers/wait.js';
import {
  comment,
  commentsInOrder,
  createAccount,
  newAccount,
  postComment,
  signInButton,
  signedInAs,
  widgetText,
} from './helpers/widget.js';

const journey = setupJourney();

/** The part of the "Download my data" file this journey checks. */
interface DataExport {
  site: string;
  account: { id: string; name: string; email: string };
  comments: { id: string; source: string; status: string; page: { key: string } }[];
  reports: { commentId: string; reason: string }[];
  blocks: unknown[];
}

/** The `data-comment-id` of the comment article that has focus, looking through shadow roots. */
const focusedCommentId = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('data-comment-id') ?? null;
  });

describe("a reader's own account", () => {
  it('lists their comments with links, downloads their data, and deleting it anonymises their comments for everyone live', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const older = 'My first comment here: the deal was inevitable.';
    const newer = 'My second comment, on the pricing.';
    const reply = 'Inevitable, maybe, but not this soon.';
    const { articleUrl } = journey.stack.host;

    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    const olderId = await commentId(await postComment(a.page, older));
    const newerId = await commentId(await postComment(a.page, newer));
    const b = await journey.reader('Bob');
    await createAccount(b.page, bob);
    await comment(b.page, older).getByRole('button', { name: 'Reply', exact: true }).click();
    await b.page.getByRole('textbox', { name: 'Reply to Alice', exact: true }).fill(reply);
    await b.page.getByRole('button', { name: 'Post reply', exact: true }).click();
    const replyId = await commentId(comment(b.page.getByRole('group', { name: 'Replies to Alice' }), reply));
    const bobNeverReloaded = await markDocument(b.page);

    // Alice reports Bob's reply, so her data has a report in it too.
    const report = await reportComment(a.page, reply, 'Off-topic');
    await report.getByText('Thanks, moderators will review this comment.', { exact: true }).waitFor();
    await report.getByRole('button', { name: 'Close', exact: true }).click();

    // "My comments": newest first, each linking to its comment on the article.
    await a.page.getByRole('button', { name: 'Account', exact: true }).click();
    const panel = a.page.getByRole('dialog', { name: 'Account' });
    const mine = panel.getByRole('region', { name: 'My comments' });
    await mine.getByRole('link').first().waitFor();
    const links = await mine.getByRole('link').evaluateAll((anchors) =>
      anchors.map((anchor) => ({ text: anchor.textContent?.trim(), href: (anchor as HTMLAnchorElement).href })),
    );
    expect(links).toEqual([
      { text: newer, href: `${articleUrl}#parley-comment-${newerId}` },
      { text: older, href: `${articleUrl}#parley-comment-${olderId}` },
    ]);

    // "Download my data" saves a JSON file with the account, the comments and the report.
    const downloading = a.page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Download my data', exact: true }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('parley-data-default.json');
    const data = JSON.parse(await readFile(await download.path(), 'utf8')) as DataExport;
    expect(data.site).toBe('default');
    expect(data.account).toMatchObject({ name: 'Alice', email: alice.email });
    expect(data.comments.map(({ id, source, status, page }) => ({ id, source, status, page: page.key })).sort((x, y) => Number(x.id) - Number(y.id))).toEqual([
      { id: olderId, source: older, status: 'published', page: '/2026/04/28/openai-microsoft-partnership' },
      { id: newerId, source: newer, status: 'published', page: '/2026/04/28/openai-microsoft-partnership' },
    ]);
    expect(data.reports).toEqual([expect.objectContaining({ commentId: replyId, reason: 'off_topic' })]);
    expect(data.blocks).toEqual([]);
    expect(JSON.stringify(data)).not.toContain(alice.password);

    // Following a link closes the panel and takes Alice to that comment.
    await mine.getByRole('link', { name: older }).click();
    await panel.waitFor({ state: 'hidden' });
    await waitUntil(async () => (await focusedCommentId(a.page)) === olderId, 'the linked comment to take focus');
    expect(new URL(a.page.url()).hash).toBe(`#parley-comment-${olderId}`);

    // "Delete my account" asks first, then signs her out.
    await a.page.getByRole('button', { name: 'Account', exact: true }).click();
    await panel.getByRole('button', { name: 'Delete my account', exact: true }).click();
    const confirm = a.page.getByRole('dialog', { name: 'Delete your account?' });
    await confirm.getByRole('button', { name: 'Delete my account', exact: true }).click();
    await signInButton(a.page).waitFor();
    await signedInAs(a.page, alice).waitFor({ state: 'detached' });

    // On both pages: the comment with a reply is a nameless tombstone, the other is gone.
    for (const page of [a.page, b.page]) {
      await page.getByRole('article', { name: 'Deleted comment' }).getByText('This comment was deleted.', { exact: true }).waitFor();
      await comment(page, newer).waitFor({ state: 'detached' });
      await comment(page, older).waitFor({ state: 'detached' });
      await comment(page.getByRole('group', { name: /^Replies to / }), reply).waitFor();
      expect(await commentsInOrder(page)).toEqual([
        expect.stringContaining('This comment was deleted.'),
        expect.stringContaining(reply),
      ]);
      expect((await widgetText(page)).join(' ')).not.toContain('Alice');
    }
    expect(await bobNeverReloaded()).toBe(true);
  });
});
