import { css } from 'lit';

export const accountStyles = css`
  :host {
    display: inline-block;
  }
  dialog.panel {
    width: min(34rem, calc(100vw - 2rem));
  }
  .content {
    display: grid;
    gap: var(--_space);
    position: relative;
  }
  h2 {
    margin: 0;
    font-size: 1.2em;
  }
  h2:focus,
  h3:focus {
    outline: none;
  }
  h3 {
    margin: 0 0 0.5em;
    font-size: 1em;
  }
  section {
    display: grid;
    gap: 0.5em;
    justify-items: start;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.6em;
    width: 100%;
  }
  .mine li {
    display: grid;
    gap: 0.1em;
  }
  .mine a {
    color: var(--_accent);
    overflow-wrap: anywhere;
  }
  .meta,
  .muted {
    color: var(--_muted);
    font-size: 0.85em;
    margin: 0;
  }
  .blocked li {
    display: flex;
    gap: 0.75em;
    align-items: center;
    justify-content: space-between;
  }
  form.password {
    display: grid;
    gap: 0.5em;
    justify-items: start;
    width: 100%;
  }
  form.password label {
    display: grid;
    gap: 0.25em;
    width: min(100%, 20rem);
    font-size: 0.9em;
    font-weight: 600;
  }
  form.password small {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .done {
    margin: 0;
    color: var(--_accent);
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
