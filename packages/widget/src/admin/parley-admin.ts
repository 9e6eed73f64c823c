import { ParleyAdmin } from './parley-admin.component.js';
import './queue-item/parley-queue-item.js';
import './remove-dialog/parley-remove-dialog.js';
import './ban-dialog/parley-ban-dialog.js';
import './audit-log/parley-audit-log.js';
import './site-settings/parley-site-settings.js';
import '../sign-in/parley-sign-in.js';

export { ParleyAdmin };
export { ParleyModeratedEvent, ParleyUserBannedEvent, ParleyUserUnbannedEvent, ParleySettingsSavedEvent } from './admin-events.js';
export { SocketModerationRealtime, type ModerationRealtime, type ModerationSubscription, type JoinRefusal } from './moderation-realtime.js';

if (!customElements.get('parley-admin')) customElements.define('parley-admin', ParleyAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'parley-admin': ParleyAdmin;
  }
}
