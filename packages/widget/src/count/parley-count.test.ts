import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { limits } from '@parley/protocol/client';
import { ApiError } from '../api/api-client.js';
import { buttonNamed, readRendered, textboxNamed, typeInto } from '../test-support/dom.js';
import { FakeApi, FakeRealtime } from '../test-support/fake-api.js';
import { renderWidget, settled } from '../test-support/widget.js';
import './parley-count.js';
import type { ParleyCount } from './parley-count.js';

/** What a reader sees of a count: its text once loaded, else its own content. */
function seen(el: ParleyCount): string {
  const shown = [...el.shadowRoot!.children].filter((node) => !(node instanceof HTMLStyleElement) && getComputedStyle(node).display !== 'none');
  return shown.map((node) => readRendered(node)).join('').trim();
}

/** Several counts on one host page, created in one task, as an article list's HTML makes them. */
async function articleList(api: FakeApi, pages: string[]): Promise<ParleyCount[]> {
  const list = await fixture<HTMLUListElement>(html`<ul>
    ${pages.map((page) => html`<li><a href="#"><parley-count site="default" page=${page} .api=${api}>Comments</parley-count></a></li>`)}
  </ul>`);
  const counts = [...list.querySelectorAll('parley-count')];
  await waitUntil(() => counts.every((el) => el.count !== null), 'every count should load');
  return counts;
}

describe('<parley-count>', () => {
  let api: FakeApi;
  let ada: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
  });

  it('says "No comments", "1 comment" and "12 comments" for the pages it names', async () => {
    api.addComment({ author: ada, page: '/one' });
    for (let n = 0; n < 12; n++) api.addComment({ author: ada, page: '/twelve' });

    const counts = await articleList(api, ['/none', '/one', '/twelve']);

    expect(counts.map(seen)).to.deep.equal(['No comments', '1 comment', '12 comments']);
    expect(counts.map((el) => el.count)).to.deep.equal([0, 1, 12]);
  });

  it('asks once for all the counts of a page, each page key once', async () => {
    api.addComment({ author: ada, page: '/b' });

    const counts = await articleList(api, ['/a', '/b', '/c', '/b', '/a']);

    expect(api.callsTo('getCommentCounts').map((call) => call.query)).to.deep.equal([{ site: 'default', page: ['/a', '/b', '/c'] }]);
    expect(counts.map(seen)).to.deep.equal(['No comments', '1 comment', 'No comments', '1 comment', 'No comments']);
  });

  it(`splits more than ${limits.countPagesMax} pages into requests of at most ${limits.countPagesMax}`, async () => {
    const pages = Array.from({ length: limits.countPagesMax + 5 }, (_, i) => `/article-${i}`);

    await articleList(api, pages);

    expect(api.callsTo('getCommentCounts').map((call) => (call.query.page as string[]).length)).to.deep.equal([limits.countPagesMax, 5]);
  });

  it('sends one request to the server, with the page parameter repeated, when given only `server`', async () => {
    const requests: string[] = [];
    const realFetch = window.fetch;
    window.fetch = async (input) => {
      requests.push(String(input));
      return new Response(JSON.stringify({ counts: { '/a': 3, '/b/c': 0 } }), { headers: { 'Content-Type': 'application/json' } });
    };
    try {
      const list = await fixture<HTMLElement>(html`<p>
        <parley-count server="http://parley.test" page="/a"></parley-count>
        <parley-count server="http://parley.test" page="/b/c"></parley-count>
      </p>`);
      const counts = [...list.querySelectorAll('parley-count')];
      await waitUntil(() => counts.every((el) => el.count !== null), 'both counts should load');

      expect(requests).to.deep.equal(['http://parley.test/api/counts?site=default&page=%2Fa&page=%2Fb%2Fc']);
      expect(counts.map(seen)).to.deep.equal(['3 comments', 'No comments']);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('shows its own content until the count arrives, and keeps it when the count cannot be loaded', async () => {
    const held = api.holdNext('getCommentCounts');
    const el = await fixture<ParleyCount>(html`<parley-count page="/a" .api=${api}>Comments</parley-count>`);
    await waitUntil(() => api.callsTo('getCommentCounts').length === 1, 'the count should be asked for');

    expect(seen(el)).to.equal('Comments');

    held.fail(new ApiError('network_error'));
    await new Promise((resolve) => setTimeout(resolve));
    expect(seen(el)).to.equal('Comments');
    expect(el.count).to.equal(null);
  });

  it("counts the page it stands on when `page` is empty: the canonical URL's path", async () => {
    const canonical = Object.assign(document.createElement('link'), { rel: 'canonical', href: 'https://news.example.com/2026/04/28/story' });
    document.head.append(canonical);
    try {
      api.addComment({ author: ada, page: '/2026/04/28/story' });
      const el = await fixture<ParleyCount>(html`<parley-count .api=${api}></parley-count>`);
      await waitUntil(() => el.count !== null, 'the count should load');

      expect(api.callsTo('getCommentCounts')[0]?.query.page).to.deep.equal(['/2026/04/28/story']);
      expect(seen(el)).to.equal('1 comment');
    } finally {
      canonical.remove();
    }
  });

  it('shows the new page’s count when `page` changes', async () => {
    api.addComment({ author: ada, page: '/b' });
    const [el] = await articleList(api, ['/a']);

    el!.setAttribute('page', '/b');

    await waitUntil(() => seen(el!) === '1 comment', 'the count of /b should show');
  });

  it('counts again, in one request for all counts, after the reader posts in the comments widget', async () => {
    api.seedSession(ada);
    const counts = await articleList(api, ['/p', '/other']);
    const widget = await renderWidget(api, new FakeRealtime());
    expect(seen(counts[0]!)).to.equal('No comments');

    typeInto(textboxNamed(widget, 'Comment')!, 'First!');
    await settled(widget);
    buttonNamed(widget, 'Post')!.click();

    await waitUntil(() => seen(counts[0]!) === '1 comment', 'the count should follow the new comment');
    expect(api.callsTo('getCommentCounts').slice(1).map((call) => call.query.page)).to.deep.equal([['/p', '/other']]);
  });

  it('counts again when the host page becomes visible', async () => {
    const [el] = await articleList(api, ['/a']);
    api.addComment({ author: ada, page: '/a' });

    document.dispatchEvent(new Event('visibilitychange'));

    await waitUntil(() => seen(el!) === '1 comment', 'the count should be read again');
  });

  it('stops listening once removed from the page', async () => {
    const [el] = await articleList(api, ['/a']);
    el!.remove();

    document.dispatchEvent(new Event('visibilitychange'));
    await new Promise((resolve) => setTimeout(resolve));

    expect(api.callsTo('getCommentCounts')).to.have.length(1);
  });

  it('passes an accessibility audit inside a link', async () => {
    api.addComment({ author: ada, page: '/a' });
    const [el] = await articleList(api, ['/a']);

    await expect(el!.closest('ul')).to.be.accessible();
  });
});
