import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { ApiError } from '../api/api-client.js';
import type { ParleyCommentDeletedEvent, ParleyCommentEditedEvent, ParleyCommentPostedEvent } from '../events.js';
import {
  buttonNamed,
  buttonsNamed,
  byRole,
  deepActiveElement,
  deepQueryAll,
  dialogNamed,
  readText,
  textboxNamed,
  typeInto,
} from '../test-support/dom.js';
import { FakeApi, FakeRealtime } from '../test-support/fake-api.js';
import { renderWidget, settled } from '../test-support/widget.js';
import { MAX_INDENT_DEPTH, type ParleyComment } from './parley-comment.js';

/** The `<parley-comment>` whose article is labelled `label`, e.g. "Comment by Ada". */
function commentLabelled(root: Element, label: string): ParleyComment {
  const article = deepQueryAll(root, 'article').find((a) => a.getAttribute('aria-label') === label);
  if (!article) throw new Error(`no article labelled "${label}"`);
  return (article.getRootNode() as ShadowRoot).host as ParleyComment;
}

/** Buttons of one comment's own action row, not those of its replies. */
function actionsOf(comment: ParleyComment): string[] {
  return [...comment.shadowRoot!.querySelectorAll('article > .actions button')].map(readText);
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
      comments: [{ id: '1', parentId: null, author: { id: grace.id, name: 'Grace' }, html: '<p>Hello <strong>world</strong></p>', status: 'published' as const, createdAt: createdAt.toISOString(), editedAt: null }],
      count: 1,
      nextCursor: null,
      seq: 1,
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
    expect(actionsOf(commentLabelled(signedIn, 'Comment by Grace'))).to.deep.equal(['Reply']);
  });

  it('offers Edit and Delete only on the reader’s own comments', async () => {
    api.addComment({ author: ada, body: 'mine' });
    api.addComment({ author: grace, body: 'theirs' });
    api.seedSession(ada);
    const el = await renderWidget(api, realtime);

    expect(actionsOf(commentLabelled(el, 'Comment by Ada'))).to.deep.equal(['Reply', 'Edit', 'Delete']);
    expect(actionsOf(commentLabelled(el, 'Comment by Grace'))).to.deep.equal(['Reply']);
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
      api.failNext('updateComment', new ApiError('forbidden'));

      buttonNamed(comment, 'Save')!.click();

      await waitUntil(() => byRole(comment, 'alert').length > 0, 'the error should show');
      expect(readText(byRole(comment, 'alert')[0])).to.equal('You are not allowed to do that.');
      expect(textboxNamed(comment, 'Edit comment')?.value).to.equal('Better draft');
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
      api.failNext('deleteComment', new ApiError('network_error'));

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
