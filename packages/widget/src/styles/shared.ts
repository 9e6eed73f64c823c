import { css } from 'lit';

/**
 * Tokens and controls every Parley element shares. Hosts theme the widget by
 * setting `--parley-*` custom properties on `parley-comments` or any ancestor.
 */
export const sharedStyles = css`
  :host {
    --_text: var(--parley-color-text, #1f2328);
    --_muted: var(--parley-color-muted, #59636e);
    --_accent: var(--parley-color-accent, #0b5cad);
    --_accent-contrast: var(--parley-color-accent-contrast, #ffffff);
    --_surface: var(--parley-color-surface, #ffffff);
    --_subtle: var(--parley-color-subtle, #f6f8fa);
    --_border: var(--parley-color-border, #d0d7de);
    --_highlight: var(--parley-color-highlight, #fff8c5);
    --_danger: var(--parley-color-danger, #b42318);
    --_radius: var(--parley-radius, 6px);
    --_space: var(--parley-space, 0.75rem);
    font-family: var(--parley-font-family, inherit);
    font-size: var(--parley-font-size, 1rem);
    color: var(--_text);
    line-height: 1.5;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
    padding: 0.3em 0.8em;
    line-height: 1.4;
  }
  button:hover:not(:disabled) {
    background: var(--_subtle);
  }
  button.link {
    border: none;
    background: none;
    padding: 0.1em 0.3em;
    color: var(--_muted);
    font-size: 0.875em;
  }
  button.link:hover:not(:disabled) {
    background: none;
    color: var(--_accent);
    text-decoration: underline;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button:focus-visible,
  textarea:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .alert {
    color: var(--_danger);
    margin: 0.4em 0;
    font-size: 0.9em;
  }
  .row {
    display: flex;
    gap: 0.5em;
    align-items: center;
    flex-wrap: wrap;
  }
`;
