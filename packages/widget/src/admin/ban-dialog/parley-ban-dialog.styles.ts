import { css } from 'lit';

export const banDialogStyles = css`
  :host {
    display: contents;
  }
  textarea {
    min-height: 4.5em;
  }
`;
