import { ParleyThread } from './parley-thread.component.js';

export { ParleyThread };
export { COMMENTS_PER_TURN } from './parley-thread.component.js';
export { RenderPacer } from './render-pacer.js';

if (!customElements.get('parley-thread')) customElements.define('parley-thread', ParleyThread);

declare global {
  interface HTMLElementTagNameMap {
    'parley-thread': ParleyThread;
  }
}
