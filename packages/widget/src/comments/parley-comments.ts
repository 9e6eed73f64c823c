/**
 * Defines `<parley-comments>` and every element it uses, at once (the ES
 * module build and tests). The script-tag bundle imports ./first-paint.js
 * instead and loads the rest after the thread has painted.
 */
import { ParleyComments } from './first-paint.js';
import './after-first-paint.js';

export { ParleyComments };
export { defaultPageKey } from './first-paint.js';

declare global {
  interface HTMLElementTagNameMap {
    'parley-comments': ParleyComments;
  }
}
