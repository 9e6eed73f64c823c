import { css } from 'lit';

export const queueItemStyles = css`
  :host {
    display: block;
  }
  article {
    padding: calc(var(--_space) * 0.75) var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    display: grid;
    gap: 0.4em;
  }
  header {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
    flex-wrap: wrap;
    font-size: 0.9em;
  }
  .author {
    font-weight: 600;
  }
  .page,
  time,
  .muted {
    color: var(--_muted);
  }
  a {
    color: var(--_accent);
  }
  .reports {
    background: var(--_subtle);
    border-radius: var(--_radius);
    padding: 0.4em 0.75em;
    font-size: 0.9em;
  }
  .reports ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .reasons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1em;
    font-weight: 600;
  }
  .details li {
    margin-top: 0.25em;
  }
  .note {
    margin: 0;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .ban {
    color: var(--_danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-top: 0.25em;
  }
`;
