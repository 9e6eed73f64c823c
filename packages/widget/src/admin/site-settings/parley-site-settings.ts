import { ParleySiteSettings } from './parley-site-settings.component.js';

export { ParleySiteSettings };

if (!customElements.get('parley-site-settings')) customElements.define('parley-site-settings', ParleySiteSettings);

declare global {
  interface HTMLElementTagNameMap {
    'parley-site-settings': ParleySiteSettings;
  }
}
