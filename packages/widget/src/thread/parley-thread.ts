import { ParleyThread } from './parley-thread.component.js';

export { ParleyThread };

if (!customElements.get('parley-thread')) customElements.define('parley-thread', ParleyThread);

declare global {
  interface HTMLElementTagNameMap {
    'parley-thread': ParleyThread;
  }
}
