/** The focused element, looking through shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * Opens `dialog` as a modal. When it closes (a button, Escape), focus goes to
 * `returnTo()`, by default the element that had focus when it opened, if that
 * is still in the page. Chromium does not bring focus back across shadow
 * roots by itself, and an opener can be gone by then (a comment that just
 * collapsed), so the caller may name another place.
 */
export function openModal(dialog: HTMLDialogElement, returnTo?: () => HTMLElement | null | undefined): void {
  if (dialog.open) return;
  const opener = deepActiveElement();
  dialog.addEventListener(
    'close',
    () => {
      const target = returnTo?.() ?? opener;
      if (target?.isConnected) target.focus();
    },
    { once: true },
  );
  dialog.showModal();
}
