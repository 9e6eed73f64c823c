import { fixture, html, waitUntil } from '@open-wc/testing';
import '../admin/parley-admin.js';
import type { ParleyAdmin } from '../admin/parley-admin.js';
import type { FakeModerationApi, FakeModerationRealtime } from './fake-moderation.js';
import { accessibleName, byRole, deepQueryAll, isShown, readText } from './dom.js';
import { settled } from './widget.js';

/** The queue items shown, as articles. */
export function shownArticles(root: Element): HTMLElement[] {
  return deepQueryAll(root, 'article').filter(isShown);
}

/** The tab panel of the selected tab. */
export function shownPanel(root: Element): HTMLElement {
  const panel = byRole(root, 'tabpanel').find((candidate) => !candidate.hidden);
  if (!panel) throw new Error('no tab panel is shown');
  return panel;
}

/**
 * Mounts `<parley-admin>` on the fakes and waits until it settled: signed
 * out, told it is no moderator, or (as a moderator) live and showing the
 * first tab.
 */
export async function renderAdmin(api: FakeModerationApi, realtime: FakeModerationRealtime, site = 'default'): Promise<ParleyAdmin> {
  const el = await fixture<ParleyAdmin>(html`<parley-admin site=${site} .api=${api} .realtime=${realtime}></parley-admin>`);
  await waitUntil(() => {
    const text = el.shadowRoot?.textContent ?? '';
    return !text.includes('Checking your access') && !text.includes('Loading');
  }, 'the admin should finish checking access and loading');
  // A moderator's admin goes live once the first tab has loaded.
  if (byRole(el, 'tablist').length) await waitUntil(() => realtime.subscribed, 'the admin should join the moderation room');
  await settled(el);
  return el;
}

/** The one shown radio button or checkbox named `name`, or null. */
export function choiceNamed(root: Element, type: 'radio' | 'checkbox', name: string): HTMLInputElement | null {
  const found = deepQueryAll<HTMLInputElement>(root, `input[type="${type}"]`).filter((input) => isShown(input) && accessibleName(input) === name);
  if (found.length > 1) throw new Error(`${found.length} ${type}s are named "${name}"`);
  return found[0] ?? null;
}

/** The shown tabs' names, in order. */
export function tabNames(root: Element): string[] {
  return byRole(root, 'tab').filter(isShown).map((tab) => accessibleName(tab));
}

/** Clicks the tab named `name` and waits for its panel to settle. */
export async function openTab(el: ParleyAdmin, name: string): Promise<HTMLElement> {
  const tab = byRole(el, 'tab').find((t) => accessibleName(t) === name);
  if (!tab) throw new Error(`no tab named "${name}"`);
  tab.click();
  await waitUntil(() => !/Loading/.test(readText(shownPanel(el))) && !deepQueryAll(shownPanel(el), '[role="status"]').some((s) => /Loading/.test(readText(s))), `the "${name}" tab should load`);
  await settled(el);
  return shownPanel(el);
}

/**
 * The text a reader sees in `el`: slots read as what is slotted into them
 * (or their fallback), shadow roots as what they render.
 */
export function renderedText(el: Element): string {
  const walk = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    if (!(node instanceof Element)) return '';
    if (node instanceof HTMLSlotElement) {
      const assigned = node.assignedNodes({ flatten: true });
      return (assigned.length ? assigned : [...node.childNodes]).map(walk).join('');
    }
    const children = node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
    return [...children].map(walk).join('');
  };
  return walk(el).replace(/\s+/g, ' ').trim();
}
