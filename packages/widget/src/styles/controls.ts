import { css } from 'lit';

/**
 * Primary and danger buttons, text fields and dialogs: for the elements that
 * take input, which the first paint of a thread does not need (`/embed.js`
 * loads them after it). Use after `sharedStyles`; a
 * module of its own, so a bundle split by module leaves it out of the first paint.
 */
export const controlStyles = css`
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-contrast);
  }
  button.primary:hover:not(:disabled) {
    background: var(--_accent);
    filter: brightness(1.1);
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: #fff;
  }
  textarea,
  input {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.5em 0.6em;
    width: 100%;
  }
  dialog {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    padding: calc(var(--_space) * 1.5);
    width: min(26rem, calc(100vw - 2rem));
    color: var(--_text);
    background: var(--_surface);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  dialog h2,
  dialog h3 {
    margin: 0 0 var(--_space);
    font-size: 1.2em;
  }
`;
