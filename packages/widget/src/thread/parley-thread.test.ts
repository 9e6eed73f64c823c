import { expect, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { buttonNamed, byRole, deepQueryAll, readText } from '../test-support/dom.js';
import { FakeApi, FakeRealtime, serverError } from '../test-support/fake-api.js';
import { renderWidget, settled } from '../test-support/widget.js';

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

  it('passes an accessibility audit', async () => {
    for (let n = 1; n <= 21; n++) api.addComment({ author: ada });
    const el = await renderWidget(api, realtime);

    await expect(thread(el)).to.be.accessible();
  });
});
