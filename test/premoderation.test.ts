import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import { commentId, createModerator, openAdmin, openTab, queueItem } from './helpers/moderation.js';
import { pageEventsAbout, recordSocketEvents, type SocketEvent } from './helpers/socket-events.js';
import { comment, commentsHeading, commentsInOrder, createAccount, newAccount, postComment } from './helpers/widget.js';

const journey = setupJourney();

describe('comments held for review', () => {
  it('with pre-moderation for everyone: only the author sees the comment, marked, until a moderator approves it live', async () => {
    const alice = newAccount('Alice');
    const mia = await createModerator(journey.stack, 'Mia');
    const text = 'First time commenting: the partnership terms look lopsided.';

    // Mia holds every new comment.
    const m = await openAdmin(journey, mia);
    const settings = await openTab(m.page, 'Settings');
    await settings.getByRole('group', { name: 'Pre-moderation' }).getByRole('radio', { name: 'Everyone', exact: true }).check();
    await settings.getByRole('button', { name: 'Save settings', exact: true }).click();
    await settings.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    const pending = await openTab(m.page, 'Pending');
    await pending.getByText('No comments are awaiting moderation.', { exact: true }).waitFor();
    const miaNeverReloaded = await markDocument(m.page);

    // Bob reads along, signed out; everything his browser is sent is on record.
    let bobEvents: SocketEvent[] = [];
    const b = await journey.reader('Bob', { beforeLoad: (page) => (bobEvents = recordSocketEvents(page)) });
    await b.page.getByText('No comments yet.', { exact: true }).waitFor();
    const bobNeverReloaded = await markDocument(b.page);

    // Alice posts: she sees her comment, marked as awaiting moderation.
    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    const own = await postComment(a.page, text);
    await own.getByText('Awaiting moderation', { exact: true }).waitFor();
    const id = await commentId(own);

    // It arrives in Mia's Pending tab, saying why it was held.
    const item = queueItem(pending, text);
    await item.waitFor();
    await item.getByText('Alice', { exact: true }).waitFor();
    await item.getByText('Held: Pre-moderation: everyone', { exact: true }).waitFor();

    // Nobody else sees it: not a new reader, and not Bob, whose page stays empty.
    const c = await journey.reader('Carol');
    await c.page.getByText('No comments yet.', { exact: true }).waitFor();
    expect(await commentsInOrder(c.page)).toEqual([]);
    expect(await commentsInOrder(b.page)).toEqual([]);
    expect(await b.page.getByRole('article', { name: 'Comment awaiting review' }).count()).toBe(0);

    // Mia approves it: Bob sees it arrive, Alice's mark goes, and it leaves the queue.
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await comment(b.page, text).waitFor();
    await commentsHeading(b.page, 1).waitFor();
    await comment(a.page, text).getByText('Awaiting moderation', { exact: true }).waitFor({ state: 'detached' });
    await comment(a.page, text).waitFor();
    await item.waitFor({ state: 'detached' });
    await pending.getByText('No comments are awaiting moderation.', { exact: true }).waitFor();

    // Bob's browser heard of the comment once, when it was published: never while it was held.
    expect(pageEventsAbout(bobEvents, id).map((event) => [event.type, event.comment?.status])).toEqual([
      ['comment:created', 'published'],
    ]);
    expect(await bobNeverReloaded()).toBe(true);
    expect(await miaNeverReloaded()).toBe(true);
  });

  it('holds a comment with a banned word, and the moderator sees which word', async () => {
    const alice = newAccount('Alice');
    const mia = await createModerator(journey.stack, 'Mia');
    const text = 'Honestly this deal is a Grift from start to finish.';

    const m = await openAdmin(journey, mia);
    const settings = await openTab(m.page, 'Settings');
    await settings.getByRole('textbox', { name: 'Banned words' }).fill('grift');
    await settings.getByRole('button', { name: 'Save settings', exact: true }).click();
    await settings.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    const pending = await openTab(m.page, 'Pending');
    await pending.getByText('No comments are awaiting moderation.', { exact: true }).waitFor();

    // Pre-moderation is off: a comment without the word is published at once.
    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    const fine = await postComment(a.page, 'A perfectly ordinary comment.');
    expect(await fine.getByText('Awaiting moderation', { exact: true }).count()).toBe(0);

    const held = await postComment(a.page, text);
    await held.getByText('Awaiting moderation', { exact: true }).waitFor();
    const item = queueItem(pending, text);
    await item.waitFor();
    await item.getByText('Held: Banned word: grift', { exact: true }).waitFor();
  });
});
