import { ParleySignIn } from './parley-sign-in.component.js';

export { ParleySignIn };

if (!customElements.get('parley-sign-in')) customElements.define('parley-sign-in', ParleySignIn);

declare global {
  interface HTMLElementTagNameMap {
    'parley-sign-in': ParleySignIn;
  }
}
