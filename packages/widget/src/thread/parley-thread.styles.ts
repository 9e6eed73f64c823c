import { css } from 'lit';

export const threadStyles = css`
  :host {
    display: block;
  }
  .loading {
    min-height: 6rem;
    display: grid;
    gap: 0.6rem;
    padding: var(--_space) 0;
  }
  .skeleton {
    height: 1rem;
    border-radius: var(--_radius);
    background: linear-gradient(90deg, var(--_subtle) 25%, var(--_border) 50%, var(--_subtle) 75%);
    background-size: 200% 100%;
    animation: shimmer 1.4s infinite linear;
  }
  .skeleton:nth-child(2) {
    width: 80%;
  }
  .skeleton:nth-child(3) {
    width: 60%;
  }
  @keyframes shimmer {
    from {
      background-position: 200% 0;
    }
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
  .error {
    padding: var(--_space);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    margin: var(--_space) 0;
  }
  .error p {
    margin: 0 0 0.5em;
  }
  .more {
    margin: var(--_space) 0;
  }
`;
