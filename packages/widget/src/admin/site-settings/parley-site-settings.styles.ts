import { css } from 'lit';

export const siteSettingsStyles = css`
  :host {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  form {
    max-width: 32rem;
  }
  input[type='number'] {
    max-width: 8rem;
  }
  section {
    display: grid;
    gap: 0.6em;
    border-top: 1px solid var(--_border);
    padding-top: var(--_space);
  }
  h3 {
    margin: 0;
    font-size: 1.05em;
  }
  .lock {
    max-width: 32rem;
  }
  .status {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .entries {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4em;
  }
  .entries li {
    display: flex;
    gap: 0.75em;
    align-items: center;
    justify-content: space-between;
    flex-wrap: wrap;
    padding: 0.4em 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .key {
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .error {
    padding: var(--_space);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
  }
  .error p {
    margin: 0 0 0.5em;
  }
`;
