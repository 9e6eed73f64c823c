import { ParleyAccount } from './parley-account.component.js';

export { ParleyAccount };

if (!customElements.get('parley-account')) customElements.define('parley-account', ParleyAccount);

declare global {
  interface HTMLElementTagNameMap {
    'parley-account': ParleyAccount;
  }
}
