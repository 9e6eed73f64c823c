import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { DataExport, Me } from '@parley/protocol';
import type { ParleyUserUnblockedEvent } from '../events.js';
import {
  buttonNamed,
  byRole,
  deepActiveElement,
  deepQueryAll,
  dialogNamed,
  isShown,
  links,
  press,
  readText,
  textboxNamed,
  typeInto,
} from '../test-support/dom.js';
import { FakeApi, FakeRealtime } from '../test-support/fake-api.js';
import { rateLimitedError } from '../test-support/rate-limited.js';
import { articleLabels, renderWidget, settled } from '../test-support/widget.js';
import type { ParleyAccount } from './parley-account.js';

describe('<parley-account>', () => {
  let api: FakeApi;
  let ada: Me;
  let grace: Me;
  let token: string;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
    grace = api.addUser({ name: 'Grace', email: 'grace@example.com' });
    token = api.seedSession(ada);
  });

  /** The signed-in widget with the Account dialog opened from the Account button. */
  async function openAccount() {
    const widget = await renderWidget(api, new FakeRealtime());
    const account = widget.shadowRoot!.querySelector<ParleyAccount>('parley-account')!;
    const opener = buttonNamed(widget, 'Account')!;
    opener.click();
    await waitUntil(() => dialogNamed(account, 'Account') !== null, 'the Account dialog should open');
    await waitUntil(() => byRole(account, 'status').length === 0, 'the comments should load');
    await settled(widget);
    return { widget, account, opener, dialog: dialogNamed(account, 'Account')! };
  }

  const headings = (root: Element) => deepQueryAll(root, 'h2, h3').filter(isShown).map(readText);

  it('puts an Account button next to Sign out', async () => {
    const widget = await renderWidget(api, new FakeRealtime());

    const line = widget.shadowRoot!.querySelector('.account')!;
    expect(deepQueryAll(line, 'button').filter(isShown).map(readText)).to.deep.equal(['Account', 'Sign out']);
  });

  it('opens a dialog named "Account" with My comments, Blocked users, Change password and the two account buttons', async () => {
    const { dialog } = await openAccount();

    expect(headings(dialog)).to.deep.equal(['Account', 'My comments', 'Blocked users', 'Change password']);
    expect(buttonNamed(dialog, 'Download my data')).to.exist;
    expect(buttonNamed(dialog, 'Delete my account')).to.exist;
    expect(readText(dialog)).to.include("You haven't commented yet.");
    expect(readText(dialog)).to.include("You haven't blocked anyone.");
  });

  it('lists the reader’s comments newest first, each linking to its permalink, with "Load more"', async () => {
    api.describePage('/p', { url: 'https://blog.example/p', title: 'A post' });
    for (let n = 1; n <= 21; n++) api.addComment({ author: n === 2 ? grace : ada, body: `Mine number ${n}` });
    api.addComment({ author: ada, body: 'On a path-only page', page: '/other' });
    const { widget, dialog } = await openAccount();

    const shown = links(dialog);
    expect(shown).to.have.length(20);
    expect(shown[0]).to.deep.equal({ name: 'On a path-only page', href: '/other#parley-comment-22' });
    expect(shown[1]).to.deep.equal({ name: 'Mine number 21', href: 'https://blog.example/p#parley-comment-21' });
    expect(readText(dialog.querySelector('.mine li:nth-child(2) .meta'))).to.equal('A post · 1 hour ago');
    expect(api.callsTo('listMyComments').map((call) => call.query)).to.deep.equal([{ site: 'default' }]);

    buttonNamed(dialog, 'Load more')!.click();
    await waitUntil(() => links(dialog).length === 21, 'the next page should be added');
    await settled(widget);
    expect(links(dialog).at(-1)?.name).to.equal('Mine number 1');
    expect(links(dialog).map((link) => link.name)).not.to.include('Mine number 2');
    expect(buttonNamed(dialog, 'Load more')).to.equal(null);
  });

  it('marks held and removed comments in the list', async () => {
    api.addComment({ author: ada, body: 'Held', status: 'pending' });
    api.addComment({ author: ada, body: 'Gone', status: 'removed' });
    const { dialog } = await openAccount();

    expect(links(dialog).map((link) => link.name)).to.deep.equal(['Removed by a moderator.', 'Held']);
    expect(readText(dialog.querySelector('.mine li:nth-child(2) .pending'))).to.equal('Awaiting moderation');
  });

  it('closes when the reader follows a link to a comment', async () => {
    api.addComment({ author: ada, body: 'Here' });
    const { widget, dialog } = await openAccount();
    const link = deepQueryAll<HTMLAnchorElement>(dialog, 'a[href]')[0]!;
    link.addEventListener('click', (event) => event.preventDefault());

    link.click();
    await settled(widget);

    expect(dialog.open).to.equal(false);
  });

  it('unblocks a user with "Unblock NAME" and fires parley-user-unblocked', async () => {
    const carol = api.addUser({ name: 'Carol', email: 'carol@example.com' });
    await api.call('blockUser', { token, body: { site: 'default', userId: grace.id } });
    await api.call('blockUser', { token, body: { site: 'default', userId: carol.id } });
    const { widget, dialog } = await openAccount();
    expect(deepQueryAll(dialog, '.blocked button').map(readText)).to.deep.equal(['Unblock Carol', 'Unblock Grace']);

    const unblocked = oneEvent<ParleyUserUnblockedEvent>(widget, 'parley-user-unblocked');
    buttonNamed(dialog, 'Unblock Carol')!.click();
    expect((await unblocked).user).to.deep.equal({ id: carol.id, name: 'Carol' });
    await settled(widget);

    expect(api.callsTo('unblockUser').map((call) => call.params.userId)).to.deep.equal([carol.id]);
    expect(deepQueryAll(dialog, '.blocked button').map(readText)).to.deep.equal(['Unblock Grace']);
    await waitUntil(() => deepActiveElement() === buttonNamed(dialog, 'Unblock Grace'), 'focus should move to the next one');

    buttonNamed(dialog, 'Unblock Grace')!.click();
    await waitUntil(() => readText(dialog).includes("You haven't blocked anyone."), 'the empty state should show');
    await waitUntil(() => deepActiveElement()?.id === 'blocked-title', 'focus should go to the section');
  });

  it('shows a user the reader unblocks again in the thread', async () => {
    await api.call('blockUser', { token, body: { site: 'default', userId: grace.id } });
    api.addComment({ author: grace, body: 'Hello from Grace' });
    const { widget, dialog } = await openAccount();
    expect(buttonNamed(widget.shadowRoot!.querySelector('parley-thread')!, 'Show')).to.exist;

    buttonNamed(dialog, 'Unblock Grace')!.click();

    await waitUntil(() => deepQueryAll(widget, 'article .body').map(readText).includes('Hello from Grace'), 'the comment should show');
  });

  it('downloads the reader’s data as parley-data-SITE.json', async () => {
    api.addComment({ author: ada, body: 'Exported' });
    const { widget, account, dialog } = await openAccount();
    const blobs: Blob[] = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      blobs.push(blob as Blob);
      return original.call(URL, blob);
    };
    const downloads: HTMLAnchorElement[] = [];
    const capture = (event: Event) => {
      const target = event.target as HTMLElement;
      if (target instanceof HTMLAnchorElement && target.hasAttribute('download')) {
        event.preventDefault();
        downloads.push(target);
      }
    };
    account.shadowRoot!.addEventListener('click', capture, true);

    try {
      buttonNamed(dialog, 'Download my data')!.click();
      await waitUntil(() => downloads.length === 1, 'a download should start');
    } finally {
      URL.createObjectURL = original;
      account.shadowRoot!.removeEventListener('click', capture, true);
    }
    await settled(widget);

    expect(downloads[0]!.download).to.equal('parley-data-default.json');
    expect(downloads[0]!.isConnected, 'the link is gone again').to.equal(false);
    expect(blobs[0]!.type).to.equal('application/json');
    const data = JSON.parse(await blobs[0]!.text()) as DataExport;
    expect(data.account).to.include({ name: 'Ada', email: 'ada@example.com' });
    expect(data.comments.map((c) => c.source)).to.deep.equal(['Exported']);
    expect(api.callsTo('exportMyData').map((call) => call.query)).to.deep.equal([{ site: 'default' }]);
  });

  describe('changing the password', () => {
    async function fillIn(dialog: HTMLDialogElement, current: string, next: string) {
      typeInto(textboxNamed(dialog, 'Current password')!, current);
      typeInto(textboxNamed(dialog, 'New password')!, next);
    }

    it('has password boxes "Current password" and "New password" and a "Change password" button', async () => {
      const { dialog } = await openAccount();

      const current = textboxNamed(dialog, 'Current password') as HTMLInputElement;
      const next = textboxNamed(dialog, 'New password') as HTMLInputElement;
      expect([current.type, current.autocomplete]).to.deep.equal(['password', 'current-password']);
      expect([next.type, next.autocomplete]).to.deep.equal(['password', 'new-password']);
      expect(buttonNamed(dialog, 'Change password')?.type).to.equal('submit');
    });

    it('changes it, says "Password changed.", empties the boxes and keeps the reader signed in', async () => {
      const otherDevice = (await api.call('signIn', { body: { site: 'default', email: 'ada@example.com', password: 'correct horse' } })).token;
      const { widget, account, dialog } = await openAccount();
      await fillIn(dialog, 'correct horse', 'battery staple');

      buttonNamed(dialog, 'Change password')!.click();

      await waitUntil(() => byRole(account, 'status').length === 1, 'the confirmation should show');
      await settled(widget);
      expect(readText(byRole(account, 'status')[0])).to.equal('Password changed.');
      expect(byRole(account, 'alert')).to.be.empty;
      expect(api.callsTo('changePassword').map((call) => call.body)).to.deep.equal([
        { currentPassword: 'correct horse', newPassword: 'battery staple' },
      ]);
      expect(textboxNamed(dialog, 'Current password')!.value).to.equal('');
      expect(textboxNamed(dialog, 'New password')!.value).to.equal('');
      expect(buttonNamed(widget, 'Account'), 'still signed in').to.exist;
      const session = await api.call('signIn', { body: { site: 'default', email: 'ada@example.com', password: 'battery staple' } });
      expect(session.user.id).to.equal(ada.id);
      let otherDeviceSignedOut = false;
      await api.call('getMe', { token: otherDevice, query: { site: 'default' } }).catch(() => (otherDeviceSignedOut = true));
      expect(otherDeviceSignedOut, 'the fake, like the server, ended the other session').to.equal(true);
    });

    it('says so when the current password is wrong, and keeps what was typed', async () => {
      const { widget, account, dialog } = await openAccount();
      await fillIn(dialog, 'not my password', 'battery staple');

      buttonNamed(dialog, 'Change password')!.click();

      await waitUntil(() => byRole(account, 'alert').length === 1, 'the error should show');
      await settled(widget);
      expect(readText(byRole(account, 'alert')[0])).to.equal('That is not your current password.');
      expect(byRole(account, 'status')).to.be.empty;
      expect(textboxNamed(dialog, 'New password')!.value).to.equal('battery staple');
      expect(buttonNamed(widget, 'Account'), 'a wrong password does not sign the reader out').to.exist;
    });

    it('asks for both passwords, and a long enough new one, before asking the server', async () => {
      const { widget, account, dialog } = await openAccount();

      buttonNamed(dialog, 'Change password')!.click();
      await settled(widget);
      expect(byRole(account, 'alert').map(readText)).to.deep.equal(['Enter your current password.']);

      await fillIn(dialog, 'correct horse', 'short');
      buttonNamed(dialog, 'Change password')!.click();
      await settled(widget);
      expect(byRole(account, 'alert').map(readText)).to.deep.equal(['New password must be at least 8 characters.']);
      expect(api.callsTo('changePassword')).to.be.empty;

      typeInto(textboxNamed(dialog, 'New password')!, 'shorter');
      await settled(widget);
      expect(byRole(account, 'alert'), 'typing clears the error').to.be.empty;
    });

    it('says when to try again after too many wrong passwords', async () => {
      const { widget, account, dialog } = await openAccount();
      await fillIn(dialog, 'guess', 'battery staple');
      api.failNext('changePassword', await rateLimitedError('Too many failed sign-ins for this account. Try again in 15 minutes.', 900, 'changePassword'));

      buttonNamed(dialog, 'Change password')!.click();

      await waitUntil(() => byRole(account, 'alert').length === 1, 'the error should show');
      await settled(widget);
      expect(readText(byRole(account, 'alert')[0])).to.equal('Too many failed sign-ins for this account. Try again in 15 minutes.');
    });

    it('passes an accessibility audit with the confirmation shown', async () => {
      const { widget, account, dialog } = await openAccount();
      await fillIn(dialog, 'correct horse', 'battery staple');
      buttonNamed(dialog, 'Change password')!.click();
      await waitUntil(() => byRole(account, 'status').length === 1, 'the confirmation should show');
      await settled(widget);

      await expect(account).to.be.accessible();
    });
  });

  describe('deleting the account', () => {
    async function askDelete() {
      const opened = await openAccount();
      const deleteButton = buttonNamed(opened.dialog, 'Delete my account')!;
      deleteButton.click();
      await settled(opened.widget);
      const confirm = dialogNamed(opened.account, 'Delete your account?')!;
      return { ...opened, deleteButton, confirm };
    }

    it('asks in a dialog named "Delete your account?", which hides the panel behind it', async () => {
      const { confirm, account } = await askDelete();

      expect(confirm).to.exist;
      expect(readText(confirm.querySelector('p'))).to.include('This can\'t be undone.');
      expect(buttonNamed(account, 'Delete my account'), 'only the confirming button is shown').to.equal(buttonNamed(confirm, 'Delete my account'));
      expect(deepActiveElement() === buttonNamed(confirm, 'Cancel'), 'Cancel has focus').to.equal(true);
    });

    it('keeps the account on Cancel, back in the panel with focus on "Delete my account"', async () => {
      const { widget, confirm, dialog, deleteButton } = await askDelete();

      buttonNamed(confirm, 'Cancel')!.click();
      await settled(widget);

      expect(confirm.open).to.equal(false);
      expect(dialog.open).to.equal(true);
      await waitUntil(() => deepActiveElement() === deleteButton, 'focus should go back to Delete my account');
      expect(api.callsTo('deleteMyAccount')).to.be.empty;
    });

    it('closes only the confirmation on Escape', async () => {
      const { widget, account, dialog } = await openAccount();
      const deleteButton = buttonNamed(dialog, 'Delete my account')!;
      // With the keyboard, as a reader would: Chromium closes dialogs opened
      // without a user action in between all at once on Escape.
      deleteButton.focus();
      await press('Enter');
      await settled(widget);
      const confirm = dialogNamed(account, 'Delete your account?')!;
      expect(confirm).to.exist;

      await press('Escape');
      await settled(widget);

      expect(confirm.open).to.equal(false);
      expect(dialog.open, 'the panel stays').to.equal(true);
      await waitUntil(() => deepActiveElement() === deleteButton, 'focus should go back to Delete my account');
    });

    it('deletes it, fires parley-account-deleted, signs out and shows the reader’s comments as deleted', async () => {
      api.addComment({ author: ada, body: 'Soon anonymous' });
      api.addComment({ author: grace, body: 'Stays' });
      const { widget, confirm } = await askDelete();
      expect(articleLabels(widget)).to.deep.equal(['Comment by Ada', 'Comment by Grace']);

      const deleted = oneEvent(widget, 'parley-account-deleted');
      buttonNamed(confirm, 'Delete my account')!.click();
      await deleted;

      await waitUntil(() => articleLabels(widget)[0] === 'Deleted comment', 'the thread should reload');
      await settled(widget);
      expect(api.callsTo('deleteMyAccount').map((call) => call.token)).to.deep.equal([token]);
      expect(localStorage.getItem(`parley:session:${api.server}`)).to.equal(null);
      expect(buttonNamed(widget, 'Account')).to.equal(null);
      expect(readText(widget.shadowRoot!.querySelector('.account p'))).to.equal('Sign in to report, block, or manage your own posts.');
      expect(deepQueryAll(widget, 'article .notice').map(readText)).to.deep.equal(['This comment was deleted.']);
      expect(readText(widget.shadowRoot!.querySelector('parley-thread'))).not.to.include('Soon anonymous');
      await waitUntil(() => readText(deepActiveElement()) === 'Sign in', 'the Sign in button should take focus');
    });
  });

  it('closes on Escape, and focus goes back to Account', async () => {
    const { widget, dialog, opener } = await openAccount();

    await press('Escape');
    await settled(widget);

    expect(dialog.open).to.equal(false);
    await waitUntil(() => deepActiveElement() === opener, 'focus should go back to Account');
  });

  it('passes an accessibility audit with the panel and the confirmation open', async () => {
    api.addComment({ author: ada, body: 'Mine' });
    await api.call('blockUser', { token, body: { site: 'default', userId: grace.id } });
    const { widget, account, dialog } = await openAccount();

    await expect(account).to.be.accessible();

    buttonNamed(dialog, 'Delete my account')!.click();
    await settled(widget);
    await expect(account).to.be.accessible();
  });
});
