import { css } from 'lit';

export const commentStyles = css`
  :host {
    display: block;
  }
  .comment {
    margin-top: var(--_space);
  }
  article {
    padding: calc(var(--_space) * 0.75) var(--_space);
    border-radius: var(--_radius);
    border: 1px solid transparent;
    transition: background-color 1.5s ease, border-color 1.5s ease;
  }
  article.fresh {
    background: var(--_highlight);
    border-color: var(--_border);
    transition: none;
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
  time,
  .edited,
  .replying-to {
    color: var(--_muted);
  }
  article:focus {
    outline: none;
  }
  article:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .notice {
    color: var(--_muted);
    font-style: italic;
    margin: 0.4em 0;
  }
  .notice.blocked {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
    flex-wrap: wrap;
  }
  .notice button {
    font-style: normal;
  }
  .mark {
    font-size: 0.8em;
    padding: 0 0.5em;
    border-radius: 999px;
    border: 1px solid var(--_border);
    color: var(--_muted);
  }
  .mark.pinned {
    border-color: var(--_accent);
    color: var(--_accent);
  }
  .more-replies {
    margin: 0.5em 0 0;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .replies.indent {
    margin-left: clamp(0.75rem, 4%, 2rem);
    padding-left: calc(var(--_space) * 0.5);
    border-left: 2px solid var(--_border);
  }
`;
