import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import type { ParleyCommentDeletedEvent, ParleyCommentEditedEvent, ParleyCommentPostedEvent, ParleyUserBlockedEvent } from '../events.js';
import {
  buttonNamed,
  buttonsNamed,
  byRole,
  deepActiveElement,
  deepQueryAll,
  dialogNamed,
  press,
  readText,
  textboxNamed,
  typeInto,
} from '../test-support/dom.js';
import { FakeApi, FakeRealtime, serverError } from '../test-support/fake-api.js';
import { limits } from '@parley/protocol/client';
import { rateLimitedError } from '../test-support/rate-limited.js';
import { renderWidget, settled } from '../test-support/widget.js';
import { MAX_INDENT_DEPTH, type ParleyComment } from './parley-comment.js';

/** The `<parley-comment>` whose article is labelled `label`, e.g. "Comment by Ada". */
function commentLabelled(root: Element, label: string): ParleyComment {
  const article = deepQueryAll(root, 'article').find((a) => a.getAttribute('aria-label') === label);
  if (!article) throw new Error(`no article labelled "${label}"`);
  return (article.getRootNode() as ShadowRoot).host as ParleyComment;
}

/** One comment's own action row (in its `<parley-comment-actions>`), not those of its replies. */
function actionRow(comment: ParleyComment): Element {
  const row = comment.shadowRoot!.querySelector('article > parley-comment-actions')?.shadowRoot?.querySelector('.actions');
  if (!row) throw new Error('the comment shows no action row');
  return row;
}

/** Buttons of one comment's own action row, not those of its replies. */
function actionsOf(comment: ParleyComment): string[] {
  const row = comment.shadowRoot!.querySelector('article > parley-comment-actions')?.shadowRoot?.querySelector('.actions');
  return [...(row?.querySelectorAll('button') ?? [])].map(readText);
}

describe('<parley-comment>', () => {
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

  it('is an article with the author, a relative time with the exact one on hover, and the body', async () => {
    const createdAt = new Date(Date.now() - 2 * 3_600_000 - 60_000);
    api.answerNext('listComments', () => ({
      comments: [{ id: '1', parentId: null, author: { id: grace.id, name: 'Grace' }, html: '<p>Hello <strong>world</strong></p>', status: 'published' as const, createdAt: createdAt.toISOString(), editedAt: null, pinned: false }],
      count: 1,
      nextCursor: null,
      seq: 1,
      locked: false,
      moreReplies: [],
    }));
    const el = await renderWidget(api, realtime);

    const comment = commentLabelled(el, 'Comment by Grace');
    const article = comment.shadowRoot!.querySelector('article')!;
    expect(readText(article.querySelector('.author'))).to.equal('Grace');
    const time = article.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.equal(createdAt.toISOString());
    expect(readText(time)).to.equal('2 hours ago');
    const exact = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(createdAt);
    expect(time.getAttribute('title')).to.equal(exact);
    expect(article.querySelector('.body strong')?.textContent).to.equal('world');
    expect(article.querySelector('.edited')).to.equal(null);
  });

  it('marks an edited comment', async () => {
    const editedAt = new Date(Date.now() - 60_000);
    api.addComment({ author: grace, editedAt: editedAt.toISOString() });
    const el = await renderWidget(api, realtime);

    const mark = commentLabelled(el, 'Comment by Grace').shadowRoot!.querySelector('.edited')!;
    expect(readText(mark)).to.equal('edited');
    expect(mark.getAttribute('title')).to.match(/^Edited /);
  });

  it('offers Reply only to a signed-in reader', async () => {
    api.addComment({ author: grace });
    const signedOut = await renderWidget(api, realtime);
    expect(actionsOf(commentLabelled(signedOut, 'Comment by Grace'))).to.deep.equal([]);

    api.seedSession(ada);
    const signedIn = await renderWidget(api, new FakeRealtime());
    expect(actionsOf(commentLabelled(signedIn, 'Comment by Grace'))).to.deep.equal(['Reply', 'Report', 'Block']);
  });

  it('offers Edit and Delete only on the reader’s own comments, Report and Block only on others’', async () => {
    api.addComment({ author: ada, body: 'mine' });
    api.addComment({ author: grace, body: 'theirs' });
    api.seedSession(ada);
    const el = await renderWidget(api, realtime);

    expect(actionsOf(commentLabelled(el, 'Comment by Ada'))).to.deep.equal(['Reply', 'Edit', 'Delete']);
    expect(actionsOf(commentLabelled(el, 'Comment by Grace'))).to.deep.equal(['Reply', 'Report', 'Block']);
  });

  describe('replying', () => {
    it('opens a composer named for the author and posts the reply under the comment', async () => {
      const parent = api.addComment({ author: grace });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Grace');

      buttonNamed(comment, 'Reply')!.click();
      await settled(el);

      const box = textboxNamed(comment, 'Reply to Grace')!;
      expect(box).to.exist;
      await waitUntil(() => deepActiveElement() === box, 'the reply box should get focus');
      expect(buttonNamed(comment, 'Reply'), 'no second Reply while replying').to.equal(null);

      typeInto(box, 'Good point');
      await settled(el);
      const posted = oneEvent<ParleyCommentPostedEvent>(el, 'parley-comment-posted');
      buttonNamed(comment, 'Post reply')!.click();

      expect((await posted).comment.parentId).to.equal(parent.id);
      await waitUntil(() => textboxNamed(comment, 'Reply to Grace') === null, 'the composer should close');
      await settled(el);
      expect(api.callsTo('createComment')[0]?.body).to.include({ parentId: parent.id, body: 'Good point' });
      const replies = comment.shadowRoot!.querySelector('[role="group"]')!;
      expect(replies.getAttribute('aria-label')).to.equal('Replies to Grace');
      expect(deepQueryAll(replies, 'article').map((a) => a.getAttribute('aria-label'))).to.deep.equal(['Comment by Ada']);
    });

    it('closes the reply composer on Cancel without posting', async () => {
      api.addComment({ author: grace });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Grace');

      buttonNamed(comment, 'Reply')!.click();
      await settled(el);
      buttonNamed(comment, 'Cancel')!.click();
      await settled(el);

      expect(textboxNamed(comment, 'Reply to Grace')).to.equal(null);
      expect(buttonNamed(comment, 'Reply')).to.exist;
      expect(api.callsTo('createComment')).to.be.empty;
    });
  });

  describe('editing', () => {
    it('edits the source in place and saves it with updateComment', async () => {
      const mine = api.addComment({ author: ada, body: 'Frist' });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');

      buttonNamed(comment, 'Edit')!.click();
      await waitUntil(() => textboxNamed(comment, 'Edit comment') !== null, 'the edit box should open');
      await settled(el);

      const box = textboxNamed(comment, 'Edit comment')!;
      expect(box.value).to.equal('Frist');
      expect(deepActiveElement() === box, 'the edit box has focus').to.equal(true);
      expect(buttonNamed(comment, 'Save')).to.exist;
      expect(buttonNamed(comment, 'Cancel')).to.exist;

      typeInto(box, 'First');
      await settled(el);
      const edited = oneEvent<ParleyCommentEditedEvent>(el, 'parley-comment-edited');
      buttonNamed(comment, 'Save')!.click();
      const { comment: saved } = await edited;
      await settled(el);

      expect(api.callsTo('updateComment').map((call) => [call.params.id, call.body.body])).to.deep.equal([[mine.id, 'First']]);
      expect(saved.html).to.equal('<p>First</p>');
      expect(textboxNamed(comment, 'Edit comment')).to.equal(null);
      expect(readText(comment.shadowRoot!.querySelector('.body'))).to.equal('First');
      expect(readText(comment.shadowRoot!.querySelector('.edited'))).to.equal('edited');
    });

    it('leaves the comment as it was on Cancel', async () => {
      api.addComment({ author: ada, body: 'Unchanged' });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');

      buttonNamed(comment, 'Edit')!.click();
      await waitUntil(() => textboxNamed(comment, 'Edit comment') !== null);
      typeInto(textboxNamed(comment, 'Edit comment')!, 'Changed my mind');
      buttonNamed(comment, 'Cancel')!.click();
      await settled(el);

      expect(textboxNamed(comment, 'Edit comment')).to.equal(null);
      expect(readText(comment.shadowRoot!.querySelector('.body'))).to.equal('Unchanged');
      expect(api.callsTo('updateComment')).to.be.empty;
    });

    it('keeps the edit open and says why when saving fails', async () => {
      api.addComment({ author: ada, body: 'Draft' });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');
      buttonNamed(comment, 'Edit')!.click();
      await waitUntil(() => textboxNamed(comment, 'Edit comment') !== null);
      typeInto(textboxNamed(comment, 'Edit comment')!, 'Better draft');
      api.failNext('updateComment', serverError('forbidden'));

      buttonNamed(comment, 'Save')!.click();

      await waitUntil(() => byRole(comment, 'alert').length > 0, 'the error should show');
      expect(readText(byRole(comment, 'alert')[0])).to.equal('You are not allowed to do that.');
      expect(textboxNamed(comment, 'Edit comment')?.value).to.equal('Better draft');
    });
  });

  describe('editing too fast', () => {
    it("shows the server's message with the time to wait, and keeps the edit open", async () => {
      api.addComment({ author: ada, body: 'Draft' });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');
      buttonNamed(comment, 'Edit')!.click();
      await waitUntil(() => textboxNamed(comment, 'Edit comment') !== null);
      typeInto(textboxNamed(comment, 'Edit comment')!, 'Draft, again');
      api.failNext('updateComment', await rateLimitedError("You're editing too fast. Try again in 1 minute.", 60, 'updateComment'));

      buttonNamed(comment, 'Save')!.click();

      await waitUntil(() => byRole(comment, 'alert').length > 0, 'the error should show');
      expect(readText(byRole(comment, 'alert')[0])).to.equal("You're editing too fast. Try again in 1 minute.");
      expect(textboxNamed(comment, 'Edit comment')?.value).to.equal('Draft, again');
    });
  });

  describe('deleting', () => {
    it('asks in a dialog and removes the comment on Delete', async () => {
      const mine = api.addComment({ author: ada });
      api.addComment({ author: grace });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');

      buttonNamed(comment, 'Delete')!.click();
      await settled(el);

      const dialog = dialogNamed(comment, 'Delete this comment?')!;
      expect(dialog).to.exist;
      expect(buttonsNamed(dialog, 'Delete')).to.have.length(1);
      expect(buttonsNamed(dialog, 'Cancel')).to.have.length(1);
      expect(readText(dialog.querySelector('p'))).to.equal('It will be removed from the page.');

      const deleted = oneEvent<ParleyCommentDeletedEvent>(el, 'parley-comment-deleted');
      buttonNamed(dialog, 'Delete')!.click();
      expect((await deleted).commentId).to.equal(mine.id);
      await settled(el);

      expect(api.callsTo('deleteComment').map((call) => call.params.id)).to.deep.equal([mine.id]);
      expect(deepQueryAll(el, 'article').map((a) => a.getAttribute('aria-label'))).to.deep.equal(['Comment by Grace']);
      expect(readText(el.shadowRoot!.querySelector('h2'))).to.equal('Comments 1');
    });

    it('keeps the comment on Cancel', async () => {
      api.addComment({ author: ada });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');

      buttonNamed(comment, 'Delete')!.click();
      await settled(el);
      buttonNamed(dialogNamed(comment, 'Delete this comment?')!, 'Cancel')!.click();
      await settled(el);

      expect(dialogNamed(comment, 'Delete this comment?')).to.equal(null);
      expect(api.callsTo('deleteComment')).to.be.empty;
      expect(deepQueryAll(el, 'article')).to.have.length(1);
    });

    it('shows the failure inside the dialog', async () => {
      api.addComment({ author: ada });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');
      buttonNamed(comment, 'Delete')!.click();
      await settled(el);
      const dialog = dialogNamed(comment, 'Delete this comment?')!;
      api.failNext('deleteComment', serverError('network_error'));

      buttonNamed(dialog, 'Delete')!.click();

      await waitUntil(() => byRole(dialog, 'alert').length > 0, 'the error should show in the dialog');
      expect(readText(byRole(dialog, 'alert')[0])).to.equal("Can't reach the comments server.");
      expect(dialog.open).to.equal(true);
    });

    it('leaves "This comment was deleted." without an author when the comment has replies', async () => {
      const mine = api.addComment({ author: ada, body: 'Regrettable' });
      api.addComment({ author: grace, parentId: mine.id, body: 'Answer' });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Ada');

      buttonNamed(comment, 'Delete')!.click();
      await settled(el);
      const dialog = dialogNamed(comment, 'Delete this comment?')!;
      expect(readText(dialog.querySelector('p'))).to.equal('Its replies stay; it will show as deleted.');
      buttonNamed(dialog, 'Delete')!.click();
      await waitUntil(() => comment.shadowRoot!.querySelector('.deleted') !== null, 'the tombstone should show');
      await settled(el);

      const article = comment.shadowRoot!.querySelector('article')!;
      expect(article.getAttribute('aria-label')).to.equal('Deleted comment');
      expect(readText(article.querySelector('.deleted'))).to.equal('This comment was deleted.');
      expect(article.querySelector('.author')).to.equal(null);
      expect(readText(article)).not.to.include('Regrettable');
      expect(actionsOf(comment)).to.deep.equal([]);
      expect(deepQueryAll(el, 'article').map((a) => a.getAttribute('aria-label'))).to.deep.equal(['Deleted comment', 'Comment by Grace']);
    });
  });

  it(`says whom a reply answers once it is nested deeper than ${MAX_INDENT_DEPTH}`, async () => {
    const authors = [ada, grace, ada, grace, ada, grace];
    let parentId: string | null = null;
    for (const author of authors) parentId = api.addComment({ author, parentId }).id;
    const el = await renderWidget(api, realtime);

    const marks = deepQueryAll(el, 'article').map((a) => readText(a.querySelector('.replying-to')));
    // Depths 0..3 indent; depths 4 and 5 say whom they answer instead.
    expect(marks).to.deep.equal(['', '', '', '', 'replying to Grace', 'replying to Ada']);
    expect(deepQueryAll(el, '.replies.indent')).to.have.length(MAX_INDENT_DEPTH);
  });

  it(`offers no Reply on a reply at depth ${limits.maxDepth}, where the server takes no deeper one`, async () => {
    let parentId: string | null = null;
    for (let depth = 0; depth <= limits.maxDepth; depth++) parentId = api.addComment({ author: grace, parentId, body: `Depth ${depth}` }).id;
    api.seedSession(ada);
    const el = await renderWidget(api, realtime);

    const comments = deepQueryAll<ParleyComment>(el, 'parley-comment');
    expect(comments).to.have.length(limits.maxDepth + 1);
    expect(actionsOf(comments[limits.maxDepth - 1]!)).to.include('Reply');
    expect(actionsOf(comments[limits.maxDepth]!)).not.to.include('Reply');
    expect(actionsOf(comments[limits.maxDepth]!), 'the other actions stay').to.include('Report');
  });

  it('says under a top-level comment when the server left some of its replies out', async () => {
    const busy = api.addComment({ author: grace, body: 'Busy' });
    api.addComment({ author: ada, parentId: busy.id });
    const quiet = api.addComment({ author: ada, body: 'Quiet' });
    api.addComment({ author: grace, parentId: quiet.id });
    api.cutShort.add(busy.id);
    const el = await renderWidget(api, realtime);

    const notes = deepQueryAll(el, '[part="comment__more-replies"]');
    expect(notes.map(readText)).to.deep.equal(['Not every reply is shown: this conversation has more than can be loaded at once.']);
    expect((notes[0]!.getRootNode() as ShadowRoot).host).to.equal(commentLabelled(el, 'Comment by Grace'));
  });

  it('passes an accessibility audit with its actions, replies and the delete dialog open', async () => {
    const mine = api.addComment({ author: ada, body: 'Mine', editedAt: new Date().toISOString() });
    api.addComment({ author: grace, parentId: mine.id });
    api.seedSession(ada);
    const el = await renderWidget(api, realtime);
    const comment = commentLabelled(el, 'Comment by Ada');

    await expect(comment).to.be.accessible();

    buttonNamed(comment, 'Delete')!.click();
    await settled(el);
    await expect(comment).to.be.accessible();
  });
});

describe('<parley-comment> moderation and blocking', () => {
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

  const labels = (el: Element) => deepQueryAll(el, 'article').map((a) => a.getAttribute('aria-label'));
  const notice = (comment: ParleyComment) => readText(comment.shadowRoot!.querySelector('article > .notice'));

  describe('blocking', () => {
    /** Ada, signed in, opens the block dialog on Grace's first comment. */
    async function openBlock() {
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Grace');
      const opener = buttonsNamed(actionRow(comment), 'Block')[0]!;
      opener.click();
      await settled(el);
      return { el, comment, opener, dialog: dialogNamed(comment, 'Block Grace?')! };
    }

    it('asks in a dialog named "Block Grace?" that says what it does', async () => {
      api.addComment({ author: grace });
      const { dialog } = await openBlock();

      expect(dialog).to.exist;
      expect(readText(dialog.querySelector('p'))).to.equal("You won't see Grace's comments on this site. They won't be told.");
      expect(buttonsNamed(dialog, 'Block')).to.have.length(1);
      expect(deepActiveElement() === buttonNamed(dialog, 'Cancel'), 'Cancel has focus').to.equal(true);
    });

    it('collapses every comment and reply by the blocked user, and fires parley-user-blocked', async () => {
      const first = api.addComment({ author: grace, body: 'First by Grace' });
      api.addComment({ author: ada, parentId: first.id, body: 'Ada answers' });
      const second = api.addComment({ author: ada, body: 'Ada again' });
      api.addComment({ author: grace, parentId: second.id, body: 'Grace answers' });
      const { el, dialog } = await openBlock();

      const blocked = oneEvent<ParleyUserBlockedEvent>(el, 'parley-user-blocked');
      buttonNamed(dialog, 'Block')!.click();
      expect((await blocked).user).to.deep.equal({ id: grace.id, name: 'Grace' });
      await settled(el);

      expect(api.callsTo('blockUser').map((call) => call.body)).to.deep.equal([{ site: 'default', userId: grace.id }]);
      expect(dialog.open).to.equal(false);
      const collapsed = deepQueryAll(el, 'article .notice.blocked').map((p) => readText(p.querySelector('span')));
      expect(collapsed).to.deep.equal(['You blocked Grace.', 'You blocked Grace.']);
      expect(buttonsNamed(el, 'Show')).to.have.length(2);
      expect(readText(el.shadowRoot!.querySelector('parley-thread'))).not.to.include('Grace answers');
      const answers = deepQueryAll(el, 'article .body').map(readText);
      expect(answers, 'replies by others still show').to.deep.equal(['Ada answers', 'Ada again']);
      await waitUntil(() => deepActiveElement() === buttonsNamed(el, 'Show')[0], 'focus should go to Show');
    });

    it('collapses the blocked user’s comments that arrive live', async () => {
      api.addComment({ author: grace });
      const { el, dialog } = await openBlock();
      buttonNamed(dialog, 'Block')!.click();
      await waitUntil(() => buttonsNamed(el, 'Show').length === 1);

      realtime.push(api.publish({ author: grace, body: 'Live from Grace' }));
      await waitUntil(() => buttonsNamed(el, 'Show').length === 2, 'the live comment should collapse too');

      expect(readText(el.shadowRoot!.querySelector('parley-thread'))).not.to.include('Live from Grace');
    });

    it('shows one collapsed comment on Show', async () => {
      api.addComment({ author: grace, body: 'One' });
      api.addComment({ author: grace, body: 'Two' });
      const { el, dialog } = await openBlock();
      buttonNamed(dialog, 'Block')!.click();
      await waitUntil(() => buttonsNamed(el, 'Show').length === 2);

      buttonsNamed(el, 'Show')[1]!.click();
      await settled(el);

      expect(deepQueryAll(el, 'article .body').map(readText)).to.deep.equal(['Two']);
      expect(buttonsNamed(el, 'Show')).to.have.length(1);
      const revealed = (deepQueryAll(el, 'article .body')[0]!.getRootNode() as ShadowRoot).host as ParleyComment;
      expect(actionsOf(revealed), 'no second Block').to.deep.equal(['Reply', 'Report']);
    });

    it('keeps everything on Cancel and on Escape, and focus goes back to Block', async () => {
      api.addComment({ author: grace });
      const { el, dialog, opener } = await openBlock();

      buttonNamed(dialog, 'Cancel')!.click();
      await settled(el);
      expect(dialog.open).to.equal(false);
      await waitUntil(() => deepActiveElement() === opener, 'focus should go back to Block');

      opener.click();
      await settled(el);
      expect(dialog.open).to.equal(true);
      await press('Escape');
      await settled(el);
      expect(dialog.open).to.equal(false);
      await waitUntil(() => deepActiveElement() === opener, 'focus should go back to Block after Escape');

      expect(api.callsTo('blockUser')).to.be.empty;
      expect(buttonsNamed(el, 'Show')).to.be.empty;
    });

    it('collapses the blocked user in every widget of the page', async () => {
      api.addComment({ author: grace });
      const { el, dialog } = await openBlock();
      const other = await renderWidget(api, new FakeRealtime());
      expect(buttonsNamed(other, 'Show')).to.be.empty;

      buttonNamed(dialog, 'Block')!.click();
      await waitUntil(() => buttonsNamed(el, 'Show').length === 1);

      await waitUntil(() => buttonsNamed(other, 'Show').length === 1, 'the other widget should collapse Grace too');
    });

    it('collapses users blocked before, from the first paint', async () => {
      const token = api.seedSession(ada);
      await api.call('blockUser', { token, body: { site: 'default', userId: grace.id } });
      api.addComment({ author: grace });

      const el = await renderWidget(api, realtime);

      expect(buttonsNamed(el, 'Show')).to.have.length(1);
      expect(deepQueryAll(el, 'article .body')).to.be.empty;
    });

    it('passes an accessibility audit with a collapsed comment and the dialog open', async () => {
      api.addComment({ author: grace });
      api.addComment({ author: grace });
      const { el, comment, dialog } = await openBlock();

      await expect(comment).to.be.accessible();

      buttonNamed(dialog, 'Block')!.click();
      await waitUntil(() => buttonsNamed(el, 'Show').length === 2);
      await expect(el).to.be.accessible();
    });
  });

  describe('notices in place of a comment', () => {
    it('shows a comment a moderator removed, which has replies, as "Removed by a moderator."', async () => {
      const parent = api.addComment({ author: grace, body: 'Rude words' });
      api.addComment({ author: ada, parentId: parent.id });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);

      realtime.push(api.removeByModerator(parent.id));
      await waitUntil(() => labels(el)[0] === 'Removed comment', 'the comment should show as removed');
      await settled(el);

      const removed = commentLabelled(el, 'Removed comment');
      expect(notice(removed)).to.equal('Removed by a moderator.');
      expect(removed.shadowRoot!.querySelector('article .author')).to.equal(null);
      expect(readText(removed.shadowRoot!.querySelector('article'))).not.to.include('Rude words');
      expect(actionsOf(removed)).to.deep.equal([]);
      expect(labels(el)).to.deep.equal(['Removed comment', 'Comment by Ada']);
      expect(removed.shadowRoot!.querySelector('[role="group"]')?.getAttribute('aria-label')).to.equal('Replies to a removed comment');
    });

    it('takes out a comment removed without replies', async () => {
      const gone = api.addComment({ author: grace });
      const el = await renderWidget(api, realtime);

      realtime.push(api.removeByModerator(gone.id));

      await waitUntil(() => labels(el).length === 0, 'the comment should go');
    });

    it('shows someone else’s comment held for review, which has replies, as "This comment is awaiting review."', async () => {
      const parent = api.addComment({ author: grace, body: 'Reported a lot' });
      api.addComment({ author: ada, parentId: parent.id });
      const el = await renderWidget(api, realtime);

      realtime.push(api.holdByReports(parent.id));
      await waitUntil(() => labels(el)[0] === 'Comment awaiting review');
      await settled(el);

      const held = commentLabelled(el, 'Comment awaiting review');
      expect(notice(held)).to.equal('This comment is awaiting review.');
      expect(readText(held.shadowRoot!.querySelector('article'))).not.to.include('Reported a lot');
    });

    it('shows the reader their own held comment with its body, marked "Awaiting moderation", without Reply', async () => {
      api.addComment({ author: ada, body: 'Mine, held', status: 'pending' });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);

      const mine = commentLabelled(el, 'Comment by Ada');
      expect(readText(mine.shadowRoot!.querySelector('.body'))).to.equal('Mine, held');
      expect(readText(mine.shadowRoot!.querySelector('header .pending'))).to.equal('Awaiting moderation');
      expect(actionsOf(mine)).to.deep.equal(['Edit', 'Delete']);
    });

    it('shows nobody else a held comment without replies', async () => {
      api.addComment({ author: ada, body: 'Mine, held', status: 'pending' });
      api.seedSession(grace);
      const el = await renderWidget(api, realtime);

      expect(labels(el)).to.deep.equal([]);
    });
  });

  describe('pinning', () => {
    it('marks the pinned comment "Pinned" for everyone, first in the list', async () => {
      api.addComment({ author: ada, body: 'Older' });
      api.addComment({ author: grace, body: 'Pinned one', pinned: true });
      const el = await renderWidget(api, realtime);

      expect(deepQueryAll(el, 'article .body').map(readText)).to.deep.equal(['Pinned one', 'Older']);
      const pinned = commentLabelled(el, 'Comment by Grace');
      expect(readText(pinned.shadowRoot!.querySelector('header .pinned'))).to.equal('Pinned');
      expect(commentLabelled(el, 'Comment by Ada').shadowRoot!.querySelector('header .pinned')).to.equal(null);
      expect(actionsOf(pinned), 'no Pin for readers').to.deep.equal([]);
    });

    it('offers moderators Pin and Unpin on top-level comments only', async () => {
      const moderator = api.addUser({ name: 'Mo', email: 'mo@example.com', role: 'moderator' });
      api.addComment({ author: ada, body: 'First' });
      const second = api.addComment({ author: grace, body: 'Second' });
      api.addComment({ author: ada, parentId: second.id, body: 'A reply' });
      api.seedSession(moderator);
      const el = await renderWidget(api, realtime);
      const graces = commentLabelled(el, 'Comment by Grace');
      expect(actionsOf(graces)).to.deep.equal(['Reply', 'Report', 'Block', 'Pin']);
      const reply = deepQueryAll(graces, 'parley-comment')[0] as ParleyComment;
      expect(actionsOf(reply), 'no Pin on a reply').to.not.include('Pin');

      buttonNamed(actionRow(graces), 'Pin')!.click();
      await waitUntil(() => deepQueryAll(el, 'article .body').map(readText)[0] === 'Second', 'the pinned comment should go first');
      await settled(el);

      expect(api.callsTo('pinComment').map((call) => [call.params.id, call.body])).to.deep.equal([[second.id, { site: 'default', pinned: true }]]);
      expect(actionsOf(commentLabelled(el, 'Comment by Grace'))).to.include('Unpin');
      expect(readText(commentLabelled(el, 'Comment by Grace').shadowRoot!.querySelector('header .pinned'))).to.equal('Pinned');

      buttonNamed(actionRow(commentLabelled(el, 'Comment by Grace')), 'Unpin')!.click();
      await waitUntil(() => deepQueryAll(el, 'article .body').map(readText)[0] === 'First', 'the order should come back');
      expect(api.callsTo('pinComment').map((call) => call.body.pinned)).to.deep.equal([true, false]);
    });

    it('follows pins made elsewhere, live', async () => {
      api.addComment({ author: ada, body: 'First' });
      const second = api.addComment({ author: grace, body: 'Second' });
      const el = await renderWidget(api, realtime);

      realtime.push(...api.pinElsewhere(second.id, true));

      await waitUntil(() => deepQueryAll(el, 'article .body').map(readText)[0] === 'Second', 'the pinned comment should go first');
    });
  });

  describe('when the reader may not write', () => {
    it('offers a banned reader no Reply, Report or Edit; Block and Delete stay', async () => {
      const banned = api.addUser({ name: 'Bob', email: 'bob@example.com', ban: { reason: 'Spam', expiresAt: null } });
      api.addComment({ author: grace });
      api.addComment({ author: banned });
      api.seedSession(banned);
      const el = await renderWidget(api, realtime);

      expect(actionsOf(commentLabelled(el, 'Comment by Grace'))).to.deep.equal(['Block']);
      expect(actionsOf(commentLabelled(el, 'Comment by Bob'))).to.deep.equal(['Delete']);
    });

    it('offers no Reply while the page is locked, and again once it is unlocked, live', async () => {
      api.addComment({ author: grace });
      api.seedSession(ada);
      const el = await renderWidget(api, realtime);
      const comment = commentLabelled(el, 'Comment by Grace');

      realtime.push(api.lockElsewhere(true));
      await waitUntil(() => !actionsOf(comment).includes('Reply'), 'Reply should go');
      expect(actionsOf(comment)).to.deep.equal(['Report', 'Block']);

      realtime.push(api.lockElsewhere(false));
      await waitUntil(() => actionsOf(comment).includes('Reply'), 'Reply should come back');
    });
  });

  it('re-renders only the comments that a change of the thread concerns', async () => {
    const first = api.addComment({ author: grace, body: 'first' });
    const second = api.addComment({ author: ada, body: 'second' });
    const el = await renderWidget(api, realtime);
    const rendersOf = (comment: ParleyComment) => {
      let renders = 0;
      const updated = comment.updated.bind(comment);
      comment.updated = () => {
        renders += 1;
        updated();
      };
      return () => renders;
    };
    const firstRenders = rendersOf(commentLabelled(el, 'Comment by Grace'));
    const secondRenders = rendersOf(commentLabelled(el, 'Comment by Ada'));

    realtime.push(api.publish({ author: grace, body: 'third' }));
    await waitUntil(() => deepQueryAll(el, 'article').length === 3, 'the new comment should show');
    await settled(el);
    expect([firstRenders(), secondRenders()], 'another comment arrived').to.deep.equal([0, 0]);

    realtime.push(api.publish({ author: ada, body: 'a reply', parentId: first.id }));
    await waitUntil(() => deepQueryAll(el, 'article').length === 4, 'the reply should show');
    await settled(el);
    expect(firstRenders(), 'a reply to the first arrived').to.be.greaterThan(0);
    expect(secondRenders()).to.equal(0);

    realtime.push(api.editElsewhere(second.id, 'second, edited'));
    await waitUntil(() => secondRenders() > 0, 'the edited comment should re-render');
  });

  it('wraps each comment in an element with the id of its permalink', async () => {
    const parent = api.addComment({ author: grace });
    const reply = api.addComment({ author: ada, parentId: parent.id });
    const el = await renderWidget(api, realtime);

    expect(deepQueryAll(el, '.comment[id]').map((wrapper) => wrapper.id)).to.deep.equal([`parley-comment-${parent.id}`, `parley-comment-${reply.id}`]);
    expect(deepQueryAll(el, 'article').every((article) => article.getAttribute('tabindex') === '-1')).to.equal(true);
  });
});
