import type { ThreadState } from './thread-state.js';

/** A comment's permalink on the host page: `#parley-comment-ID`. */
const PERMALINK = /^#parley-comment-([1-9][0-9]{0,15})$/;

/**
 * Brings comment `id` into view: loads more pages until it is in the thread
 * or there are none left, then highlights it and makes it the thread's
 * target (the comment's element scrolls to it and takes focus). Resolves
 * whether it was found.
 */
export async function locateComment(thread: ThreadState, id: string): Promise<boolean> {
  if (thread.status !== 'ready') return false;
  while (!thread.get(id) && thread.nextCursor) {
    await thread.loadMore();
    if (thread.loadMoreError) break;
  }
  if (!thread.get(id)) return false;
  thread.focusOn(id);
  return true;
}

/**
 * Follows the host page's hash: when it is a comment's permalink, now and on
 * every `hashchange`, brings that comment into view. Returns the function
 * that stops following. The script-tag bundle loads this after the first
 * paint: a permalink is followed once the thread has painted anyway.
 */
export function followPermalinks(thread: ThreadState): () => void {
  const follow = () => {
    const id = PERMALINK.exec(location.hash)?.[1];
    if (id) void locateComment(thread, id);
  };
  globalThis.addEventListener('hashchange', follow);
  follow();
  return () => globalThis.removeEventListener('hashchange', follow);
}
