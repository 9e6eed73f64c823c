import { ParleyQueueItem } from './parley-queue-item.component.js';

export { ParleyQueueItem };

if (!customElements.get('parley-queue-item')) customElements.define('parley-queue-item', ParleyQueueItem);

declare global {
  interface HTMLElementTagNameMap {
    'parley-queue-item': ParleyQueueItem;
  }
}
