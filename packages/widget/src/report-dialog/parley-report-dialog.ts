import { ParleyReportDialog } from './parley-report-dialog.component.js';

export { ParleyReportDialog };

if (!customElements.get('parley-report-dialog')) customElements.define('parley-report-dialog', ParleyReportDialog);

declare global {
  interface HTMLElementTagNameMap {
    'parley-report-dialog': ParleyReportDialog;
  }
}
