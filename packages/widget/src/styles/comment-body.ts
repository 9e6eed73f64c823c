import { css } from 'lit';

/**
 * How a comment's server-rendered HTML looks, wherever it is shown: in the
 * thread and in the moderators' queues. Apply it with class `body`.
 */
export const commentBodyStyles = css`
  .body {
    overflow-wrap: anywhere;
  }
  .body :is(p, ul, ol, blockquote, pre) {
    margin: 0.4em 0;
  }
  .body blockquote {
    border-left: 3px solid var(--_border);
    padding-left: 0.75em;
    color: var(--_muted);
  }
  .body pre {
    background: var(--_subtle);
    padding: 0.5em;
    overflow-x: auto;
    border-radius: var(--_radius);
  }
  .body a {
    color: var(--_accent);
  }
`;
