import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WAIT_MS, waitUntil } from '../helpers/wait.js';

/** Something a page did that only a payload could have made it do. */
export interface CanaryHit {
  /** `canary` for `__parleyXss`, else the replaced function: `alert`, `confirm`, `prompt`, `print`, or `dialog`. */
  kind: string;
  /** What it was called with (the payload's canary id, when the payload is from the corpus). */
  detail: string;
  /** The page the test was looking at, and the frame it happened in. */
  where: string;
}

/** The id of the element the init script adds to the host page to watch its styles. */
export const SENTINEL_ID = 'parley-xss-sentinel';

/**
 * Runs first in every frame, before any page script: defines the canary
 * `__parleyXss` and replaces `alert`, `confirm`, `prompt` and `print` with
 * recorders (none can be redefined by a payload afterwards), and, in the top
 * frame, adds the sentinel paragraph whose computed style shows whether any
 * style reached the host page. Hits go to Node through the
 * `__parleyXssReport` binding, which works in every frame, and are also kept
 * in `window.__parleyXssHits`.
 */
function installCanary(sentinelId: string): void {
  const hits: string[] = [];
  const report = (kind: string, args: unknown[]): void => {
    const detail = args.map((arg) => String(arg)).join(',');
    hits.push(`${kind}:${detail}`);
    try {
      (window as unknown as { __parleyXssReport?: (kind: string, detail: string) => void }).__parleyXssReport?.(kind, detail);
    } catch {
      // The binding can be gone while the page closes; the in-page list still has the hit.
    }
  };
  const lock = (name: string, value: unknown) =>
    Object.defineProperty(window, name, { value, writable: false, configurable: false, enumerable: false });
  lock('__parleyXssHits', hits);
  lock('__parleyXss', (...args: unknown[]) => report('canary', args));
  for (const name of ['alert', 'confirm', 'prompt', 'print']) lock(name, (...args: unknown[]) => void report(name, args));
  if (window.top === window) {
    document.addEventListener(
      'DOMContentLoaded',
      () => {
        const sentinel = document.createElement('p');
        sentinel.id = sentinelId;
        sentinel.textContent = 'Styles of the host page, watched by the XSS journey.';
        document.body.append(sentinel);
      },
      { once: true },
    );
  }
}

/** Options for a watched page. */
export interface WatchedOptions {
  /** Ask the API for its largest page (100) wherever the widget asks for a `limit`, so long lists need fewer "Load more". */
  largePages?: { serverUrl: string };
  /** Abort requests for these script URLs: the host page without the widget, as a baseline. */
  blockScripts?: string[];
}

/**
 * Browser contexts for hostile content: each page carries the canary from its
 * first script on, and everything it reports (canary calls, dialogs,
 * uncaught errors) is collected here, labelled with what the test was
 * looking at.
 */
export class WatchedBrowser {
  readonly hits: CanaryHit[] = [];
  readonly pageErrors: string[] = [];
  private readonly contexts: BrowserContext[] = [];
  /** What the test is rendering now; hits are filed under it. */
  surface = 'setup';

  constructor(private readonly browser: Browser) {}

  /** A new person (own context: storage, session) with `url` open in a watched page. */
  async open(url: string, name: string, options: WatchedOptions = {}): Promise<Page> {
    const context = await this.browser.newContext();
    this.contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    await context.exposeBinding('__parleyXssReport', ({ frame }, kind: unknown, detail: unknown) => {
      this.hits.push({ kind: String(kind), detail: String(detail), where: `${this.surface} (${name}, frame ${frame.url().slice(0, 120)})` });
    });
    await context.addInitScript(installCanary, SENTINEL_ID);
    if (options.largePages) {
      await context.route(`${options.largePages.serverUrl}/api/**`, async (route) => {
        const request = new URL(route.request().url());
        if (route.request().method() !== 'GET' || !request.searchParams.has('limit')) return route.continue();
        request.searchParams.set('limit', '100');
        return route.continue({ url: request.toString() });
      });
    }
    for (const script of options.blockScripts ?? []) await context.route(script, (route) => route.abort());
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(`${this.surface} (${name}): ${error.stack ?? error.message}`));
    // A dialog the replaced functions did not catch (a frame the init script missed) is a hit too.
    page.on('dialog', (dialog) => {
      this.hits.push({ kind: 'dialog', detail: `${dialog.type()}: ${dialog.message()}`, where: `${this.surface} (${name})` });
      void dialog.dismiss();
    });
    await page.goto(url);
    return page;
  }

  /** Closes every context opened so far. */
  async closeAll(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close()));
  }
}

/**
 * Clicks `button` until it is gone, waiting after each click until `count`
 * grows: for the lists that page with "Load more".
 */
export async function loadEverything(page: Page, buttonName: string, count: () => Promise<number>): Promise<void> {
  for (let round = 0; ; round += 1) {
    const button = page.getByRole('button', { name: buttonName, exact: true });
    if ((await button.count()) === 0) return;
    if (round > 200) throw new Error(`"${buttonName}" is still there after ${round} clicks`);
    const before = await count();
    // Dispatched rather than clicked: hostile content laid over the page must not stop the
    // test from rendering the rest, and the checks afterwards say what went wrong.
    await button.dispatchEvent('click');
    await waitUntil(async () => (await count()) > before, `more items after "${buttonName}" (had ${before})`, WAIT_MS * 3);
  }
}
