import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import {
  comment,
  commentsHeading,
  commentsInOrder,
  createAccount,
  newAccount,
  postComment,
  signedInAs,
} from './helpers/widget.js';

const journey = setupJourney();

describe('a conversation between two readers', () => {
  it('shows every post, reply, edit and deletion to the other reader live, and keeps it across a reload', async () => {
    const alice = newAccount('Alice');
    const bob = newAccount('Bob');
    const first = 'Azure just lost its best sales pitch.';
    const edited = 'Azure just lost its best sales pitch, and AWS gained one.';
    const reply = 'Preferred partner still counts for something.';

    // Bob is signed out, with the article already open.
    const b = await journey.reader('Bob');
    await b.page.getByText('No comments yet.', { exact: true }).waitFor();
    const bobNeverReloaded = await markDocument(b.page);

    // Alice creates an account and comments; Bob sees it arrive, count and all.
    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, first);
    await comment(b.page, first).waitFor();
    await commentsHeading(b.page, 1).waitFor();
    await b.page.getByText('No comments yet.', { exact: true }).waitFor({ state: 'hidden' });

    // Bob creates an account and replies; Alice sees the reply nested under her comment.
    await createAccount(b.page, bob);
    await comment(b.page, first).getByRole('button', { name: 'Reply', exact: true }).click();
    await b.page.getByRole('textbox', { name: 'Reply to Alice', exact: true }).fill(reply);
    await b.page.getByRole('button', { name: 'Post reply', exact: true }).click();
    await comment(b.page.getByRole('group', { name: 'Replies to Alice' }), reply).waitFor();
    await comment(a.page.getByRole('group', { name: 'Replies to Alice' }), reply).waitFor();
    await commentsHeading(a.page, 2).waitFor();

    // Alice edits her comment; Bob sees the new text marked as edited.
    await comment(a.page, first).getByRole('button', { name: 'Edit', exact: true }).click();
    await a.page.getByRole('textbox', { name: 'Edit comment', exact: true }).fill(edited);
    await a.page.getByRole('button', { name: 'Save', exact: true }).click();
    await comment(b.page, edited).getByText('edited', { exact: true }).waitFor();
    expect(await commentsInOrder(b.page)).toEqual([expect.stringContaining(edited), expect.stringContaining(reply)]);

    // A reload keeps Alice signed in, and the thread as it was.
    await a.page.reload();
    await signedInAs(a.page, alice).waitFor();
    await comment(a.page, edited).getByText('edited', { exact: true }).waitFor();
    await comment(a.page.getByRole('group', { name: 'Replies to Alice' }), reply).waitFor();
    await commentsHeading(a.page, 2).waitFor();

    // Alice deletes her comment; it has a reply, so Bob sees a tombstone with the reply still under it.
    await comment(a.page, edited).getByRole('button', { name: 'Delete', exact: true }).click();
    const confirmAlice = a.page.getByRole('dialog', { name: 'Delete this comment?' });
    await confirmAlice.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirmAlice.waitFor({ state: 'hidden' });
    const tombstone = b.page.getByRole('article', { name: 'Deleted comment' });
    await tombstone.getByText('This comment was deleted.', { exact: true }).waitFor();
    await comment(b.page, edited).waitFor({ state: 'detached' });
    await comment(b.page.getByRole('group', { name: /^Replies to / }), reply).waitFor();
    await commentsHeading(b.page, 1).waitFor();

    // Bob deletes his reply; the tombstone has nothing left to hold, so Alice sees both go.
    await comment(b.page, reply).getByRole('button', { name: 'Delete', exact: true }).click();
    const confirmBob = b.page.getByRole('dialog', { name: 'Delete this comment?' });
    await confirmBob.getByRole('button', { name: 'Delete', exact: true }).click();
    await a.page.getByText('No comments yet.', { exact: true }).waitFor();
    expect(await commentsInOrder(a.page)).toEqual([]);
    await commentsHeading(a.page, 0).waitFor();
    await b.page.getByText('No comments yet.', { exact: true }).waitFor();
    expect(await commentsInOrder(b.page)).toEqual([]);

    // Everything Bob saw came live, on the page he opened first.
    expect(await bobNeverReloaded()).toBe(true);

    // After a reload Alice is still signed in and the tombstone stays gone.
    await a.page.reload();
    await signedInAs(a.page, alice).waitFor();
    await a.page.getByText('No comments yet.', { exact: true }).waitFor();
    expect(await commentsInOrder(a.page)).toEqual([]);
  });
});
