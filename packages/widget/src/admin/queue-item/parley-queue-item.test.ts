import { expect, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { accessibleName, buttonNamed, buttonsNamed, byRole, deepActiveElement, readText } from '../../test-support/dom.js';
import { FakeModerationApi, FakeModerationRealtime } from '../../test-support/fake-moderation.js';
import { openTab, renderAdmin, shownArticles, shownPanel } from '../../test-support/admin.js';
import { settled } from '../../test-support/widget.js';
import { serverError } from '../../test-support/fake-api.js';

/** The names of the buttons in an article, in order. */
const buttonsOf = (article: Element) => [...article.querySelectorAll('button')].map((b) => accessibleName(b));

describe('<parley-queue-item>', () => {
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
    api.seedSession(mod);
  });

  describe('in Reported', () => {
    it('shows the body, author, page link, time, the reasons with counts and the details given', async () => {
      const createdAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
      const item = api.addItem('reported', {
        author: grace,
        body: 'Cheap watches here',
        createdAt,
        page: { key: '/2026/04/28/story', url: 'https://velotip.test/2026/04/28/story', title: 'The story' },
        reports: [
          { reason: 'spam', count: 2 },
          { reason: 'other', count: 1 },
        ],
        reportDetails: [
          { reason: 'spam', details: 'Links to a shop' },
          { reason: 'other', details: '' },
        ],
      });
      const el = await renderAdmin(api, realtime);

      const [article] = shownArticles(el);
      expect(accessibleName(article!)).to.equal('Comment by Grace');
      expect(readText(article!.querySelector('.author'))).to.equal('Grace');
      expect(readText(article!.querySelector('.body'))).to.equal('Cheap watches here');
      expect(article!.querySelector('.body p'), 'the body is the server\'s HTML').to.exist;
      const link = article!.querySelector('a')!;
      expect(readText(link)).to.equal('The story');
      expect(link.getAttribute('href')).to.equal(`https://velotip.test/2026/04/28/story#parley-comment-${item.comment.id}`);
      const time = article!.querySelector('time')!;
      expect(time.getAttribute('datetime')).to.equal(createdAt);
      expect(readText(time)).to.equal('3 hours ago');
      expect(time.title).to.match(/\d{4}/);
      expect([...article!.querySelectorAll('[aria-label="Reports"] li')].map(readText)).to.deep.equal(['Spam × 2', 'Other × 1']);
      expect([...article!.querySelectorAll('[aria-label="Details given"] li')].map(readText)).to.deep.equal(['Links to a shop (Spam)']);
      expect(buttonsOf(article!)).to.deep.equal(['Approve', 'Remove', 'Ban Grace']);
    });

    it('names the page by its key and links to it when the server knows no title or address', async () => {
      const item = api.addItem('reported', { author: grace, page: { key: '/p/1', url: null, title: null } });
      const el = await renderAdmin(api, realtime);

      const link = shownArticles(el)[0]!.querySelector('a')!;
      expect(readText(link)).to.equal('/p/1');
      expect(link.getAttribute('href')).to.equal(`/p/1#parley-comment-${item.comment.id}`);
    });

    it('approves with Approve: moderateComment with action approve, and the item leaves at once', async () => {
      const item = api.addItem('reported', { author: grace, body: 'Fine after all' });
      api.addItem('reported', { author: grace, body: 'Another' });
      const el = await renderAdmin(api, realtime);

      buttonsNamed(el, 'Approve')[1]!.click();

      await waitUntil(() => shownArticles(el).length === 1, 'the approved item should leave');
      expect(api.callsTo('moderateComment').map(({ params, body }) => ({ params, body }))).to.deep.equal([
        { params: { id: item.comment.id }, body: { site: 'default', action: 'approve' } },
      ]);
      expect(readText(shownArticles(el)[0]!.querySelector('.body'))).to.equal('Another');
      await settled(el);
      expect(deepActiveElement() === shownPanel(el), 'focus goes to the panel, not the page').to.equal(true);
    });

    it('shows an error as an alert in the item, which stays', async () => {
      api.addItem('reported', { author: grace });
      api.failNext('moderateComment', serverError('forbidden', { status: 403 }));
      const el = await renderAdmin(api, realtime);

      buttonNamed(el, 'Approve')!.click();

      await waitUntil(() => byRole(el, 'alert').length === 1, 'the error should show');
      expect(readText(byRole(shownArticles(el)[0]!, 'alert')[0])).to.equal('You are not allowed to do that.');
      expect(shownArticles(el)).to.have.length(1);
    });

    it('shows a ban of the author with Unban NAME instead of Ban NAME, and Unban calls unbanUser', async () => {
      api.addBan(grace, { expiresAt: null });
      api.addItem('reported', { author: grace });
      const el = await renderAdmin(api, realtime);

      const article = shownArticles(el)[0]!;
      expect(readText(article.querySelector('.ban'))).to.equal('Banned permanently');
      expect(buttonsOf(article)).to.deep.equal(['Approve', 'Remove', 'Unban Grace']);

      buttonNamed(el, 'Unban Grace')!.click();

      await waitUntil(() => buttonNamed(el, 'Ban Grace') !== null, 'Ban should come back');
      expect(api.callsTo('unbanUser').map(({ params, query }) => ({ params, query }))).to.deep.equal([{ params: { userId: grace.id }, query: { site: 'default' } }]);
      expect(shownArticles(el)[0]!.querySelector('.ban')).to.equal(null);
    });

    it('shows the end of a temporary ban', async () => {
      const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      api.addBan(grace, { expiresAt });
      api.addItem('reported', { author: grace });
      const el = await renderAdmin(api, realtime);

      const ban = shownArticles(el)[0]!.querySelector('.ban')!;
      expect(readText(ban)).to.match(/^Banned until \w{3} \d{1,2}, \d{4}/);
      expect(ban.querySelector('time')!.getAttribute('datetime')).to.equal(expiresAt);
    });

    it('offers no Ban on the moderator\'s own comment, nor on one of a deleted account', async () => {
      api.addItem('reported', { author: mod });
      api.addItem('reported', { author: null });
      const el = await renderAdmin(api, realtime);

      expect(shownArticles(el).map((a) => [accessibleName(a), buttonsOf(a)])).to.deep.equal([
        ['Comment by a deleted account', ['Approve', 'Remove']],
        ['Comment by Mo', ['Approve', 'Remove']],
      ]);
    });
  });

  describe('in Pending', () => {
    it('says why it was held', async () => {
      api.addItem('pending', { author: grace, body: 'foo bar', heldReason: 'Banned word: foo' });
      const el = await renderAdmin(api, realtime);

      await openTab(el, 'Pending');

      const article = shownArticles(el)[0]!;
      expect(readText(article.querySelector('.note'))).to.equal('Held: Banned word: foo');
      expect(buttonsOf(article)).to.deep.equal(['Approve', 'Remove', 'Ban Grace']);
    });
  });

  describe('in Removed', () => {
    it('shows the removal reason and Restore, which calls moderateComment with restore', async () => {
      const item = api.addItem('removed', { author: grace, removedReason: 'Off-topic rant' });
      const el = await renderAdmin(api, realtime);
      await openTab(el, 'Removed');

      const article = shownArticles(el)[0]!;
      expect(readText(article.querySelector('.note'))).to.equal('Removed: Off-topic rant');
      expect(buttonsOf(article)).to.deep.equal(['Restore', 'Ban Grace']);

      buttonNamed(el, 'Restore')!.click();

      await waitUntil(() => shownArticles(el).length === 0, 'the restored item should leave');
      expect(api.callsTo('moderateComment').map(({ params, body }) => ({ params, body }))).to.deep.equal([
        { params: { id: item.comment.id }, body: { site: 'default', action: 'restore' } },
      ]);
    });
  });
});
