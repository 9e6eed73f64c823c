import { css } from 'lit';

/** Forms of the admin element and its dialogs: stacked labels, radio groups, hints and field errors. */
export const formStyles = css`
  form {
    display: grid;
    gap: 0.75em;
  }
  label {
    display: grid;
    gap: 0.25em;
    font-size: 0.9em;
    font-weight: 600;
  }
  label.check,
  fieldset label {
    display: flex;
    gap: 0.5em;
    align-items: center;
    font-weight: normal;
  }
  label.check input,
  fieldset input {
    width: auto;
    margin: 0;
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.3em;
  }
  legend {
    font-size: 0.9em;
    font-weight: 600;
    padding: 0;
    margin-bottom: 0.25em;
  }
  small,
  .lead {
    color: var(--_muted);
    font-size: 0.85em;
    margin: 0;
  }
  .field-error {
    color: var(--_danger);
    font-size: 0.85em;
    font-weight: normal;
    margin: 0;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  textarea {
    resize: vertical;
  }
`;
