/**
 * Parley's web components. Importing this module defines every element and
 * exports their classes, the API client and the typed events.
 */
export { ParleyComments, defaultPageKey } from './comments/parley-comments.js';
export { ParleyThread, COMMENTS_PER_TURN, RenderPacer } from './thread/parley-thread.js';
export { ParleyComment, MAX_INDENT_DEPTH, COMMENT_PARTS } from './comment/parley-comment.js';
export { ParleyCommentActions } from './comment-actions/parley-comment-actions.js';
export { ParleyComposer } from './composer/parley-composer.js';
export { ParleySignIn } from './sign-in/parley-sign-in.js';
export { ParleyReportDialog } from './report-dialog/parley-report-dialog.js';
export { ParleyAccount } from './account/parley-account.js';
export { ParleyCount } from './count/parley-count.js';
export * from './admin/parley-admin.js';
export { HttpApi, ApiError, type ParleyApi, type CallInput } from './api/api-client.js';
export { SocketRealtime, type RealtimeClient, type PageSubscription, type ConnectionStatus } from './api/realtime.js';
export { SessionState } from './state/session-state.js';
export { ThreadState, type ThreadOptions } from './state/thread-state.js';
export { postComment, editComment, deleteComment, reportComment, pinComment, commentSource } from './state/thread-writes.js';
export { locateComment, followPermalinks } from './state/permalinks.js';
export { signIn, signUp, signOut, blockUser, unblockUser, changePassword, deleteAccount } from './state/session-actions.js';
export { apiContext, sessionContext, threadContext } from './context.js';
export * from './events.js';
