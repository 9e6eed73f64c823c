import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { Browsing, type OpenOptions, type Reader } from './browser.js';
import { startStack, type Stack } from './stack.js';

/** What a journey test works with; valid inside tests and hooks. */
export interface Journey {
  /** This test's own server and example host: every test starts on an empty thread. */
  readonly stack: Stack;
  readonly browsing: Browsing;
  /** A new reader (own browser context) with the article open. */
  reader(name: string, options?: OpenOptions): Promise<Reader>;
  /** A new person (own browser context) with the host's moderation page open, signed out. */
  adminPage(name: string): Promise<Reader>;
}

/**
 * Registers the hooks of a journey file: one Chromium for the file, a fresh
 * server and example host for each test (the article's thread key is fixed by
 * its canonical URL, so tests sharing a server would share a thread), and
 * readers closed after each test, failing it if a page threw.
 */
export function setupJourney(): Journey {
  let browsing: Browsing | undefined;
  let stack: Stack | undefined;
  beforeAll(async () => {
    browsing = await Browsing.launch();
  });
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    try {
      await browsing?.closeReaders();
    } finally {
      await stack?.close();
      stack = undefined;
    }
  });
  afterAll(() => browsing?.close());

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside a test`);
    return value;
  };
  return {
    get stack() {
      return started(stack, 'The stack');
    },
    get browsing() {
      return started(browsing, 'The browser');
    },
    reader(name, options) {
      return started(browsing, 'The browser').open(started(stack, 'The stack').host.articleUrl, name, options);
    },
    adminPage(name) {
      return started(browsing, 'The browser').open(started(stack, 'The stack').host.adminUrl, name);
    },
  };
}
