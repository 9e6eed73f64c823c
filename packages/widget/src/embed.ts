/**
 * The script-tag entry. A site owner pastes
 *
 *   <script src="https://comments.example.com/embed.js" data-site="default" async></script>
 *
 * and the widget mounts where the tag stands, or inside the element named by
 * `data-target` (a CSS selector). The server is the script's own origin.
 */
import './comments/first-paint.js';

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  // Loaded some other way (a module, a tag manager): find the tag by its file name.
  return document.querySelector<HTMLScriptElement>('script[src*="/embed.js"]:not([data-parley-mounted])');
}

function mount(script: HTMLScriptElement): void {
  script.dataset.parleyMounted = '';
  const widget = document.createElement('parley-comments');
  widget.server = new URL(script.src, document.baseURI).origin;
  const { site, page, sort, target } = script.dataset;
  if (site) widget.site = site;
  if (page) widget.page = page;
  if (sort === 'newest' || sort === 'oldest') widget.sort = sort;
  const container = target ? document.querySelector(target) : null;
  if (target && !container) console.warn(`Parley: no element matches data-target="${target}"; mounting after the script tag.`);
  if (container) container.append(widget);
  else script.after(widget);
}

const script = findScript();
if (script) {
  // An async script can run before the container after it is parsed.
  if (script.dataset.target && document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
  } else {
    mount(script);
  }
}
