import { describe, expect, it } from 'vitest';
import { markDocument } from './helpers/browser.js';
import { setupJourney } from './helpers/journey.js';
import { waitUntil } from './helpers/wait.js';
import { comment, commentsHeading, commentsInOrder, createAccount, newAccount, postComment } from './helpers/widget.js';

const journey = setupJourney();

describe('a reader whose connection drops', () => {
  it('says the connection is lost, then catches up on everything missed, each once and in order', async () => {
    const alice = newAccount('Alice');
    const { server } = journey.stack;

    const b = await journey.reader('Bob');
    await b.page.getByText('No comments yet.', { exact: true }).waitFor();
    const bobNeverReloaded = await markDocument(b.page);
    const a = await journey.reader('Alice');
    await createAccount(a.page, alice);
    await postComment(a.page, 'One: before the outage.');
    // Arriving live proves Bob's socket had joined the page before it goes away.
    await comment(b.page, 'One: before the outage.').waitFor();

    // Offline emulation in Chromium fires the page's `offline` event, on which
    // the widget's socket client closes its WebSocket, and fails new requests,
    // so Bob's socket really drops and cannot come back until the network
    // returns; waiting until the server has only Alice's socket left proves
    // nothing Alice does next can reach Bob live.
    await b.context.setOffline(true);
    const lost = b.page.getByRole('status').filter({ hasText: 'Connection lost. New comments will appear when it returns.' });
    await lost.waitFor();
    await waitUntil(async () => (await server.io.fetchSockets()).length === 1, "the server to drop Bob's socket");

    await postComment(a.page, 'Two: during the outage.');
    await postComment(a.page, 'Three: also during the outage.');
    await comment(a.page, 'One: before the outage.').getByRole('button', { name: 'Edit', exact: true }).click();
    await a.page.getByRole('textbox', { name: 'Edit comment', exact: true }).fill('One: edited during the outage.');
    await a.page.getByRole('button', { name: 'Save', exact: true }).click();
    await comment(a.page, 'One: edited during the outage.').getByText('edited', { exact: true }).waitFor();
    expect(await commentsInOrder(b.page)).toEqual([expect.stringContaining('One: before the outage.')]);
    expect((await server.io.fetchSockets()).length, 'Bob reconnected while offline').toBe(1);

    // From here on Bob must catch up from the events the socket replays on
    // rejoining, not by fetching the thread again.
    const threadFetches: string[] = [];
    b.page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/comments' && request.method() === 'GET') threadFetches.push(request.url());
    });
    await b.context.setOffline(false);

    await comment(b.page, 'Three: also during the outage.').waitFor({ timeout: 20_000 });
    await comment(b.page, 'One: edited during the outage.').getByText('edited', { exact: true }).waitFor();
    await lost.waitFor({ state: 'hidden' });
    await commentsHeading(b.page, 3).waitFor();
    const shown = await commentsInOrder(b.page);
    expect(shown).toHaveLength(3);
    expect(shown[0]).toContain('One: edited during the outage.');
    expect(shown[1]).toContain('Two: during the outage.');
    expect(shown[2]).toContain('Three: also during the outage.');
    expect(threadFetches).toEqual([]);
    expect(await bobNeverReloaded()).toBe(true);
  });
});
