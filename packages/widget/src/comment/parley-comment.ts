import { ParleyComment } from './parley-comment.component.js';

export { ParleyComment };
export { MAX_INDENT_DEPTH, COMMENT_PARTS } from './parley-comment.component.js';

if (!customElements.get('parley-comment')) customElements.define('parley-comment', ParleyComment);

declare global {
  interface HTMLElementTagNameMap {
    'parley-comment': ParleyComment;
  }
}
