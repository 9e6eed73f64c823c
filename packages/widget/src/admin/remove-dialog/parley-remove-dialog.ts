import { ParleyRemoveDialog } from './parley-remove-dialog.component.js';

export { ParleyRemoveDialog };

if (!customElements.get('parley-remove-dialog')) customElements.define('parley-remove-dialog', ParleyRemoveDialog);

declare global {
  interface HTMLElementTagNameMap {
    'parley-remove-dialog': ParleyRemoveDialog;
  }
}
