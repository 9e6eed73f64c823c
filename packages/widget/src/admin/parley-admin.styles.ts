import { css } from 'lit';

export const adminStyles = css`
  :host {
    display: block;
    max-width: var(--parley-max-width, 60rem);
  }
  section,
  .main {
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  .account {
    display: flex;
    gap: 0.75em;
    align-items: center;
    flex-wrap: wrap;
  }
  .account p {
    margin: 0;
  }
  [part='account'] {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .muted,
  .empty {
    color: var(--_muted);
    margin: 0;
  }
  .connection {
    margin: 0;
    padding: 0.4em 0.75em;
    border-radius: var(--_radius);
    background: var(--_subtle);
    color: var(--_muted);
    font-size: 0.9em;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em;
    border-bottom: 1px solid var(--_border);
  }
  [role='tab'] {
    border: 1px solid transparent;
    border-bottom: none;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: none;
    color: var(--_muted);
    margin-bottom: -1px;
    padding: 0.45em 0.9em;
  }
  [role='tab'][aria-selected='true'] {
    color: var(--_text);
    background: var(--_surface);
    border-color: var(--_border);
    box-shadow: inset 0 3px 0 var(--_accent);
    font-weight: 600;
  }
  [role='tabpanel'] {
    padding: var(--_space) 0;
  }
  [role='tabpanel']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .items {
    display: grid;
    gap: var(--_space);
  }
  .error {
    padding: var(--_space);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
  }
  .error p {
    margin: 0 0 0.5em;
  }
  .more {
    margin: var(--_space) 0;
  }
`;
