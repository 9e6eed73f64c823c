import { css } from 'lit';

export const reportDialogStyles = css`
  :host {
    display: contents;
  }
  form {
    display: grid;
    gap: 0.75em;
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.35em;
  }
  legend {
    font-weight: 600;
    font-size: 0.9em;
    margin-bottom: 0.35em;
    padding: 0;
  }
  .choice {
    display: flex;
    gap: 0.5em;
    align-items: center;
  }
  .choice input {
    width: auto;
    margin: 0;
  }
  .details {
    display: grid;
    gap: 0.25em;
    font-size: 0.9em;
    font-weight: 600;
  }
  textarea {
    min-height: 4em;
    resize: vertical;
    font-weight: normal;
  }
  .thanks {
    margin: 0 0 var(--_space);
  }
`;
