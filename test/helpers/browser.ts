import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { WAIT_MS } from './wait.js';

/** One person reading the article: their own browser context (storage, session) and page. */
export interface Reader {
  context: BrowserContext;
  page: Page;
}

/** What to do with a reader's page before it loads its first URL. */
export interface OpenOptions {
  /** Runs on the new page before it navigates, e.g. to follow its WebSockets from the start. */
  beforeLoad?: (page: Page) => void;
  /** When the navigation counts as done; `load` by default. */
  waitUntil?: 'load' | 'domcontentloaded';
}

/**
 * A Chromium for one test file, and the readers of the current test. Each
 * reader gets a separate context, so two readers never share a session or a
 * draft. Uncaught errors on any reader's page fail the test in
 * {@link Browsing.closeReaders}.
 */
export class Browsing {
  private readonly readers: Reader[] = [];
  private readonly pageErrors: string[] = [];

  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<Browsing> {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    return new Browsing(browser);
  }

  /** A new reader with the page at `url` open. */
  async open(url: string, name = `reader ${this.readers.length + 1}`, options: OpenOptions = {}): Promise<Reader> {
    const context = await this.browser.newContext();
    context.setDefaultTimeout(WAIT_MS);
    const reader = { context, page: await this.newPage(context, name) };
    this.readers.push(reader);
    options.beforeLoad?.(reader.page);
    await reader.page.goto(url, { waitUntil: options.waitUntil ?? 'load' });
    return reader;
  }

  /**
   * Another tab in `reader`'s browser with `url` open. It shares the reader's
   * storage, so the same person is signed in there too.
   */
  async openTab(reader: Reader, url: string, name: string): Promise<Page> {
    const page = await this.newPage(reader.context, name);
    await page.goto(url);
    return page;
  }

  /** Closes this test's readers; fails if any of their pages threw. */
  async closeReaders(): Promise<void> {
    await Promise.all(this.readers.splice(0).map((reader) => reader.context.close()));
    const errors = this.pageErrors.splice(0);
    if (errors.length) throw new Error(`Uncaught errors on the page:\n${errors.join('\n')}`);
  }

  async close(): Promise<void> {
    await this.closeReaders().finally(() => this.browser.close());
  }

  /** A page in `context` whose uncaught errors fail the test. */
  private async newPage(context: BrowserContext, name: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(`${name}: ${error.stack ?? error.message}`));
    return page;
  }
}

/**
 * Marks the document open in `page`. The returned function tells whether the
 * page still shows that same document, i.e. nothing reloaded it: live
 * updates must arrive without one.
 */
export async function markDocument(page: Page): Promise<() => Promise<boolean>> {
  const mark = `journey-${Date.now()}-${Math.random()}`;
  await page.evaluate((value) => {
    document.documentElement.dataset.journeyMark = value;
  }, mark);
  return async () => (await page.evaluate(() => document.documentElement.dataset.journeyMark)) === mark;
}
