import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { waitUntil } from './helpers/wait.js';
import {
  createAccount,
  newAccount,
  openCreateAccount,
  signInButton,
  signedInAs,
  submitCreateAccount,
  type Account,
} from './helpers/widget.js';

const journey = setupJourney();

/** Waits for the dialog's alert and returns its text. */
async function alertIn(dialog: Locator): Promise<string> {
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  return (await alert.innerText()).trim();
}

/** A reader with an account who has signed out again, so the account exists but no one is signed in. */
async function signedOutMember(account: Account): Promise<Page> {
  const { page } = await journey.reader(account.name);
  await createAccount(page, account);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signInButton(page).waitFor();
  return page;
}

describe('the sign-in dialog', () => {
  it('says so in an alert when the password is wrong, and stays open and signed out', async () => {
    const account = newAccount('Carol');
    const page = await signedOutMember(account);

    await signInButton(page).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in' });
    await dialog.getByRole('textbox', { name: 'Email' }).fill(account.email);
    await dialog.getByLabel('Password').fill('not the password');
    await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();

    expect(await alertIn(dialog)).toBe('Wrong email or password.');
    await dialog.waitFor();
    expect(await signedInAs(page, account).count()).toBe(0);
  });

  it('says so in an alert when the email already has an account', async () => {
    const account = newAccount('Dave');
    const page = await signedOutMember(account);

    const dialog = await openCreateAccount(page);
    await submitCreateAccount(dialog, { ...account, name: 'Another Dave' });

    expect(await alertIn(dialog)).toBe('An account with this email already exists.');
    await dialog.waitFor();
  });

  it('says so in an alert when the new password is too short', async () => {
    const { page } = await journey.reader('Erin');

    const dialog = await openCreateAccount(page);
    await submitCreateAccount(dialog, { ...newAccount('Erin'), password: 'short' });

    expect(await alertIn(dialog)).toBe('Password must be at least 8 characters.');
    await dialog.waitFor();
  });

  it('closes on Escape and gives focus back to the Sign in button', async () => {
    const { page } = await journey.reader('Frank');

    await signInButton(page).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in' });
    await dialog.getByRole('textbox', { name: 'Email' }).waitFor();
    await page.keyboard.press('Escape');

    await dialog.waitFor({ state: 'hidden' });
    await waitUntil(() => signInButton(page).evaluate((button) => button.matches(':focus')), 'focus to return to "Sign in"');
  });
});
