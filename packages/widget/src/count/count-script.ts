/**
 * The script-tag entry for article lists, built as `count.js`. A site owner
 * pastes
 *
 *   <script src="https://comments.example.com/count.js" data-site="default" async></script>
 *
 * once, and `<parley-count page="/2026/04/28/story">` wherever a count should
 * show. The elements' server defaults to the script's own origin and their
 * site to `data-site`; their own attributes win.
 */
import { ParleyCount } from './parley-count.component.js';

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  // Loaded some other way (a module, a tag manager): find the tag by its file name.
  return document.querySelector<HTMLScriptElement>('script[src*="/count.js"]');
}

const script = findScript();
const server = script ? new URL(script.src, document.baseURI).origin : '';
const site = script?.dataset.site;

/** `<parley-count>` with the script's server and site as defaults, which attributes then override. */
class ParleyCountFromScript extends ParleyCount {
  constructor() {
    super();
    this.server = server;
    if (site) this.site = site;
  }
}

if (!customElements.get('parley-count')) customElements.define('parley-count', ParleyCountFromScript);
