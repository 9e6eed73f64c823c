import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import type { ParleyBeforePostEvent, ParleyCommentPostedEvent } from '../events.js';
import { buttonNamed, byRole, deepQueryAll, press, readText, textboxNamed, typeInto } from '../test-support/dom.js';
import { FakeApi, FakeRealtime, serverError } from '../test-support/fake-api.js';
import { rateLimitedError } from '../test-support/rate-limited.js';
import { renderWidget, settled } from '../test-support/widget.js';
import type { ParleyComposer } from './parley-composer.js';

describe('<parley-composer>', () => {
  let api: FakeApi;
  let ada: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
    api.seedSession(ada);
  });

  /** The signed-in widget and its top-level composer. */
  async function renderComposer() {
    const widget = await renderWidget(api, new FakeRealtime());
    const composer = widget.shadowRoot!.querySelector<ParleyComposer>('parley-composer')!;
    return {
      widget,
      composer,
      box: () => textboxNamed(composer, 'Comment')!,
      post: () => buttonNamed(composer, 'Post')!,
    };
  }

  it('disables Post while the text is empty or only spaces', async () => {
    const { composer, box, post } = await renderComposer();
    expect(post().disabled).to.equal(true);

    typeInto(box(), '   ');
    await settled(composer);
    expect(post().disabled).to.equal(true);

    typeInto(box(), 'Hello');
    await settled(composer);
    expect(post().disabled).to.equal(false);
  });

  it('disables the text box and Post while sending, then clears the text', async () => {
    const { widget, composer, box, post } = await renderComposer();
    const held = api.holdNext('createComment');
    typeInto(box(), 'Hello');
    await settled(composer);

    post().click();
    await settled(composer);

    expect(post().disabled).to.equal(true);
    expect(post().getAttribute('aria-busy')).to.equal('true');
    expect(box().disabled).to.equal(true);

    held.release();
    await waitUntil(() => deepQueryAll(widget, 'article').length === 1, 'the comment should appear');
    await settled(composer);
    expect(box().value).to.equal('');
    expect(box().disabled).to.equal(false);
    expect(post().disabled, 'empty again').to.equal(true);
  });

  it('posts the trimmed text and fires parley-comment-posted with the new comment', async () => {
    const { widget, composer, box, post } = await renderComposer();
    typeInto(box(), '  Hello there  ');
    await settled(composer);

    const posted = oneEvent<ParleyCommentPostedEvent>(composer, 'parley-comment-posted');
    post().click();
    const { comment } = await posted;

    expect(comment.html).to.equal('<p>Hello there</p>');
    expect(comment.author).to.deep.equal({ id: ada.id, name: 'Ada' });
    expect(api.callsTo('createComment')[0]?.body).to.include({ site: 'default', page: '/p', parentId: null, body: 'Hello there' });
    await settled(widget);
    expect(readText(widget.shadowRoot!.querySelector('h2'))).to.equal('Comments 1');
  });

  it('posts on Ctrl+Enter, and Enter alone only starts a new line', async () => {
    const { composer, box } = await renderComposer();
    typeInto(box(), 'Line one');
    await settled(composer);

    await press('Enter');
    await settled(composer);
    expect(api.callsTo('createComment')).to.be.empty;

    await press('Enter', 'Control');

    await waitUntil(() => api.callsTo('createComment').length === 1, 'Ctrl+Enter should post');
    expect(api.callsTo('createComment')[0]?.body.body).to.equal('Line one');
  });

  it('fires a cancelable parley-before-post, and posts nothing when the host cancels it', async () => {
    const { widget, composer, box, post } = await renderComposer();
    typeInto(box(), 'Needs a second look');
    await settled(composer);
    const beforePost = oneEvent<ParleyBeforePostEvent>(widget, 'parley-before-post');
    widget.addEventListener('parley-before-post', (event) => event.preventDefault(), { once: true });

    post().click();
    const event = await beforePost;
    await settled(composer);

    expect([event.body, event.parentId, event.cancelable]).to.deep.equal(['Needs a second look', null, true]);
    expect(api.callsTo('createComment')).to.be.empty;
    expect(box().value).to.equal('Needs a second look');
    expect(post().disabled).to.equal(false);
  });

  it('keeps the text and shows the reason when posting fails', async () => {
    const { composer, box, post } = await renderComposer();
    typeInto(box(), 'Try this');
    await settled(composer);
    api.failNext('createComment', serverError('rate_limited'));

    post().click();

    await waitUntil(() => byRole(composer, 'alert').length === 1, 'the error should show');
    await settled(composer);
    expect(readText(byRole(composer, 'alert')[0])).to.equal('Too many attempts. Please wait a moment and try again.');
    expect(box().value).to.equal('Try this');
    expect(box().getAttribute('aria-invalid')).to.equal('true');
    expect(post().disabled).to.equal(false);

    typeInto(box(), 'Try this again');
    await settled(composer);
    expect(byRole(composer, 'alert'), 'typing clears the error').to.be.empty;
  });

  it("shows the server's message when posting too fast, saying when to try again", async () => {
    const { composer, box, post } = await renderComposer();
    typeInto(box(), 'One more thought');
    await settled(composer);
    api.failNext('createComment', await rateLimitedError("You're posting too fast. Try again in 30 seconds.", 30, 'createComment'));

    post().click();

    await waitUntil(() => byRole(composer, 'alert').length === 1, 'the error should show');
    expect(readText(byRole(composer, 'alert')[0])).to.equal("You're posting too fast. Try again in 30 seconds.");
    expect(box().value, 'the text is kept for later').to.equal('One more thought');
  });

  it('refuses text over the limit before sending it', async () => {
    const { composer, box, post } = await renderComposer();

    typeInto(box(), 'x'.repeat(9_600));
    await settled(composer);
    expect(readText(composer.shadowRoot!.querySelector('.remaining'))).to.equal('400 characters left');

    typeInto(box(), 'x'.repeat(10_001));
    await settled(composer);
    post().click();
    await settled(composer);

    expect(readText(byRole(composer, 'alert')[0])).to.equal('Comments can be at most 10,000 characters.');
    expect(api.callsTo('createComment')).to.be.empty;
  });

  it('keeps an unsent draft when the widget is created again, and drops it once posted', async () => {
    const first = await renderComposer();
    typeInto(first.box(), 'Half a thought');
    first.widget.remove();

    const second = await renderComposer();
    expect(second.box().value).to.equal('Half a thought');
    expect(second.post().disabled).to.equal(false);

    second.post().click();
    await waitUntil(() => deepQueryAll(second.widget, 'article').length === 1, 'the draft should be posted');
    second.widget.remove();

    const third = await renderComposer();
    expect(third.box().value).to.equal('');
  });

  it('passes an accessibility audit, also while showing an error', async () => {
    const { composer, box, post } = await renderComposer();
    await expect(composer).to.be.accessible();

    typeInto(box(), 'Try this');
    await settled(composer);
    api.failNext('createComment', serverError('network_error'));
    post().click();
    await waitUntil(() => byRole(composer, 'alert').length === 1);

    await expect(composer).to.be.accessible();
  });
});
