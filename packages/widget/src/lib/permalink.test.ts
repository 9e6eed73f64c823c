import { expect } from '@open-wc/testing';
import { commentLink } from './permalink.js';

describe('commentLink', () => {
  it("links to the page's URL with the comment's fragment", () => {
    expect(commentLink({ key: '/a', url: 'https://blog.example/a#top', title: null }, '7')).to.equal(
      'https://blog.example/a#parley-comment-7',
    );
  });

  it('falls back to the key when it is a path on this site', () => {
    expect(commentLink({ key: '/posts/one', url: null, title: null }, '7')).to.equal('/posts/one#parley-comment-7');
  });

  it('gives no link for a key that a browser would read as another host, or that is no path', () => {
    for (const key of ['//evil.example/x', '/\\evil.example/x', 'javascript:alert(1)', 'posts/one']) {
      expect(commentLink({ key, url: null, title: null }, '7'), key).to.equal(null);
    }
  });
});
