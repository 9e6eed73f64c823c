import { ParleyCount } from './parley-count.component.js';

export { ParleyCount };

if (!customElements.get('parley-count')) customElements.define('parley-count', ParleyCount);

declare global {
  interface HTMLElementTagNameMap {
    'parley-count': ParleyCount;
  }
}
