/**
 * What `<parley-comments>` needs only once the thread has painted: the
 * sign-in prompt, the composer, the account panel, the report dialog, each
 * comment's actions and live updates. The widget imports this module after its first load; in the
 * script-tag bundle that is a separate chunk, fetched then, so the first
 * paint downloads only the thread view (docs/performance.md). Until it
 * arrives, the elements below are undefined tags that upgrade in place.
 */
import '../composer/parley-composer.js';
import '../sign-in/parley-sign-in.js';
import '../account/parley-account.js';
import '../report-dialog/parley-report-dialog.js';
import '../comment-actions/parley-comment-actions.js';

export { SocketRealtime } from '../api/realtime.js';
export { ParleySignOutEvent } from '../events.js';
export { followPermalinks } from '../state/permalinks.js';
export { signOut } from '../state/session-actions.js';
