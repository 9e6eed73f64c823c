import type { PageRef } from '@parley/protocol';

/**
 * Where a comment can be seen on the host site: its page's URL, or its key
 * when the key is a path on this site, with the `#parley-comment-ID` fragment.
 * A key like `//other.example/x` is a path only in name (a browser reads it as
 * another host), so it gets no link.
 */
export function commentLink(page: PageRef, commentId: string): string | null {
  const sitePath = /^\/(?![/\\])/.test(page.key) ? page.key : null;
  const base = page.url ?? sitePath;
  return base === null ? null : `${base.split('#')[0]}#parley-comment-${commentId}`;
}
