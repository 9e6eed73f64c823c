import { ParleyAuditLog } from './parley-audit-log.component.js';

export { ParleyAuditLog };

if (!customElements.get('parley-audit-log')) customElements.define('parley-audit-log', ParleyAuditLog);

declare global {
  interface HTMLElementTagNameMap {
    'parley-audit-log': ParleyAuditLog;
  }
}
