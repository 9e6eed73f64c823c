import { expect, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { buttonNamed, byRole, deepQueryAll, dialogNamed, readText, textboxNamed, typeInto } from '../../test-support/dom.js';
import { FakeModerationApi, FakeModerationRealtime } from '../../test-support/fake-moderation.js';
import { choiceNamed, openTab, renderAdmin, shownArticles } from '../../test-support/admin.js';
import { settled } from '../../test-support/widget.js';
import type { ParleyAdmin } from '../parley-admin.js';

describe('<parley-ban-dialog>', () => {
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
    buttonNamed(el, 'Ban Grace')!.click();
    await settled(el);
    return dialogNamed(el, 'Ban Grace')!;
  }

  it('opens from Ban NAME, named "Ban NAME", with the durations, Reason, "Also remove their comments" and Ban', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);

    const dialog = await openDialog(el);

    expect(dialog, 'the open dialog').to.exist;
    const durations = ['1 day', '7 days', '30 days', 'Permanent'].map((name) => choiceNamed(dialog, 'radio', name));
    expect(durations.every(Boolean), 'a radio button for each duration').to.equal(true);
    expect(durations.map((radio) => radio!.checked)).to.deep.equal([true, false, false, false]);
    expect(readText(dialog.querySelector('legend'))).to.equal('Duration');
    expect(textboxNamed(dialog, 'Reason')).to.exist;
    expect(choiceNamed(dialog, 'checkbox', 'Also remove their comments')!.checked).to.equal(false);
    expect(buttonNamed(dialog, 'Ban')?.type).to.equal('submit');
  });

  it('asks for a reason before banning', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);
    const dialog = await openDialog(el);

    buttonNamed(dialog, 'Ban')!.click();
    await settled(el);

    expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(['Enter a reason.']);
    expect(api.callsTo('banUser')).to.be.empty;
  });

  it('bans with the chosen duration and reason; the item then shows the ban and Unban NAME', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);
    const dialog = await openDialog(el);

    choiceNamed(dialog, 'radio', '7 days')!.click();
    typeInto(textboxNamed(dialog, 'Reason')!, 'Repeated spam');
    buttonNamed(dialog, 'Ban')!.click();

    await waitUntil(() => !dialog.open, 'the dialog should close');
    await settled(el);
    expect(api.callsTo('banUser').map((call) => call.body)).to.deep.equal([
      { site: 'default', userId: grace.id, duration: '7d', reason: 'Repeated spam', removeComments: false },
    ]);
    const article = shownArticles(el)[0]!;
    expect(readText(article.querySelector('.ban'))).to.match(/^Banned until /);
    expect(buttonNamed(el, 'Unban Grace')).to.exist;
    expect(buttonNamed(el, 'Ban Grace')).to.equal(null);
  });

  it('also removes their comments when asked: their items leave the queue', async () => {
    const ada = api.addUser({ name: 'Ada' });
    api.addItem('reported', { author: grace, body: 'Spam one' });
    api.addItem('reported', { author: ada, body: 'Fine' });
    api.addItem('reported', { author: grace, body: 'Spam two' });
    const el = await renderAdmin(api, realtime);

    const buttons = deepQueryAll<HTMLButtonElement>(el, 'button').filter((b) => readText(b) === 'Ban Grace');
    buttons[0]!.click();
    await settled(el);
    const dialog = dialogNamed(el, 'Ban Grace')!;
    choiceNamed(dialog, 'radio', 'Permanent')!.click();
    typeInto(textboxNamed(dialog, 'Reason')!, 'Spammer');
    choiceNamed(dialog, 'checkbox', 'Also remove their comments')!.click();
    buttonNamed(dialog, 'Ban')!.click();

    await waitUntil(() => shownArticles(el).length === 1, 'her items should leave');
    expect(api.callsTo('banUser').map((call) => call.body)).to.deep.equal([
      { site: 'default', userId: grace.id, duration: 'permanent', reason: 'Spammer', removeComments: true },
    ]);
    expect(readText(shownArticles(el)[0]!.querySelector('.body'))).to.equal('Fine');

    await openTab(el, 'Removed');
    expect(shownArticles(el).map((a) => readText(a.querySelector('.ban')))).to.deep.equal(['Banned permanently', 'Banned permanently']);
  });

  it('starts afresh each time it opens', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);
    const dialog = await openDialog(el);
    choiceNamed(dialog, 'radio', '30 days')!.click();
    typeInto(textboxNamed(dialog, 'Reason')!, 'half-typed');
    buttonNamed(dialog, 'Cancel')!.click();
    await waitUntil(() => buttonNamed(el, 'Ban Grace') !== null, 'the admin should be back once the dialog closed');

    await openDialog(el);

    expect(choiceNamed(dialog, 'radio', '1 day')!.checked).to.equal(true);
    expect(textboxNamed(dialog, 'Reason')!.value).to.equal('');
  });

  it('passes an accessibility audit', async () => {
    api.addItem('reported', { author: grace });
    const el = await renderAdmin(api, realtime);
    await openDialog(el);

    await expect(el).to.be.accessible();
  });
});
