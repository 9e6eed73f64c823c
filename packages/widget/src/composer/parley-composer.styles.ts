import { css } from 'lit';

export const composerStyles = css`
  :host {
    display: block;
  }
  form {
    display: grid;
    gap: 0.5em;
  }
  textarea {
    min-height: 5.5em;
    resize: vertical;
  }
  .footer {
    display: flex;
    gap: 0.5em;
    align-items: center;
    justify-content: flex-end;
    flex-wrap: wrap;
  }
  .hint {
    margin-right: auto;
    color: var(--_muted);
    font-size: 0.8em;
  }
  .remaining {
    color: var(--_muted);
    font-size: 0.8em;
  }
  .remaining.over {
    color: var(--_danger);
  }
`;
