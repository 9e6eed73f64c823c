import type { Comment, ReportReason } from '@parley/protocol';
import { ApiError } from '../api/api-client.js';
import type { ThreadState } from './thread-state.js';

/*
 * What the reader writes to a thread: posts, edits, deletions, reports and
 * pins. Functions of their own, not ThreadState methods, so that a thread
 * paints without them: the script-tag bundle loads them with the composer
 * and the comment actions, after the first paint.
 */

/** Posts a comment (or, with `parentId`, a reply) as the reader; it shows at once, marked if held for review. */
export async function postComment(thread: ThreadState, body: string, parentId: string | null): Promise<Comment> {
  const { pageUrl, pageTitle } = thread.options;
  const { comment, count, seq } = await asReader(thread, (token) =>
    thread.options.api.call('createComment', {
      token,
      body: {
        site: thread.site,
        page: thread.page,
        parentId,
        body,
        ...(pageUrl ? { pageUrl } : {}),
        ...(pageTitle ? { pageTitle } : {}),
      },
    }),
  );
  return thread.acceptOwn(comment, count, seq);
}

/** Saves the reader's edit of their comment. */
export async function editComment(thread: ThreadState, id: string, body: string): Promise<Comment> {
  const { comment, count, seq } = await asReader(thread, (token) =>
    thread.options.api.call('updateComment', { token, params: { id }, query: { site: thread.site }, body: { body } }),
  );
  return thread.acceptOwn(comment, count, seq);
}

/** Reports someone else's comment to the site's moderators. */
export async function reportComment(thread: ThreadState, id: string, reason: ReportReason, details: string): Promise<void> {
  await asReader(thread, (token) =>
    thread.options.api.call('reportComment', { token, params: { id }, body: { site: thread.site, reason, ...(details ? { details } : {}) } }),
  );
}

/** Pins a top-level comment to the top of the page, or unpins it (moderators only). */
export async function pinComment(thread: ThreadState, id: string, pinned: boolean): Promise<void> {
  const { comment } = await asReader(thread, (token) =>
    thread.options.api.call('pinComment', { token, params: { id }, body: { site: thread.site, pinned } }),
  );
  thread.acceptPin(comment);
}

/** Deletes the reader's comment: gone, or "deleted" in place when it has replies. */
export async function deleteComment(thread: ThreadState, id: string): Promise<void> {
  const { mode, count, seq } = await asReader(thread, (token) =>
    thread.options.api.call('deleteComment', { token, params: { id }, query: { site: thread.site } }),
  );
  thread.acceptDeletion(id, mode, count, seq);
}

/** The markdown source of a comment, for editing. */
export async function commentSource(thread: ThreadState, id: string): Promise<string> {
  const known = thread.sources.get(id);
  if (known !== undefined) return known;
  const { comment } = await thread.options.api.call('getComment', { params: { id }, query: { site: thread.site } });
  thread.sources.set(id, comment.source);
  return comment.source;
}

/**
 * Calls the API as the signed-in reader. Some refusals say the reader's
 * standing or the page changed: the thread shows that, not just the error.
 */
async function asReader<T>(thread: ThreadState, call: (token: string) => Promise<T>): Promise<T> {
  const session = thread.options.session;
  const token = session.token;
  if (!token) throw new ApiError('unauthenticated');
  try {
    return await call(token);
  } catch (error) {
    if (error instanceof ApiError) {
      if (error.code === 'unauthenticated') session.expire();
      // The ban itself (reason, end date) comes with the reader's profile.
      if (error.code === 'user_banned') void session.refresh();
      if (error.code === 'page_locked') thread.markLocked();
    }
    throw error;
  }
}
