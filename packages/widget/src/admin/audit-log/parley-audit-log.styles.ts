import { css } from 'lit';

export const auditLogStyles = css`
  :host {
    display: block;
  }
  .muted {
    color: var(--_muted);
  }
  .scroll {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9em;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.45em 0.6em;
    border-bottom: 1px solid var(--_border);
  }
  th {
    color: var(--_muted);
    font-weight: 600;
  }
  .target {
    overflow-wrap: anywhere;
    min-width: 10em;
  }
  .when {
    white-space: nowrap;
    color: var(--_muted);
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
