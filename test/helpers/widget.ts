import type { Locator, Page } from 'playwright-core';

/** A reader's account; every call gives a new email, so one server can hold many. */
export interface Account {
  name: string;
  email: string;
  password: string;
}

let accounts = 0;

/** A new account for `name`, not yet created on any server. */
export function newAccount(name: string): Account {
  accounts += 1;
  return { name, email: `${name.toLowerCase()}.${accounts}@example.com`, password: 'correct horse battery' };
}

/** The "Sign in" button that opens the dialog (not the dialog's own submit button). */
export function signInButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Sign in', exact: true });
}

/** Opens the dialog from the widget and switches it to "Create account". */
export async function openCreateAccount(page: Page): Promise<Locator> {
  await signInButton(page).click();
  await page.getByRole('dialog', { name: 'Sign in' }).getByRole('button', { name: 'Create account' }).click();
  return page.getByRole('dialog', { name: 'Create account' });
}

/** Fills the open "Create account" dialog and submits it. */
export async function submitCreateAccount(dialog: Locator, account: Account): Promise<void> {
  await dialog.getByRole('textbox', { name: 'Name' }).fill(account.name);
  await dialog.getByRole('textbox', { name: 'Email' }).fill(account.email);
  // Password fields have no ARIA role; the label is how a reader finds it.
  await dialog.getByLabel('Password').fill(account.password);
  await dialog.getByRole('button', { name: 'Create account', exact: true }).click();
}

/** Creates an account through the widget's dialog and waits until the widget shows it signed in. */
export async function createAccount(page: Page, account: Account): Promise<void> {
  await submitCreateAccount(await openCreateAccount(page), account);
  await signedInAs(page, account).waitFor();
}

/**
 * Signs in with an existing account through the "Sign in" dialog (the
 * comments widget's or the admin element's) and waits for the dialog to close.
 */
export async function signIn(page: Page, account: Account): Promise<void> {
  await signInButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill(account.email);
  await dialog.getByLabel('Password').fill(account.password);
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The "Signed in as NAME" line. */
export function signedInAs(page: Page, account: Account): Locator {
  return page.getByText(`Signed in as ${account.name}`, { exact: true });
}

/** The top-level comment box. */
export function commentBox(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Comment', exact: true });
}

/**
 * A comment (or reply) whose own text contains `text`. The article itself is
 * an <article> too, hence the name filter; replies sit outside their parent's
 * <article>, so a parent never matches its replies' text.
 */
export function comment(page: Page | Locator, text: string): Locator {
  return page.getByRole('article', { name: /^Comment by / }).filter({ hasText: text });
}

/** Every comment's accessible name and text, in page order. */
export async function commentsInOrder(page: Page): Promise<string[]> {
  return page.getByRole('article', { name: /^(Comment by |Deleted comment)/ }).evaluateAll((articles) =>
    articles.map((article) => (article as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
  );
}

/** Writes and posts a top-level comment, and waits until it shows. */
export async function postComment(page: Page, text: string): Promise<Locator> {
  await commentBox(page).fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const posted = comment(page, text);
  await posted.waitFor();
  return posted;
}

/** The "Comments" heading, whose name carries the count once there are comments. */
export function commentsHeading(page: Page, count: number): Locator {
  return page.getByRole('heading', { name: count > 0 ? `Comments ${count}` : 'Comments', exact: true });
}

/**
 * The widget's visible text, one entry per text node, in reading order across
 * shadow roots and slots (innerText stops at a shadow root). `element` names
 * another Parley element to read, such as `parley-admin`.
 *
 * Use this rather than `getByText` for text a host or a parent element puts
 * in a slot: Playwright's text engine reads a slot's fallback content, not what
 * is slotted in, so `getByText` never finds the slotted text, and `count()`
 * still finds the fallback it replaced.
 */
export function widgetText(page: Page, element = 'parley-comments'): Promise<string[]> {
  return page.locator(element).evaluate((widget) => {
    const lines: string[] = [];
    const visit = (node: Node): void => {
      if (node instanceof Text) {
        const text = node.data.replace(/\s+/g, ' ').trim();
        if (text) lines.push(text);
        return;
      }
      if (!(node instanceof Element)) return;
      // Slots and other display:contents boxes have no box of their own, so no visibility to check.
      const passThrough = node instanceof HTMLSlotElement || getComputedStyle(node).display === 'contents';
      if (!passThrough && !node.checkVisibility({ visibilityProperty: true })) return;
      if (node instanceof HTMLSlotElement) {
        const assigned = node.assignedNodes({ flatten: true });
        (assigned.length ? assigned : [...node.childNodes]).forEach(visit);
        return;
      }
      (node.shadowRoot ?? node).childNodes.forEach(visit);
    };
    visit(widget);
    return lines;
  });
}
