import { ParleyComments } from './parley-comments.component.js';
import '../thread/parley-thread.js';
import '../comment/parley-comment.js';
import '../composer/parley-composer.js';
import '../sign-in/parley-sign-in.js';
import '../account/parley-account.js';

export { ParleyComments };
export { defaultPageKey } from './parley-comments.component.js';

if (!customElements.get('parley-comments')) customElements.define('parley-comments', ParleyComments);

declare global {
  interface HTMLElementTagNameMap {
    'parley-comments': ParleyComments;
  }
}
