import { ParleyBanDialog } from './parley-ban-dialog.component.js';

export { ParleyBanDialog };

if (!customElements.get('parley-ban-dialog')) customElements.define('parley-ban-dialog', ParleyBanDialog);

declare global {
  interface HTMLElementTagNameMap {
    'parley-ban-dialog': ParleyBanDialog;
  }
}
