import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import type { ParleyComments } from '../comments/parley-comments.js';
import { buttonNamed, byRole, deepQueryAll, readText } from '../test-support/dom.js';
import { FakeApi, FakeRealtime, serverError } from '../test-support/fake-api.js';
import { renderWidget, settled } from '../test-support/widget.js';
import { COMMENTS_PER_TURN } from './parley-thread.component.js';

const thread = (el: Element) => el.shadowRoot!.querySelector('parley-thread')!;
const bodies = (el: Element) => deepQueryAll(el, 'article').map((a) => readText(a.querySelector('.body')));

describe('<parley-thread>', () => {
  let api: FakeApi;
  let realtime: FakeRealtime;
  let ada: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    realtime = new FakeRealtime();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
  });

  it('lists top-level comments in the chosen order, each followed by its replies', async () => {
    const first = api.addComment({ author: ada, body: 'first' });
    api.addComment({ author: ada, body: 'second' });
    api.addComment({ author: ada, body: 'reply to first', parentId: first.id });

    const oldest = await renderWidget(api, realtime, { sort: 'oldest' });
    expect(bodies(oldest)).to.deep.equal(['first', 'reply to first', 'second']);

    const newest = await renderWidget(api, new FakeRealtime(), { sort: 'newest' });
    expect(bodies(newest)).to.deep.equal(['second', 'first', 'reply to first']);
  });

  it('offers "Load more comments" while there are more, and loads the next page', async () => {
    for (let n = 1; n <= 25; n++) api.addComment({ author: ada, body: `comment ${n}` });
    const el = await renderWidget(api, realtime);
    expect(deepQueryAll(el, 'article')).to.have.length(20);

    buttonNamed(el, 'Load more comments')!.click();

    await waitUntil(() => deepQueryAll(el, 'article').length === 25, 'the second page should be added');
    await settled(el);
    expect(api.callsTo('listComments')[1]?.query.cursor).to.equal('20');
    expect(bodies(el).slice(19, 21)).to.deep.equal(['comment 20', 'comment 21']);
    expect(buttonNamed(el, 'Load more comments'), 'no more pages').to.equal(null);
  });

  it('disables the button while the next page loads and says why when it fails', async () => {
    for (let n = 1; n <= 21; n++) api.addComment({ author: ada });
    const el = await renderWidget(api, realtime);
    const held = api.holdNext('listComments');

    buttonNamed(el, 'Load more comments')!.click();
    await settled(el);

    const loading = buttonNamed(el, 'Loading…')!;
    expect(loading.disabled).to.equal(true);

    held.fail(serverError('network_error'));
    await waitUntil(() => buttonNamed(el, 'Load more comments') !== null, 'the button should come back');
    await settled(el);
    expect(byRole(thread(el), 'alert').map(readText)).to.deep.equal(["Can't reach the comments server."]);
    expect(deepQueryAll(el, 'article')).to.have.length(20);
  });

  it(`renders a page of more than ${COMMENTS_PER_TURN} comments over a few frames, and all of them in order in the end`, async () => {
    const expected: string[] = [];
    const repliesEach = Math.ceil((2 * COMMENTS_PER_TURN) / 20);
    for (let n = 1; n <= 20; n++) {
      const top = api.addComment({ author: ada, body: `comment ${n}` });
      expected.push(`comment ${n}`);
      for (let r = 1; r <= repliesEach; r++) {
        api.addComment({ author: ada, body: `reply ${n}.${r}`, parentId: top.id });
        expected.push(`reply ${n}.${r}`);
      }
    }
    const held = api.holdNext('listComments');
    const el = await fixture<ParleyComments>(
      html`<parley-comments site="default" page="/p" sort="oldest" .api=${api} .realtime=${realtime}></parley-comments>`,
    );

    await settled(el);
    // Right after the page arrives (a DOM change is observed in a microtask, before any frame), only what one turn renders shows.
    const arrived = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(thread(el).shadowRoot!, { childList: true, subtree: true });
    });
    held.release();
    await arrived;
    await settled(el);
    expect(deepQueryAll(el, 'article').length, 'before the next frame').to.be.within(1, COMMENTS_PER_TURN);

    await waitUntil(() => deepQueryAll(el, 'article').length === expected.length, 'every comment of the page should show');
    expect(bodies(el)).to.deep.equal(expected);
  });

  it('passes an accessibility audit', async () => {
    for (let n = 1; n <= 21; n++) api.addComment({ author: ada });
    const el = await renderWidget(api, realtime);

    await expect(thread(el)).to.be.accessible();
  });
});
