import { ParleyCommentActions } from './parley-comment-actions.component.js';
import '../composer/parley-composer.js';
import '../report-dialog/parley-report-dialog.js';

export { ParleyCommentActions };
export type { CommentShown } from './parley-comment-actions.component.js';

if (!customElements.get('parley-comment-actions')) customElements.define('parley-comment-actions', ParleyCommentActions);

declare global {
  interface HTMLElementTagNameMap {
    'parley-comment-actions': ParleyCommentActions;
  }
}
