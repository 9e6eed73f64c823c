/**
 * Finding things in the widget the way a reader (or a screen reader) would:
 * by role and accessible name, across every shadow root.
 */

import { sendKeys } from '@web/test-runner-commands';

type Root = Element | ShadowRoot | Document;

/** Every element matching `selector` under `root`, looking inside shadow roots too, in document order. */
export function deepQueryAll<T extends Element = HTMLElement>(root: Root, selector: string): T[] {
  const found: T[] = [];
  const visit = (node: Root) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.matches(selector)) found.push(el as T);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
  else visit(root);
  return found;
}

/** Text with whitespace runs collapsed, as it reads aloud. */
export function readText(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Presses a key with modifiers held, e.g. `press('Enter', 'Control')`, through the real keyboard. */
export async function press(key: string, ...modifiers: string[]): Promise<void> {
  for (const modifier of modifiers) await sendKeys({ down: modifier });
  await sendKeys({ press: key });
  for (const modifier of modifiers.reverse()) await sendKeys({ up: modifier });
}

/**
 * The accessible name of a control, for the ways the widget names them:
 * `aria-label`, `aria-labelledby`, `<label for>`, a wrapping `<label>`, or
 * (for buttons) the text inside.
 */
export function accessibleName(el: Element): string {
  const label = el.getAttribute('aria-label');
  if (label) return label.trim();
  const root = el.getRootNode() as ShadowRoot | Document;
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) return labelledBy.split(/\s+/).map((id) => readText(root.getElementById(id))).join(' ');
  if (el.id) {
    const forLabel = root.querySelector(`label[for="${el.id}"]`);
    if (forLabel) return readText(forLabel);
  }
  const wrapping = el.closest('label');
  if (wrapping) {
    // A wrapping label's name is its text without the control itself.
    const copy = wrapping.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('input, textarea, select').forEach((control) => control.remove());
    return readText(copy);
  }
  return el instanceof HTMLButtonElement ? readText(el) : '';
}

/** Whether a reader meets `el`: not inside a `hidden` or `aria-hidden` subtree, nor a closed dialog. */
export function isShown(el: Element): boolean {
  for (let node: Element | null = el; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) {
    if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true') return false;
    if (node instanceof HTMLDialogElement && !node.open) return false;
  }
  return true;
}

/** Shown buttons named `name`. */
export function buttonsNamed(root: Root, name: string): HTMLButtonElement[] {
  return deepQueryAll<HTMLButtonElement>(root, 'button').filter((b) => isShown(b) && accessibleName(b) === name);
}

/** The one shown button named `name`, or null. Throws when several match, so a test never clicks the wrong one. */
export function buttonNamed(root: Root, name: string): HTMLButtonElement | null {
  const found = buttonsNamed(root, name);
  if (found.length > 1) throw new Error(`${found.length} buttons are named "${name}"`);
  return found[0] ?? null;
}

/** The one shown text box (input or textarea) named `name`, or null. */
export function textboxNamed(root: Root, name: string): HTMLInputElement | HTMLTextAreaElement | null {
  const found = deepQueryAll<HTMLInputElement | HTMLTextAreaElement>(root, 'textarea, input:not([type="checkbox"]):not([type="radio"])').filter(
    (box) => isShown(box) && accessibleName(box) === name,
  );
  if (found.length > 1) throw new Error(`${found.length} text boxes are named "${name}"`);
  return found[0] ?? null;
}

/** The open dialog named `name`, or null. */
export function dialogNamed(root: Root, name: string): HTMLDialogElement | null {
  return deepQueryAll<HTMLDialogElement>(root, 'dialog').find((d) => d.open && accessibleName(d) === name) ?? null;
}

/** Elements with `role`, shown or not. */
export function byRole(root: Root, role: string): HTMLElement[] {
  return deepQueryAll(root, `[role="${role}"]`);
}

/** The focused element, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Types into a text box the way a reader does: value changes, then `input` fires. */
export function typeInto(box: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: text }));
}

/** The one shown radio button named `name`, or null. */
export function radioNamed(root: Root, name: string): HTMLInputElement | null {
  const found = deepQueryAll<HTMLInputElement>(root, 'input[type="radio"]').filter((radio) => isShown(radio) && accessibleName(radio) === name);
  if (found.length > 1) throw new Error(`${found.length} radio buttons are named "${name}"`);
  return found[0] ?? null;
}

/** Shown links, as their text and href. */
export function links(root: Root): { name: string; href: string }[] {
  return deepQueryAll<HTMLAnchorElement>(root, 'a[href]')
    .filter(isShown)
    .map((a) => ({ name: readText(a), href: a.getAttribute('href') ?? '' }));
}

/** Text as rendered, following slots: assigned content in place of a slot's fallback. */
export function readRendered(el: Element | null | undefined): string {
  const walk = (node: Node): string => {
    if (node instanceof Text) return node.data;
    if (node instanceof HTMLSlotElement) {
      const assigned = node.assignedNodes({ flatten: true });
      return (assigned.length ? assigned : [...node.childNodes]).map(walk).join('');
    }
    return [...node.childNodes].map(walk).join('');
  };
  return el ? walk(el).replace(/\s+/g, ' ').trim() : '';
}
