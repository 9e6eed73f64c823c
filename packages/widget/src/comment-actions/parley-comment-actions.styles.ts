import { css } from 'lit';

export const commentActionsStyles = css`
  :host {
    display: block;
  }
  .actions {
    display: flex;
    gap: 0.25em;
    margin-left: -0.3em;
  }
  .edit {
    display: grid;
    gap: 0.5em;
    margin: 0.4em 0;
  }
  .edit textarea {
    min-height: 5em;
    resize: vertical;
  }
  parley-composer {
    margin-top: 0.5em;
  }
`;
