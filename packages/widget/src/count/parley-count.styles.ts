/**
 * The count's CSS, as text: `<parley-count>` is a plain custom element (no
 * Lit), so that the article-list bundle `count.js` stays a few KiB.
 */
export const countStyles = `
  :host {
    display: inline;
    font-family: var(--parley-font-family, inherit);
  }
  [hidden] {
    display: none !important;
  }
`;
