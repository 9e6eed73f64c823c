import { css } from 'lit';

export const removeDialogStyles = css`
  :host {
    display: contents;
  }
  textarea {
    min-height: 4.5em;
  }
`;
