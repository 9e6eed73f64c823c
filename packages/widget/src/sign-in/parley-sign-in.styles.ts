import { css } from 'lit';

export const signInStyles = css`
  :host {
    display: block;
  }
  .prompt {
    display: flex;
    gap: 0.75em;
    align-items: center;
    flex-wrap: wrap;
    padding: var(--_space);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
  }
  .prompt p {
    margin: 0;
  }
  form {
    display: grid;
    gap: 0.75em;
    position: relative;
  }
  label {
    display: grid;
    gap: 0.25em;
    font-size: 0.9em;
    font-weight: 600;
  }
  .switch {
    margin: 0;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .close {
    position: absolute;
    top: -0.5em;
    right: -0.5em;
    border: none;
    background: none;
    font-size: 1.4em;
    line-height: 1;
    padding: 0.2em 0.4em;
  }
`;
