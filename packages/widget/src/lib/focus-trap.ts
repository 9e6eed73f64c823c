const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal dialog. `showModal()` makes the page
 * inert, but Chromium still tabs out to the browser's own UI; this cycles
 * within the dialog instead.
 */
export function trapFocus(event: KeyboardEvent): void {
  if (event.key !== 'Tab') return;
  const dialog = event.currentTarget as HTMLDialogElement;
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null && isTabStop(el, dialog));
  if (!items.length) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const active = (dialog.getRootNode() as ShadowRoot | Document).activeElement;
  if (event.shiftKey && active === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

/** A radio group is one tab stop: its checked radio, or its first one while none is checked. */
function isTabStop(el: HTMLElement, dialog: HTMLElement): boolean {
  if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || !el.name) return true;
  const group = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')].filter((radio) => radio.name === el.name);
  const checked = group.find((radio) => radio.checked);
  return checked ? el === checked : el === group[0];
}
