import type { Locator, Page } from 'playwright-core';
import type { Reader } from './browser.js';
import type { Journey } from './journey.js';
import type { Stack } from './stack.js';
import { comment, newAccount, signIn, type Account } from './widget.js';

/** The admin element's tabs, by their accessible names. */
export type AdminTab = 'Reported' | 'Pending' | 'Removed' | 'Audit log' | 'Settings';

/**
 * A moderator of the stack's site, made the way the README says the first
 * one is: `pnpm parley user create ... --role moderator` calls this same
 * service. No one becomes a moderator through the UI.
 */
export async function createModerator(stack: Stack, name: string): Promise<Account> {
  const account = newAccount(name);
  await stack.server.accounts.createUser({ ...account, site: stack.server.config.site, role: 'moderator' });
  return account;
}

/** A moderator with the host's admin page open and signed in, on the "Reported" tab. */
export async function openAdmin(journey: Journey, moderator: Account): Promise<Reader> {
  const admin = await journey.adminPage(moderator.name);
  await signIn(admin.page, moderator);
  await adminTab(admin.page, 'Reported').waitFor();
  return admin;
}

export function adminTab(page: Page, name: AdminTab): Locator {
  return page.getByRole('tab', { name, exact: true });
}

/** Selects a tab of the admin element and returns its panel. */
export async function openTab(page: Page, name: AdminTab): Promise<Locator> {
  await adminTab(page, name).click();
  const panel = page.getByRole('tabpanel', { name, exact: true });
  await panel.waitFor();
  return panel;
}

/**
 * A comment in a moderation queue whose text contains `text`. Queue items are
 * articles named "Comment by NAME", like comments in the thread.
 */
export function queueItem(scope: Page | Locator, text: string): Locator {
  return comment(scope, text);
}

/**
 * Reports the comment containing `text` from the reader's page: "Report",
 * a reason, details, "Send report". Returns the "Report comment" dialog,
 * still open, so the caller can read what it says.
 */
export async function reportComment(page: Page, text: string, reason: string, details?: string): Promise<Locator> {
  await comment(page, text).getByRole('button', { name: 'Report', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Report comment' });
  await dialog.getByRole('radio', { name: reason, exact: true }).check();
  if (details !== undefined) await dialog.getByRole('textbox', { name: 'Details (optional)' }).fill(details);
  await dialog.getByRole('button', { name: 'Send report', exact: true }).click();
  return dialog;
}

/** The id of the comment an article shows (its `data-comment-id`, also in its permalink). */
export async function commentId(article: Locator): Promise<string> {
  const id = await article.getAttribute('data-comment-id');
  if (!id) throw new Error('The comment has no data-comment-id');
  return id;
}
