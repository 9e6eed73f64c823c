import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import type { ParleySignInEvent } from '../events.js';
import { buttonNamed, byRole, deepActiveElement, dialogNamed, press, readText, textboxNamed, typeInto } from '../test-support/dom.js';
import { FakeApi, FakeRealtime } from '../test-support/fake-api.js';
import { rateLimitedError } from '../test-support/rate-limited.js';
import { renderWidget, settled } from '../test-support/widget.js';
import type { ParleySignIn } from './parley-sign-in.js';

describe('<parley-sign-in>', () => {
  let api: FakeApi;
  let ada: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com', password: 'correct horse' });
  });

  /** The signed-out widget with its sign-in dialog opened from the Sign in button. */
  async function openDialog() {
    const widget = await renderWidget(api, new FakeRealtime());
    const signIn = widget.shadowRoot!.querySelector<ParleySignIn>('parley-sign-in')!;
    const opener = buttonNamed(signIn, 'Sign in')!;
    opener.click();
    await settled(signIn);
    const dialog = dialogNamed(signIn, 'Sign in')!;
    return { widget, signIn, opener, dialog };
  }

  async function fillIn(dialog: HTMLDialogElement, fields: Record<string, string>) {
    for (const [name, value] of Object.entries(fields)) typeInto(textboxNamed(dialog, name)!, value);
  }

  it('opens a dialog named "Sign in" with Email, Password and a Sign in submit button', async () => {
    const { signIn, dialog } = await openDialog();

    expect(dialog, 'the open dialog').to.exist;
    const email = textboxNamed(dialog, 'Email')!;
    expect(email.type).to.equal('email');
    expect(textboxNamed(dialog, 'Password')?.type).to.equal('password');
    expect(buttonNamed(dialog, 'Sign in')?.type).to.equal('submit');
    expect(deepActiveElement() === email, 'Email has focus').to.equal(true);
    expect(buttonNamed(signIn.shadowRoot!.querySelector('.prompt')!, 'Sign in'), 'the page behind is hidden').to.equal(null);
  });

  it('switches to creating an account, which adds Name', async () => {
    const { signIn, dialog } = await openDialog();

    buttonNamed(dialog, 'Create account')!.click();
    await settled(signIn);

    expect(dialogNamed(signIn, 'Create account')).to.equal(dialog);
    const name = textboxNamed(dialog, 'Name')!;
    expect(name).to.exist;
    expect(textboxNamed(dialog, 'Email')).to.exist;
    expect(textboxNamed(dialog, 'Password')).to.exist;
    expect(buttonNamed(dialog, 'Create account')?.type).to.equal('submit');
    expect(readText(dialog.querySelector('#password-hint'))).to.equal('At least 8 characters.');
    expect(deepActiveElement() === name, 'Name has focus').to.equal(true);

    buttonNamed(dialog, 'Use an existing account')!.click();
    await settled(signIn);
    expect(dialogNamed(signIn, 'Sign in')).to.equal(dialog);
    expect(textboxNamed(dialog, 'Name')).to.equal(null);
  });

  describe('errors, shown in the dialog as alerts', () => {
    it('says so when the password is wrong', async () => {
      const { signIn, dialog } = await openDialog();
      await fillIn(dialog, { Email: 'ada@example.com', Password: 'wrong horse' });

      buttonNamed(dialog, 'Sign in')!.click();

      await waitUntil(() => byRole(dialog, 'alert').length === 1, 'the error should show');
      expect(readText(byRole(dialog, 'alert')[0])).to.equal('Wrong email or password.');
      expect(api.callsTo('signIn').map((call) => call.body)).to.deep.equal([{ email: 'ada@example.com', password: 'wrong horse', site: 'default' }]);
      expect(dialog.open).to.equal(true);
      expect(signIn.isConnected, 'still signed out').to.equal(true);
    });

    it('says when to try again after too many failed sign-ins', async () => {
      const { signIn, dialog } = await openDialog();
      await fillIn(dialog, { Email: 'ada@example.com', Password: 'correct horse' });
      api.failNext('signIn', await rateLimitedError('Too many failed sign-ins for this account. Try again in 15 minutes.', 900));

      buttonNamed(dialog, 'Sign in')!.click();

      await waitUntil(() => byRole(dialog, 'alert').length === 1, 'the error should show');
      expect(readText(byRole(dialog, 'alert')[0])).to.equal('Too many failed sign-ins for this account. Try again in 15 minutes.');
      expect(dialog.open).to.equal(true);
      expect(signIn.isConnected, 'still signed out').to.equal(true);
    });

    it('says when to try again after too many sign-ups from one network', async () => {
      const { signIn, dialog } = await openDialog();
      buttonNamed(dialog, 'Create account')!.click();
      await settled(signIn);
      await fillIn(dialog, { Name: 'Grace', Email: 'grace@example.com', Password: 'long enough' });
      api.failNext('signUp', await rateLimitedError('Too many sign-ups from your network. Try again in 1 hour.', 3600, 'signUp'));

      buttonNamed(dialog, 'Create account')!.click();

      await waitUntil(() => byRole(dialog, 'alert').length === 1, 'the error should show');
      expect(readText(byRole(dialog, 'alert')[0])).to.equal('Too many sign-ups from your network. Try again in 1 hour.');
    });

    it('says so when the email already has an account', async () => {
      const { signIn, dialog } = await openDialog();
      buttonNamed(dialog, 'Create account')!.click();
      await settled(signIn);
      await fillIn(dialog, { Name: 'Another Ada', Email: 'ada@example.com', Password: 'long enough' });

      buttonNamed(dialog, 'Create account')!.click();

      await waitUntil(() => byRole(dialog, 'alert').length === 1, 'the error should show');
      expect(readText(byRole(dialog, 'alert')[0])).to.equal('An account with this email already exists.');
    });

    it('says so when a new password is too short, without asking the server', async () => {
      const { signIn, dialog } = await openDialog();
      buttonNamed(dialog, 'Create account')!.click();
      await settled(signIn);
      await fillIn(dialog, { Name: 'Grace', Email: 'grace@example.com', Password: 'short' });

      buttonNamed(dialog, 'Create account')!.click();
      await settled(signIn);

      expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(['Password must be at least 8 characters.']);
      expect(api.callsTo('signUp')).to.be.empty;
    });

    it('asks for a valid email address', async () => {
      const { signIn, dialog } = await openDialog();
      await fillIn(dialog, { Email: 'not an address', Password: 'whatever' });

      buttonNamed(dialog, 'Sign in')!.click();
      await settled(signIn);

      expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(['Enter a valid email address.']);
      expect(api.callsTo('signIn')).to.be.empty;
    });
  });

  it('closes on Escape and gives focus back to the Sign in button', async () => {
    const { opener, dialog } = await openDialog();

    await press('Escape');

    await waitUntil(() => !dialog.open, 'the dialog should close');
    await waitUntil(() => deepActiveElement() === opener, 'focus should return to Sign in');
  });

  it('keeps Tab inside the dialog', async () => {
    const { dialog } = await openDialog();
    const email = textboxNamed(dialog, 'Email')!;
    const close = buttonNamed(dialog, 'Close')!;

    close.focus();
    await press('Tab');
    expect(deepActiveElement() === email, 'Tab from the last control goes to the first').to.equal(true);

    await press('Tab', 'Shift');
    expect(deepActiveElement() === close, 'Shift+Tab from the first goes to the last').to.equal(true);
  });

  it('signs in, fires parley-sign-in, stores the session and moves on to the composer', async () => {
    const { widget, dialog } = await openDialog();
    await fillIn(dialog, { Email: 'ada@example.com', Password: 'correct horse' });

    const signedIn = oneEvent<ParleySignInEvent>(widget, 'parley-sign-in');
    buttonNamed(dialog, 'Sign in')!.click();
    const event = await signedIn;

    expect([event.user, event.created]).to.deep.equal([ada, false]);
    const stored = JSON.parse(localStorage.getItem(`parley:session:${api.server}`) ?? 'null') as { token: string; user: Me } | null;
    expect(stored?.user).to.deep.equal(ada);
    expect(stored?.token).to.be.a('string').and.not.empty;
    await settled(widget);
    expect(readText(widget.shadowRoot!.querySelector('.account p'))).to.equal('Signed in as Ada');
    const composerBox = textboxNamed(widget, 'Comment')!;
    await waitUntil(() => deepActiveElement() === composerBox, 'the composer should get focus');
  });

  it('creates an account and fires parley-sign-in marked as created', async () => {
    const { widget, signIn, dialog } = await openDialog();
    buttonNamed(dialog, 'Create account')!.click();
    await settled(signIn);
    await fillIn(dialog, { Name: 'Grace', Email: 'grace@example.com', Password: 'long enough' });

    const signedIn = oneEvent<ParleySignInEvent>(widget, 'parley-sign-in');
    buttonNamed(dialog, 'Create account')!.click();
    const event = await signedIn;

    expect([event.user.name, event.user.email, event.created]).to.deep.equal(['Grace', 'grace@example.com', true]);
    expect(api.callsTo('signUp').map((call) => call.body)).to.deep.equal([
      { name: 'Grace', email: 'grace@example.com', password: 'long enough', site: 'default' },
    ]);
    await settled(widget);
    expect(readText(widget.shadowRoot!.querySelector('.account p'))).to.equal('Signed in as Grace');
  });

  it('passes an accessibility audit, closed and open', async () => {
    const widget = await renderWidget(api, new FakeRealtime());
    const signIn = widget.shadowRoot!.querySelector<ParleySignIn>('parley-sign-in')!;
    await expect(signIn).to.be.accessible();

    buttonNamed(signIn, 'Sign in')!.click();
    await settled(signIn);
    await expect(signIn).to.be.accessible();
  });
});
