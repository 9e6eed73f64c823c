/**
 * `<parley-comments>` with what its first paint needs: the thread and its
 * comments. The rest comes from ./after-first-paint.ts, which the element
 * imports itself once the thread has loaded. `/embed.js` starts here.
 */
import { ParleyComments } from './parley-comments.component.js';
import '../thread/parley-thread.js';
import '../comment/parley-comment.js';

export { ParleyComments };
export { defaultPageKey } from './parley-comments.component.js';

if (!customElements.get('parley-comments')) customElements.define('parley-comments', ParleyComments);
