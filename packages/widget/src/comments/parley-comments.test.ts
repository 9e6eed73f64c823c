import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { accessibleName, buttonNamed, byRole, deepActiveElement, deepQueryAll, isShown, readRendered, readText, textboxNamed, typeInto } from '../test-support/dom.js';
import { FakeApi, FakeRealtime, serverError } from '../test-support/fake-api.js';
import { renderWidget, settled } from '../test-support/widget.js';
import type { ParleyComments } from './parley-comments.js';
import './parley-comments.js';

/** The text a reader meets, paragraph by paragraph, top to bottom. */
function shownTexts(el: Element): string[] {
  return deepQueryAll(el, 'p, h2, button').filter(isShown).map(readText);
}

const heading = (el: ParleyComments) => readText(el.shadowRoot!.querySelector('h2'));
const articles = (el: Element) => deepQueryAll(el, 'article');

describe('<parley-comments>', () => {
  let api: FakeApi;
  let realtime: FakeRealtime;
  let ada: Me;
  let grace: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    realtime = new FakeRealtime();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
    grace = api.addUser({ name: 'Grace', email: 'grace@example.com' });
  });

  describe('signed out', () => {
    it('shows the account line, the heading, the empty state and the sign-in prompt, in that order', async () => {
      const el = await renderWidget(api, realtime);

      expect(shownTexts(el)).to.deep.equal([
        'Sign in to report, block, or manage your own posts.',
        'Comments',
        'No comments yet.',
        'Sign in to comment.',
        'Sign in',
      ]);
      expect(accessibleName(el.shadowRoot!.querySelector('section')!), 'the region is named by its heading').to.equal('Comments');
    });

    it('lets the host replace "No comments yet." through the empty slot', async () => {
      const el = await fixture<ParleyComments>(html`
        <parley-comments site="default" page="/p" .api=${api} .realtime=${realtime}>
          <span slot="empty">Be the first to say something.</span>
        </parley-comments>
      `);
      await waitUntil(() => realtime.subscribed, 'the widget should go live once the page is idle', { timeout: 5000 });
      await settled(el);

      const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="empty"]')!;
      expect(isShown(slot)).to.equal(true);
      expect(slot.assignedElements().map(readText)).to.deep.equal(['Be the first to say something.']);
    });

    it('passes an accessibility audit', async () => {
      api.addComment({ author: grace, body: 'Hello' });
      const el = await renderWidget(api, realtime);

      await expect(el).to.be.accessible();
    });
  });

  it('shows a loading status while the comments are on their way', async () => {
    const held = api.holdNext('listComments');
    const el = await fixture<ParleyComments>(
      html`<parley-comments site="default" page="/p" .api=${api} .realtime=${realtime}></parley-comments>`,
    );
    await settled(el);

    const loading = byRole(el, 'status');
    expect(loading.map((node) => node.getAttribute('aria-label'))).to.deep.equal(['Loading comments']);
    expect(isShown(el.shadowRoot!.querySelector('.empty')!), 'not "No comments yet." while loading').to.equal(false);

    held.release();
    await waitUntil(() => byRole(el, 'status').length === 0, 'the loading status should go once loaded');
  });

  it('shows an error with Retry when the comments cannot be loaded, and Retry loads them', async () => {
    api.addComment({ author: grace, body: 'Still here' });
    api.failNext('listComments', serverError('network_error'));
    const el = await renderWidget(api, realtime);

    const [alert] = byRole(el, 'alert');
    expect(readText(alert)).to.equal("Couldn't load the comments. Can't reach the comments server. Retry");
    expect(articles(el)).to.be.empty;

    buttonNamed(el, 'Retry')!.click();

    await waitUntil(() => articles(el).length === 1, 'the comment should show after Retry');
    expect(api.callsTo('listComments')).to.have.length(2);
    expect(byRole(el, 'alert')).to.be.empty;
    expect(buttonNamed(el, 'Retry')).to.equal(null);
  });

  it('shows the count after the heading once there are comments', async () => {
    const first = api.addComment({ author: grace });
    api.addComment({ author: ada, parentId: first.id });
    const el = await renderWidget(api, realtime);

    expect(heading(el)).to.equal('Comments 2');
    expect(readText(el.shadowRoot!.querySelector('h2 .count'))).to.equal('2');
  });

  describe('signed in', () => {
    it('says who is signed in and offers Sign out and the composer', async () => {
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);

      expect(readText(el.shadowRoot!.querySelector('.account p'))).to.equal('Signed in as Ada');
      expect(buttonNamed(el, 'Sign out')).to.exist;
      expect(textboxNamed(el, 'Comment')).to.exist;
      expect(buttonNamed(el, 'Sign in')).to.equal(null);
    });

    it('signs out on Sign out, fires parley-sign-out and shows the prompt again', async () => {
      const token = api.seedSession(ada);
      const el = await renderWidget(api, realtime);

      const signedOut = oneEvent(el, 'parley-sign-out');
      buttonNamed(el, 'Sign out')!.click();
      await signedOut;
      await settled(el);

      expect(api.callsTo('signOut').map((call) => call.token)).to.deep.equal([token]);
      expect(localStorage.getItem(`parley:session:${api.server}`)).to.equal(null);
      expect(readText(el.shadowRoot!.querySelector('.account p'))).to.equal('Sign in to report, block, or manage your own posts.');
      expect(buttonNamed(el, 'Sign in')).to.exist;
      expect(textboxNamed(el, 'Comment')).to.equal(null);
    });

    it('forgets a session the server no longer knows', async () => {
      api.seedSession(ada);
      api.failNext('getMe', serverError('unauthenticated'));
      const el = await renderWidget(api, realtime);

      await waitUntil(() => buttonNamed(el, 'Sign in') !== null, 'the sign-in prompt should return');
      expect(readText(el.shadowRoot!.querySelector('.account p'))).to.equal('Sign in to report, block, or manage your own posts.');
    });

    it('passes an accessibility audit', async () => {
      api.seedSession(ada);
      api.addComment({ author: ada, body: 'Mine' });
      const el = await renderWidget(api, realtime);

      await expect(el).to.be.accessible();
    });
  });

  describe('live updates', () => {
    it('shows a comment posted elsewhere without a reload and updates the count', async () => {
      api.addComment({ author: ada, body: 'First' });
      const el = await renderWidget(api, realtime);
      expect(heading(el)).to.equal('Comments 1');

      realtime.push(api.publish({ author: grace, body: 'Live from elsewhere' }));

      await waitUntil(() => articles(el).length === 2, 'the live comment should appear');
      await settled(el);
      expect(articles(el).map((a) => a.getAttribute('aria-label'))).to.deep.equal(['Comment by Ada', 'Comment by Grace']);
      expect(readText(articles(el)[1]!.querySelector('.body'))).to.equal('Live from elsewhere');
      expect(heading(el)).to.equal('Comments 2');
      expect(api.callsTo('listComments')).to.have.length(1);
    });

    it('takes out a comment deleted elsewhere', async () => {
      const gone = api.addComment({ author: grace });
      const el = await renderWidget(api, realtime);

      realtime.push(api.removeElsewhere(gone.id));

      await waitUntil(() => articles(el).length === 0, 'the deleted comment should go');
      await settled(el);
      expect(heading(el)).to.equal('Comments');
      expect(shownTexts(el)).to.include('No comments yet.');
    });

    it('says so while the live connection is down, and stops once it is back', async () => {
      const el = await renderWidget(api, realtime);
      expect(byRole(el, 'status')).to.be.empty;

      realtime.setStatus('offline');
      await settled(el);

      expect(byRole(el, 'status').map(readText)).to.deep.equal(['Connection lost. New comments will appear when it returns.']);

      realtime.setStatus('online');
      await settled(el);
      expect(byRole(el, 'status')).to.be.empty;
    });

    it('applies events in seq order when they arrive out of order, and each only once', async () => {
      const el = await renderWidget(api, realtime);
      const created = api.publish({ author: grace, body: 'first draft' });
      const edited = api.editElsewhere(created.comment.id, 'second thought');
      const another = api.publish({ author: ada, body: 'another' });

      // The edit arrives before the comment it edits; then everything again.
      realtime.push(edited, another, created, edited, created, another);

      await waitUntil(() => articles(el).length === 2, 'both comments should appear');
      await settled(el);
      expect(articles(el).map((a) => readText(a.querySelector('.body')))).to.deep.equal(['second thought', 'another']);
      expect(readText(articles(el)[0]!.querySelector('.edited'))).to.equal('edited');
      expect(heading(el)).to.equal('Comments 2');
    });

    it('reloads the thread when the server has lost the events it missed', async () => {
      const el = await renderWidget(api, realtime);
      api.addComment({ author: grace, body: 'Missed while away' });

      realtime.reload();

      await waitUntil(() => articles(el).length === 1, 'the missed comment should appear after the reload');
      expect(api.callsTo('listComments')).to.have.length(2);
    });
  });

  describe('banned readers', () => {
    const writeArea = (el: ParleyComments) => readText(el.shadowRoot!.querySelector('[part="banned"]'));

    it('shows "You can\'t comment on this site." instead of the composer to a reader banned for good', async () => {
      const banned = api.addUser({ name: 'Bob', email: 'bob@example.com', ban: { reason: 'Spam', expiresAt: null } });
      api.seedSession(banned);
      const el = await renderWidget(api, realtime);

      expect(writeArea(el)).to.equal("You can't comment on this site.");
      expect(textboxNamed(el, 'Comment')).to.equal(null);
      expect(buttonNamed(el, 'Sign out'), 'still signed in').to.exist;
    });

    it('says when a temporary ban ends', async () => {
      const expiresAt = new Date(Date.now() + 7 * 86_400_000);
      const banned = api.addUser({ name: 'Bob', email: 'bob@example.com', ban: { reason: 'Spam', expiresAt: expiresAt.toISOString() } });
      api.seedSession(banned);
      const el = await renderWidget(api, realtime);

      const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(expiresAt);
      expect(writeArea(el)).to.equal(`You can't comment on this site. Your ban ends on ${date}.`);
    });

    it('takes the ban from the server when a post is refused as user_banned', async () => {
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      api.ban(ada.id, { reason: 'Spam', expiresAt: null });

      typeInto(textboxNamed(el, 'Comment')!, 'Hello?');
      await settled(el);
      buttonNamed(el, 'Post')!.click();

      await waitUntil(() => writeArea(el) === "You can't comment on this site.", 'the ban should replace the composer');
      expect(textboxNamed(el, 'Comment')).to.equal(null);
    });

    it('passes an accessibility audit', async () => {
      const banned = api.addUser({ name: 'Bob', email: 'bob@example.com', ban: { reason: 'Spam', expiresAt: null } });
      api.seedSession(banned);
      api.addComment({ author: grace });
      const el = await renderWidget(api, realtime);

      await expect(el).to.be.accessible();
    });
  });

  describe('locked pages', () => {
    it('shows a signed-in reader "Comments are closed." instead of the composer', async () => {
      api.lockElsewhere(true);
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);

      expect(readText(el.shadowRoot!.querySelector('[part="closed"]'))).to.equal('Comments are closed.');
      expect(textboxNamed(el, 'Comment')).to.equal(null);
    });

    it('says "Comments are closed." in the sign-in prompt, which keeps its Sign in button', async () => {
      api.lockElsewhere(true);
      const el = await renderWidget(api, realtime);

      expect(deepQueryAll(el, 'p, h2, button').filter(isShown).map(readRendered)).to.deep.equal([
        'Sign in to report, block, or manage your own posts.',
        'Comments',
        'No comments yet.',
        'Comments are closed.',
        'Sign in',
      ]);
    });

    it('closes and reopens live', async () => {
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);

      realtime.push(api.lockElsewhere(true));
      await waitUntil(() => textboxNamed(el, 'Comment') === null, 'the composer should go');
      expect(readText(el.shadowRoot!.querySelector('[part="closed"]'))).to.equal('Comments are closed.');

      realtime.push(api.lockElsewhere(false));
      await waitUntil(() => textboxNamed(el, 'Comment') !== null, 'the composer should come back');
      expect(el.shadowRoot!.querySelector('[part="closed"]')).to.equal(null);
    });

    it('closes when a post is refused because the page was locked meanwhile', async () => {
      api.seedSession(ada);
      const el = await renderWidget(api, new FakeRealtime());
      api.lockElsewhere(true);

      typeInto(textboxNamed(el, 'Comment')!, 'Late');
      await settled(el);
      buttonNamed(el, 'Post')!.click();

      await waitUntil(() => el.shadowRoot!.querySelector('[part="closed"]') !== null, 'the page should show as closed');
    });
  });

  describe('held comments', () => {
    it('keeps the reader’s held comment shown to them, marked "Awaiting moderation", until it is approved', async () => {
      api.premoderate();
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);

      typeInto(textboxNamed(el, 'Comment')!, 'Please approve me');
      await settled(el);
      buttonNamed(el, 'Post')!.click();
      await waitUntil(() => articles(el).length === 1, 'the held comment should show');
      await settled(el);

      const mark = () => deepQueryAll(el, 'article header .pending').map(readText);
      expect(mark()).to.deep.equal(['Awaiting moderation']);
      expect(heading(el), 'not counted yet').to.equal('Comments');

      const id = deepQueryAll(el, 'article')[0]!.dataset.commentId!;
      realtime.push(api.approveElsewhere(id));

      await waitUntil(() => mark().length === 0, 'the mark should go once approved');
      expect(articles(el)).to.have.length(1);
      expect(heading(el)).to.equal('Comments 1');
    });
  });

  describe('permalinks', () => {
    afterEach(() => history.replaceState(null, '', location.pathname + location.search));

    const focusedArticle = () => {
      const active = deepActiveElement();
      return active instanceof HTMLElement && active.tagName === 'ARTICLE' ? active.dataset.commentId : undefined;
    };

    it('loads pages until it finds the comment of the hash, then highlights and focuses it', async () => {
      for (let n = 1; n <= 45; n++) api.addComment({ author: grace, body: `comment ${n}` });
      history.replaceState(null, '', '#parley-comment-43');

      const el = await renderWidget(api, realtime);

      await waitUntil(() => focusedArticle() === '43', 'the linked comment should take focus');
      expect(api.callsTo('listComments').map((call) => call.query.cursor ?? null)).to.deep.equal([null, '20', '40']);
      const article = deepQueryAll(el, 'article').find((a) => a.dataset.commentId === '43')!;
      expect(article.classList.contains('fresh'), 'highlighted').to.equal(true);
    });

    it('focuses the comment of the hash when it renders frames after its page arrived', async () => {
      // The second page is 20 top-level comments with 3 replies each, more than render at once; the link names its last reply.
      for (let n = 1; n <= 20; n++) api.addComment({ author: grace });
      let last = '';
      for (let n = 1; n <= 20; n++) {
        const top = api.addComment({ author: grace });
        for (let r = 1; r <= 3; r++) last = api.addComment({ author: grace, parentId: top.id }).id;
      }
      history.replaceState(null, '', `#parley-comment-${last}`);

      const el = await renderWidget(api, realtime);

      await waitUntil(() => focusedArticle() === last, 'the linked reply should take focus');
      const article = deepQueryAll(el, 'article').find((a) => a.dataset.commentId === last)!;
      expect(article.classList.contains('fresh'), 'highlighted').to.equal(true);
    });

    it('follows the hash when it changes', async () => {
      for (let n = 1; n <= 3; n++) api.addComment({ author: grace });
      const el = await renderWidget(api, realtime);
      expect(focusedArticle()).to.equal(undefined);

      location.hash = '#parley-comment-2';

      await waitUntil(() => focusedArticle() === '2', 'the linked comment should take focus');
      expect(deepQueryAll(el, 'article.fresh').map((a) => a.dataset.commentId)).to.deep.equal(['2']);
    });

    it('gives up quietly when the comment is not on the page', async () => {
      for (let n = 1; n <= 25; n++) api.addComment({ author: grace });
      history.replaceState(null, '', '#parley-comment-999');

      const el = await renderWidget(api, realtime);

      await waitUntil(() => api.callsTo('listComments').length === 2, 'every page should be looked at');
      await settled(el);
      expect(buttonNamed(el, 'Load more comments')).to.equal(null);
      expect(byRole(el, 'alert')).to.be.empty;
    });
  });

  it('reloads the thread as the reader signs in, with their own held comments', async () => {
    api.addComment({ author: ada, body: 'Held one', status: 'pending' });
    const el = await renderWidget(api, realtime);
    expect(articles(el)).to.be.empty;

    buttonNamed(el, 'Sign in')!.click();
    await settled(el);
    typeInto(textboxNamed(el, 'Email')!, 'ada@example.com');
    typeInto(textboxNamed(el, 'Password')!, 'correct horse');
    await settled(el);
    deepQueryAll<HTMLButtonElement>(el, 'dialog button[type="submit"]')[0]!.click();

    await waitUntil(() => articles(el).length === 1, 'the held comment should show after signing in');
    expect(api.callsTo('listComments').map((call) => !!call.token)).to.deep.equal([false, true]);
  });
});
