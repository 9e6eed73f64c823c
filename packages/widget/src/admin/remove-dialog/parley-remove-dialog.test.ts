import { expect, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { buttonNamed, byRole, deepActiveElement, dialogNamed, isShown, press, readText, textboxNamed, typeInto } from '../../test-support/dom.js';
import { FakeModerationApi, FakeModerationRealtime } from '../../test-support/fake-moderation.js';
import { renderAdmin, shownArticles, shownPanel } from '../../test-support/admin.js';
import { settled } from '../../test-support/widget.js';
import type { ParleyAdmin } from '../parley-admin.js';
import { serverError } from '../../test-support/fake-api.js';

describe('<parley-remove-dialog>', () => {
  let api: FakeModerationApi;
  let realtime: FakeModerationRealtime;
  let grace: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeModerationApi();
    realtime = new FakeModerationRealtime();
    api.seedSession(api.addUser({ name: 'Mo', moderatorOf: ['default'] }));
    grace = api.addUser({ name: 'Grace' });
  });

  async function openDialog(el: ParleyAdmin) {
    const opener = buttonNamed(el, 'Remove')!;
    opener.click();
    await settled(el);
    return { opener, dialog: dialogNamed(el, 'Remove comment')! };
  }

  it('opens from Remove, named "Remove comment", with a Reason textbox that has focus and a Remove button', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);

    const { dialog } = await openDialog(el);

    expect(dialog, 'the open dialog').to.exist;
    const reason = textboxNamed(dialog, 'Reason')!;
    expect(reason).to.exist;
    expect(deepActiveElement() === reason).to.equal(true);
    expect(buttonNamed(dialog, 'Remove')?.type).to.equal('submit');
    expect(isShown(shownPanel(el)), 'the admin behind is hidden from assistive technology').to.equal(false);
  });

  it('asks for a reason before removing', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);
    const { dialog } = await openDialog(el);

    buttonNamed(dialog, 'Remove')!.click();
    await settled(el);

    expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(['Enter a reason.']);
    expect(api.callsTo('moderateComment')).to.be.empty;
    expect(dialog.open).to.equal(true);
  });

  it('removes with the reason given: moderateComment with action remove; the item leaves and the dialog closes', async () => {
    const item = api.addItem('reported', { author: grace, body: 'Spam spam' });
    const el = await renderAdmin(api, realtime);
    const { dialog } = await openDialog(el);

    typeInto(textboxNamed(dialog, 'Reason')!, '  Advertising  ');
    buttonNamed(dialog, 'Remove')!.click();

    await waitUntil(() => !dialog.open, 'the dialog should close');
    await waitUntil(() => deepActiveElement() === shownPanel(el), 'focus should go to the panel, as the item left');
    expect(api.callsTo('moderateComment').map(({ params, body }) => ({ params, body }))).to.deep.equal([
      { params: { id: item.comment.id }, body: { site: 'default', action: 'remove', reason: 'Advertising' } },
    ]);
    expect(shownArticles(el)).to.be.empty;
  });

  it('shows a refusal in the dialog and keeps it open', async () => {
    api.addItem('reported', { author: grace });
    api.failNext('moderateComment', serverError('comment_not_found', { status: 404 }));
    const el = await renderAdmin(api, realtime);
    const { dialog } = await openDialog(el);

    typeInto(textboxNamed(dialog, 'Reason')!, 'Spam');
    buttonNamed(dialog, 'Remove')!.click();

    await waitUntil(() => byRole(dialog, 'alert').length === 1, 'the error should show');
    expect(readText(byRole(dialog, 'alert')[0])).to.equal('That comment no longer exists.');
    expect(dialog.open).to.equal(true);
  });

  it('closes on Cancel and on Escape without removing, and focus returns to Remove', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);

    const first = await openDialog(el);
    buttonNamed(first.dialog, 'Cancel')!.click();
    expect(first.dialog.open).to.equal(false);
    await waitUntil(() => deepActiveElement() === first.opener, 'focus should return to Remove after Cancel');

    const second = await openDialog(el);
    await press('Escape');
    await waitUntil(() => deepActiveElement() === second.opener, 'focus should return to Remove after Escape');
    expect(second.dialog.open).to.equal(false);
    expect(api.callsTo('moderateComment')).to.be.empty;
    expect(isShown(shownPanel(el))).to.equal(true);
  });

  it('passes an accessibility audit', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);
    await openDialog(el);

    await expect(el).to.be.accessible();
  });
});
