import { css } from 'lit';

export const commentsStyles = css`
  :host {
    display: block;
    max-width: var(--parley-max-width, 48rem);
  }
  section {
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  .account {
    display: flex;
    gap: 0.75em;
    align-items: center;
    flex-wrap: wrap;
    color: var(--_muted);
    font-size: 0.9em;
    margin: 0;
  }
  .account p {
    margin: 0;
  }
  h2 {
    font-size: var(--parley-heading-size, 1.35em);
    margin: 0;
    display: flex;
    align-items: baseline;
    gap: 0.4em;
  }
  .count {
    color: var(--_muted);
    font-weight: normal;
    font-size: 0.8em;
  }
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
  .notice {
    margin: 0;
    padding: var(--_space);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
  }
`;
