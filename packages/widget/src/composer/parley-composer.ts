import { ParleyComposer } from './parley-composer.component.js';

export { ParleyComposer };

if (!customElements.get('parley-composer')) customElements.define('parley-composer', ParleyComposer);

declare global {
  interface HTMLElementTagNameMap {
    'parley-composer': ParleyComposer;
  }
}
