import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { accessibleName, buttonNamed, byRole, deepActiveElement, deepQueryAll, dialogNamed, isShown, press, readText, textboxNamed, typeInto } from '../test-support/dom.js';
import { FakeModerationApi, FakeModerationRealtime } from '../test-support/fake-moderation.js';
import { openTab, renderAdmin, renderedText, shownArticles, shownPanel, tabNames } from '../test-support/admin.js';
import { settled } from '../test-support/widget.js';
import type { ParleyModeratedEvent, ParleyUserBannedEvent } from './admin-events.js';
import type { ParleyAdmin } from './parley-admin.js';
import { serverError } from '../test-support/fake-api.js';

/** What a person meets, top to bottom: paragraphs, headings, buttons and links. */
function shownTexts(el: Element): string[] {
  return deepQueryAll(el, 'p, h2, h3, button, a').filter(isShown).map(renderedText).filter(Boolean);
}

const selectedTab = (el: ParleyAdmin) => byRole(el, 'tab').find((tab) => tab.getAttribute('aria-selected') === 'true');

describe('<parley-admin>', () => {
  let api: FakeModerationApi;
  let realtime: FakeModerationRealtime;
  let mod: Me;
  let grace: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeModerationApi();
    realtime = new FakeModerationRealtime();
    mod = api.addUser({ name: 'Mo', moderatorOf: ['default'] });
    grace = api.addUser({ name: 'Grace' });
  });

  describe('signed out', () => {
    it('shows only the sign-in prompt "Sign in to moderate this site."', async () => {
      const el = await renderAdmin(api, realtime);

      expect(shownTexts(el)).to.deep.equal(['Sign in to moderate this site.', 'Sign in']);
      expect(byRole(el, 'tablist')).to.be.empty;
      expect(api.callsTo('listModerationQueue')).to.be.empty;
      expect(realtime.subscribed).to.equal(false);
    });

    it('opens the moderator\'s queues after signing in from the prompt', async () => {
      api.addItem('reported', { author: grace, body: 'Buy now' });
      const el = await renderAdmin(api, realtime);

      buttonNamed(el, 'Sign in')!.click();
      await settled(el);
      const dialog = dialogNamed(el, 'Sign in')!;
      typeInto(textboxNamed(dialog, 'Email')!, 'mo@example.com');
      typeInto(textboxNamed(dialog, 'Password')!, 'correct horse');
      buttonNamed(dialog, 'Sign in')!.click();

      await waitUntil(() => shownArticles(el).length === 1, 'the reported comment should show');
      await waitUntil(() => realtime.subscribed, 'the admin should go live');
      expect(tabNames(el)).to.deep.equal(['Reported', 'Pending', 'Removed', 'Audit log', 'Settings']);
      expect(deepActiveElement() === selectedTab(el), 'focus moves to the selected tab').to.equal(true);
    });

    it('passes an accessibility audit', async () => {
      const el = await renderAdmin(api, realtime);

      await expect(el).to.be.accessible();
    });
  });

  describe('signed in as someone who is not a moderator of this site', () => {
    it('says "You are not a moderator of this site." and offers nothing else but Sign out', async () => {
      api.seedSession(grace);
      const el = await renderAdmin(api, realtime);

      expect(shownTexts(el)).to.deep.equal(['You are not a moderator of this site.', 'Sign out']);
      expect(byRole(el, 'tablist')).to.be.empty;
      expect(api.callsTo('getMe').map((call) => call.query)).to.deep.equal([{ site: 'default' }]);
      expect(api.callsTo('listModerationQueue')).to.be.empty;
      expect(realtime.subscribed).to.equal(false);
    });

    it('says so to a moderator of another site too', async () => {
      const other = api.addUser({ name: 'Otto', moderatorOf: ['elsewhere'] });
      api.seedSession(other);
      const el = await renderAdmin(api, realtime);

      expect(shownTexts(el)).to.deep.equal(['You are not a moderator of this site.', 'Sign out']);
    });

    it('goes back to the sign-in prompt on Sign out', async () => {
      api.seedSession(grace);
      const el = await renderAdmin(api, realtime);

      const signedOut = oneEvent(el, 'parley-sign-out');
      buttonNamed(el, 'Sign out')!.click();
      await signedOut;
      await settled(el);

      expect(shownTexts(el)).to.deep.equal(['Sign in to moderate this site.', 'Sign in']);
    });
  });

  describe('signed in as a moderator', () => {
    beforeEach(() => {
      api.seedSession(mod);
    });

    it('shows who is signed in, Sign out, and the five tabs with Reported selected', async () => {
      api.addItem('reported', { author: grace });
      const el = await renderAdmin(api, realtime);

      expect(readText(el.shadowRoot!.querySelector('[part="account"] p'))).to.equal('Signed in as Mo');
      expect(buttonNamed(el, 'Sign out')).to.exist;
      expect(accessibleName(byRole(el, 'tablist')[0]!)).to.equal('Moderation');
      expect(tabNames(el)).to.deep.equal(['Reported', 'Pending', 'Removed', 'Audit log', 'Settings']);
      expect(byRole(el, 'tab').map((tab) => tab.getAttribute('aria-selected'))).to.deep.equal(['true', 'false', 'false', 'false', 'false']);
      const panel = shownPanel(el);
      expect(panel.getAttribute('aria-labelledby')).to.equal(selectedTab(el)!.id);
      expect(selectedTab(el)!.getAttribute('aria-controls')).to.equal(panel.id);
      expect(byRole(el, 'tabpanel').filter(isShown)).to.have.length(1);
      expect(api.callsTo('listModerationQueue').map((call) => call.query)).to.deep.equal([{ site: 'default', queue: 'reported', cursor: undefined, limit: 20 }]);
    });

    it('switches tabs on click, loading each queue once', async () => {
      api.addItem('pending', { author: grace, body: 'Held back', heldReason: 'Pre-moderation' });
      const el = await renderAdmin(api, realtime);

      const panel = await openTab(el, 'Pending');

      expect(accessibleName(selectedTab(el)!)).to.equal('Pending');
      expect(panel.id).to.equal('panel-pending');
      expect(shownArticles(el).map((a) => readText(a.querySelector('.body')))).to.deep.equal(['Held back']);

      await openTab(el, 'Reported');
      await openTab(el, 'Pending');
      expect(api.callsTo('listModerationQueue').map((call) => call.query.queue)).to.deep.equal(['reported', 'pending']);
    });

    it('moves between tabs with the arrow keys, Home and End, selecting as it goes', async () => {
      const el = await renderAdmin(api, realtime);
      selectedTab(el)!.focus();

      await press('ArrowRight');
      await settled(el);
      expect(accessibleName(selectedTab(el)!)).to.equal('Pending');
      expect(deepActiveElement() === selectedTab(el)).to.equal(true);

      await press('ArrowLeft');
      await press('ArrowLeft');
      await settled(el);
      expect(accessibleName(selectedTab(el)!), 'wraps from the first to the last').to.equal('Settings');

      await press('Home');
      await settled(el);
      expect(accessibleName(selectedTab(el)!)).to.equal('Reported');

      await press('End');
      await settled(el);
      expect(accessibleName(selectedTab(el)!)).to.equal('Settings');
      expect(deepActiveElement() === selectedTab(el)).to.equal(true);
      expect(byRole(el, 'tab').map((tab) => tab.tabIndex), 'only the selected tab is in the tab order').to.deep.equal([-1, -1, -1, -1, 0]);
    });

    it('says so when a queue is empty', async () => {
      const el = await renderAdmin(api, realtime);

      expect(readText(shownPanel(el))).to.equal('No reported comments.');
      expect(readText(await openTab(el, 'Pending'))).to.equal('No comments are awaiting moderation.');
      expect(readText(await openTab(el, 'Removed'))).to.equal('No removed comments.');
    });

    it('pages a queue with Load more', async () => {
      for (let i = 0; i < 23; i++) api.addItem('reported', { author: grace, body: `Item ${i}` });
      const el = await renderAdmin(api, realtime);
      expect(shownArticles(el)).to.have.length(20);

      buttonNamed(el, 'Load more')!.click();

      await waitUntil(() => shownArticles(el).length === 23, 'the next page should be appended');
      const [, second] = api.callsTo('listModerationQueue');
      expect(second!.query.cursor).to.equal(api.queues.reported[19]!.comment.id);
      await settled(el);
      expect(buttonNamed(el, 'Load more')).to.equal(null);
    });

    it('shows an error with Retry when a queue cannot be loaded', async () => {
      api.addItem('reported', { author: grace });
      api.failNext('listModerationQueue', serverError('network_error'));
      const el = await renderAdmin(api, realtime);

      expect(byRole(el, 'alert').map(readText)).to.deep.equal(["Couldn't load the queue. Can't reach the comments server. Retry"]);
      buttonNamed(el, 'Retry')!.click();
      await waitUntil(() => shownArticles(el).length === 1, 'the item should show after Retry');
      expect(byRole(el, 'alert')).to.be.empty;
    });

    it('goes back to the sign-in prompt when the server no longer knows the session', async () => {
      api.failNext('getMe', serverError('unauthenticated', { status: 401 }));
      const el = await renderAdmin(api, realtime);

      await waitUntil(() => buttonNamed(el, 'Sign in') !== null, 'the sign-in prompt should return');
      expect(localStorage.getItem(`parley:session:${api.server}`)).to.equal(null);
    });

    it('passes an accessibility audit', async () => {
      api.addItem('reported', { author: grace, reports: [{ reason: 'spam', count: 2 }], reportDetails: [{ reason: 'spam', details: 'Links to a shop' }] });
      const el = await renderAdmin(api, realtime);

      await expect(el).to.be.accessible();
    });
  });

  describe('live', () => {
    beforeEach(() => {
      api.seedSession(mod);
    });

    it('joins the moderation room of its site with the session token', async () => {
      const token = JSON.parse(localStorage.getItem(`parley:session:${api.server}`)!).token as string;
      await renderAdmin(api, realtime);

      expect(realtime.joins).to.deep.equal([{ site: 'default', token }]);
    });

    it('shows a newly reported comment when moderation:changed arrives, without a reload', async () => {
      api.addItem('reported', { author: grace, body: 'Old report' });
      const el = await renderAdmin(api, realtime);

      const fresh = api.addItem('reported', { author: grace, body: 'New report' });
      realtime.change({ change: 'reported', commentId: fresh.comment.id });

      await waitUntil(() => shownArticles(el).length === 2, 'the new report should appear');
      expect(shownArticles(el).map((a) => readText(a.querySelector('.body')))).to.deep.equal(['New report', 'Old report']);
      expect(api.callsTo('listModerationQueue')).to.have.length(2);
    });

    it('takes out a comment another moderator acted on', async () => {
      const item = api.addItem('reported', { author: grace, body: 'Handled elsewhere' });
      api.addItem('reported', { author: grace, body: 'Still here' });
      const el = await renderAdmin(api, realtime);
      expect(shownArticles(el)).to.have.length(2);

      api.takeOut(item.comment.id);
      realtime.change({ change: 'moderated', commentId: item.comment.id });

      await waitUntil(() => shownArticles(el).length === 1, 'the handled comment should go');
      expect(readText(shownArticles(el)[0]!.querySelector('.body'))).to.equal('Still here');
    });

    it('keeps a dialog in progress open while the queue refreshes', async () => {
      const item = api.addItem('reported', { author: grace, body: 'Being removed' });
      const el = await renderAdmin(api, realtime);
      buttonNamed(el, 'Remove')!.click();
      await settled(el);
      const dialog = dialogNamed(el, 'Remove comment')!;
      typeInto(textboxNamed(dialog, 'Reason')!, 'Spam link');

      api.takeOut(item.comment.id);
      realtime.change({ change: 'moderated', commentId: item.comment.id });
      await waitUntil(() => api.callsTo('listModerationQueue').length === 2);
      await settled(el);

      expect(dialogNamed(el, 'Remove comment')).to.equal(dialog);
      expect(textboxNamed(dialog, 'Reason')!.value).to.equal('Spam link');
    });

    it('says so while the live connection is down, and reads the queue again once it is back', async () => {
      const el = await renderAdmin(api, realtime);
      expect(byRole(el, 'status')).to.be.empty;

      realtime.setStatus('offline');
      await settled(el);
      expect(byRole(el, 'status').map(readText)).to.deep.equal(['Connection lost. The queues will update when it returns.']);

      api.addItem('reported', { author: grace, body: 'Missed while away' });
      realtime.setStatus('online');

      await waitUntil(() => shownArticles(el).length === 1, 'what was missed should appear');
      expect(byRole(el, 'status')).to.be.empty;
    });

    it('reads the open tab again: the audit log', async () => {
      const el = await renderAdmin(api, realtime);
      const panel = await openTab(el, 'Audit log');
      expect(deepQueryAll(panel, 'tbody tr')).to.be.empty;

      api.addAudit({ action: 'remove', actor: { id: '7', name: 'Other mod' }, targetLabel: 'Spam!', reason: 'spam' });
      realtime.change({ change: 'moderated' });

      await waitUntil(() => deepQueryAll(panel, 'tbody tr').length === 1, 'the new entry should appear');
    });
  });

  describe('events', () => {
    beforeEach(() => {
      api.seedSession(mod);
    });

    it('fires parley-moderated with the comment and the action', async () => {
      const item = api.addItem('reported', { author: grace });
      const el = await renderAdmin(api, realtime);

      const moderated = oneEvent<ParleyModeratedEvent>(el, 'parley-moderated');
      buttonNamed(el, 'Approve')!.click();
      const event = await moderated;

      expect([event.commentId, event.action]).to.deep.equal([item.comment.id, 'approve']);
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('fires parley-user-banned with the user', async () => {
      api.addItem('reported', { author: grace });
      const el = await renderAdmin(api, realtime);
      buttonNamed(el, 'Ban Grace')!.click();
      await settled(el);
      const dialog = dialogNamed(el, 'Ban Grace')!;
      typeInto(textboxNamed(dialog, 'Reason')!, 'Spam');

      const banned = oneEvent<ParleyUserBannedEvent>(el, 'parley-user-banned');
      buttonNamed(dialog, 'Ban')!.click();
      const event = await banned;

      expect(event.userId).to.equal(grace.id);
    });
  });
});
