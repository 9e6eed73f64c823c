export { commentLink } from '../lib/permalink.js';
import type { PageRef, PublicUser } from '@parley/protocol';

/** The name a moderator sees for an author, also for a deleted account. */
export function authorName(author: PublicUser | null): string {
  return author?.name ?? 'a deleted account';
}

/** What a page is called: its title, else its key. */
export function pageName(page: PageRef): string {
  return page.title?.trim() || page.key;
}

/**
 * The page key for what a moderator typed: a full URL becomes its path, the
 * way the comments widget keys pages by default.
 */
export function toPageKey(typed: string): string {
  const text = typed.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      return new URL(text).pathname;
    } catch {
      return text;
    }
  }
  return text;
}
