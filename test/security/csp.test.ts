import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, testConfig, type ParleyServer } from '@parley/server';
import { Browsing, markDocument } from '../helpers/browser.js';
import { adminTab, openTab } from '../helpers/moderation.js';
import { freePort, HOST } from '../helpers/stack.js';
import { WAIT_MS } from '../helpers/wait.js';
import { comment, createAccount, newAccount, postComment, signIn, signInButton, widgetText } from '../helpers/widget.js';
import { startStrictHost, type StrictHost } from './strict-host.js';

/**
 * The widget and the admin element on a host page whose
 * Content-Security-Policy allows scripts from itself and the Parley server
 * only, no inline script or style and no eval: everything works, and the
 * browser reports no violation.
 */

/** The comment area of an empty thread, signed out (as in empty-state.test.ts). */
const SIGNED_OUT_LINES = ['Sign in to report, block, or manage your own posts.', 'Comments', 'No comments yet.', 'Sign in to comment.'];

/**
 * Whether `element` is styled by its own adopted stylesheets: it has some, and
 * its text colour (which only its `:host` rule sets) differs from the page's.
 */
function styledByAdoptedSheets(element: Element): boolean {
  const sheets = element.shadowRoot?.adoptedStyleSheets.length ?? 0;
  return sheets > 0 && getComputedStyle(element).color !== getComputedStyle(document.body).color;
}

/** Records every `securitypolicyviolation` event in the page, from any document or shadow root, before page scripts run. */
function watchViolations(): void {
  document.addEventListener(
    'securitypolicyviolation',
    (event) => {
      const report = (window as unknown as { __parleyCspReport?: (text: string) => void }).__parleyCspReport;
      report?.(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
    },
    true,
  );
}

let browsing: Browsing;
let server: ParleyServer;
let serverUrl: string;
let host: StrictHost;
const contexts: BrowserContext[] = [];
/** Violations and refusals seen by any page of the current test. */
const violations: string[] = [];
const pageErrors: string[] = [];
/** WebSocket URLs the pages opened. */
const sockets: string[] = [];

/** A new person with `url` open, every CSP violation and refusal recorded. */
async function openUnderPolicy(url: string, name: string): Promise<Page> {
  const context = await browsing.browser.newContext();
  contexts.push(context);
  context.setDefaultTimeout(WAIT_MS);
  await context.exposeBinding('__parleyCspReport', (_source, text: unknown) => violations.push(`${name}: ${String(text)}`));
  await context.addInitScript(watchViolations);
  const page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (/Refused to|Content Security Policy/i.test(text)) violations.push(`${name} (console): ${text}`);
  });
  page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.stack ?? error.message}`));
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  browsing = await Browsing.launch();
});

beforeEach(async () => {
  // The host's port first: the server must allow its origin, and its pages name the server.
  const hostPort = await freePort();
  server = await createServer({ ...testConfig(), origins: [`http://${HOST}:${hostPort}`] });
  try {
    ({ url: serverUrl } = await server.listen(0, HOST));
    host = await startStrictHost(hostPort, serverUrl);
  } catch (error) {
    await server.close();
    throw error;
  }
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await host?.close();
  await server?.close();
  violations.length = 0;
  sockets.length = 0;
  const errors = pageErrors.splice(0);
  if (errors.length) throw new Error(`Uncaught errors on the page:\n${errors.join('\n')}`);
});

afterAll(() => browsing?.close());

describe('a host page with a strict Content-Security-Policy', () => {
  it('sends the policy: scripts from itself and the server only, no unsafe-inline or unsafe-eval', async () => {
    const response = await fetch(host.articleUrl);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toBe(host.policy);
    expect(policy).toContain(`script-src 'self' ${serverUrl};`);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('runs the widget with no violation: signed-out lines, sign-up in the dialog, a comment a second reader sees live, the account panel', async () => {
    const alice = newAccount('Alice');
    const text = 'Strict policies and comment widgets can get along.';

    const a = await openUnderPolicy(host.articleUrl, 'Alice');
    await a.getByText('No comments yet.', { exact: true }).waitFor();
    const lines = await widgetText(a);
    expect(lines.filter((line) => SIGNED_OUT_LINES.includes(line)), `widget text: ${JSON.stringify(lines)}`).toEqual(SIGNED_OUT_LINES);
    await signInButton(a).waitFor();
    // Styled by its adopted stylesheets, which a policy without 'unsafe-inline' does not block.
    expect(await a.locator('parley-comments').evaluate(styledByAdoptedSheets)).toBe(true);

    const b = await openUnderPolicy(host.articleUrl, 'Bob');
    await b.getByText('No comments yet.', { exact: true }).waitFor();
    const bobNeverReloaded = await markDocument(b);

    await createAccount(a, alice);
    await postComment(a, text);
    await comment(b, text).waitFor();
    expect(await bobNeverReloaded()).toBe(true);
    // Live updates came over the WebSocket that connect-src allows, not a fallback.
    expect(sockets.some((url) => url.startsWith(`${serverUrl.replace(/^http/, 'ws')}/socket.io/`))).toBe(true);

    // The account panel, which reads comment HTML with DOMParser, works under the policy too.
    await a.getByRole('button', { name: 'Account', exact: true }).click();
    await a.getByRole('dialog', { name: 'Account' }).getByRole('link', { name: text }).waitFor();

    expect(violations).toEqual([]);
  });

  it("runs the moderator's admin element with no violation: sign-in, queues, audit log, settings", async () => {
    const mia = newAccount('Mia');
    await server.accounts.createUser({ ...mia, site: server.config.site, role: 'moderator' });
    const page = await openUnderPolicy(host.adminUrl, 'Mia');
    await signIn(page, mia);
    await adminTab(page, 'Reported').waitFor();
    for (const tab of ['Pending', 'Removed', 'Audit log', 'Settings'] as const) await openTab(page, tab);
    await page.getByRole('textbox', { name: 'Banned words' }).waitFor();
    expect(await page.locator('parley-admin').evaluate(styledByAdoptedSheets)).toBe(true);

    expect(violations).toEqual([]);
  });

  it('notices a violation when there is one: an inline style attribute is refused and recorded', async () => {
    const page = await openUnderPolicy(host.articleUrl, 'Control');
    await page.getByText('No comments yet.', { exact: true }).waitFor();
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await expect.poll(() => violations.join('\n')).toMatch(/style-src/);
  });
});
