import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { ParleySettingsSavedEvent } from '../admin-events.js';
import { accessibleName, buttonNamed, byRole, deepQueryAll, readText, textboxNamed, typeInto } from '../../test-support/dom.js';
import { FakeModerationApi, FakeModerationRealtime } from '../../test-support/fake-moderation.js';
import { choiceNamed, openTab, renderAdmin } from '../../test-support/admin.js';
import { settled } from '../../test-support/widget.js';
import { serverError } from '../../test-support/fake-api.js';

const statusTexts = (root: Element) => byRole(root, 'status').map(readText).filter(Boolean);

describe('<parley-site-settings>', () => {
  let api: FakeModerationApi;
  let realtime: FakeModerationRealtime;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeModerationApi();
    realtime = new FakeModerationRealtime();
    api.seedSession(api.addUser({ name: 'Mo', moderatorOf: ['default'] }));
    api.settings = { premoderation: 'new', reportThreshold: 3, bannedWords: ['foo', 'bar'], editWindowMinutes: 15, lockedPages: ['/closed'] };
  });

  async function openSettings() {
    const el = await renderAdmin(api, realtime);
    const panel = await openTab(el, 'Settings');
    return { el, panel };
  }

  it('fills the form from getSiteSettings', async () => {
    const { panel } = await openSettings();

    expect(readText(deepQueryAll(panel, 'legend')[0])).to.equal('Pre-moderation');
    expect(['Off', 'New commenters', 'Everyone'].map((name) => choiceNamed(panel, 'radio', name)?.checked)).to.deep.equal([false, true, false]);
    const threshold = textboxNamed(panel, 'Report threshold') as HTMLInputElement;
    expect([threshold.type, threshold.value]).to.deep.equal(['number', '3']);
    const words = textboxNamed(panel, 'Banned words')!;
    expect([words.localName, words.value]).to.deep.equal(['textarea', 'foo\nbar']);
    const window = textboxNamed(panel, 'Edit window (minutes)') as HTMLInputElement;
    expect([window.type, window.value]).to.deep.equal(['number', '15']);
    expect(buttonNamed(panel, 'Save settings')?.type).to.equal('submit');
    expect(deepQueryAll(panel, 'h3').map(readText)).to.deep.equal(['Lock comments on a page', 'Banned users']);
    expect(textboxNamed(panel, 'Page')).to.exist;
    expect(buttonNamed(panel, 'Lock')).to.exist;
    expect(buttonNamed(panel, 'Unlock /closed')).to.exist;
    expect(api.callsTo('getSiteSettings').map((call) => call.query)).to.deep.equal([{ site: 'default' }]);
  });

  it('saves with Save settings: updateSiteSettings, "Settings saved." and parley-settings-saved', async () => {
    const { el, panel } = await openSettings();

    choiceNamed(panel, 'radio', 'Everyone')!.click();
    typeInto(textboxNamed(panel, 'Report threshold')!, '5');
    typeInto(textboxNamed(panel, 'Banned words')!, 'foo\n\n  baz  \nfoo');
    typeInto(textboxNamed(panel, 'Edit window (minutes)')!, '0');
    const saved = oneEvent<ParleySettingsSavedEvent>(el, 'parley-settings-saved');
    buttonNamed(panel, 'Save settings')!.click();
    const event = await saved;
    await settled(el);

    expect(api.callsTo('updateSiteSettings').map((call) => call.body)).to.deep.equal([
      { site: 'default', premoderation: 'all', reportThreshold: 5, bannedWords: ['foo', 'baz'], editWindowMinutes: 0 },
    ]);
    expect(event.settings).to.deep.equal({ premoderation: 'all', reportThreshold: 5, bannedWords: ['foo', 'baz'], editWindowMinutes: 0, lockedPages: ['/closed'] });
    expect(statusTexts(panel)).to.deep.equal(['Settings saved.']);
    expect(textboxNamed(panel, 'Banned words')!.value).to.equal('foo\nbaz');
  });

  it('shows the server\'s validation errors next to their fields, and an alert', async () => {
    const { el, panel } = await openSettings();

    typeInto(textboxNamed(panel, 'Report threshold')!, '0');
    buttonNamed(panel, 'Save settings')!.click();

    await waitUntil(() => byRole(panel, 'alert').length === 1, 'the error should show');
    await settled(el);
    expect(readText(byRole(panel, 'alert')[0])).to.equal('Must be a whole number from 1 to 100.');
    const threshold = textboxNamed(panel, 'Report threshold')!;
    expect(threshold.getAttribute('aria-invalid')).to.equal('true');
    const described = threshold.getAttribute('aria-describedby')!.split(' ').map((id) => readText(threshold.getRootNode() instanceof ShadowRoot ? (threshold.getRootNode() as ShadowRoot).getElementById(id) : null));
    expect(described).to.include('Must be a whole number from 1 to 100.');
    expect(statusTexts(panel)).to.be.empty;
    expect(accessibleName(threshold), 'the error is not part of the name').to.equal('Report threshold');

    typeInto(threshold, '4');
    await settled(el);
    expect(threshold.getAttribute('aria-invalid'), 'editing the field clears its error').to.equal(null);
  });

  it('shows an error of a banned word next to Banned words', async () => {
    const { el, panel } = await openSettings();

    typeInto(textboxNamed(panel, 'Banned words')!, `ok\n${'x'.repeat(101)}`);
    buttonNamed(panel, 'Save settings')!.click();

    await waitUntil(() => byRole(panel, 'alert').length === 1, 'the error should show');
    await settled(el);
    expect(textboxNamed(panel, 'Banned words')!.getAttribute('aria-invalid')).to.equal('true');
    expect(deepQueryAll(panel, '.field-error').map(readText)).to.deep.equal(['Too long: at most 100 characters.']);
  });

  it('locks a page at once with Lock, and unlocks it with Unlock PAGE', async () => {
    const { el, panel } = await openSettings();

    typeInto(textboxNamed(panel, 'Page')!, 'https://velotip.test/2026/04/28/story?ref=x');
    buttonNamed(panel, 'Lock')!.click();

    await waitUntil(() => buttonNamed(panel, 'Unlock /2026/04/28/story') !== null, 'the locked page should be listed');
    expect(api.callsTo('updateSiteSettings').map((call) => call.body)).to.deep.equal([{ site: 'default', lockedPages: ['/closed', '/2026/04/28/story'] }]);
    expect(textboxNamed(panel, 'Page')!.value).to.equal('');
    expect(statusTexts(panel)).to.deep.equal(['Comments are closed on /2026/04/28/story.']);

    buttonNamed(panel, 'Unlock /closed')!.click();

    await waitUntil(() => buttonNamed(panel, 'Unlock /closed') === null, 'the unlocked page should go');
    await settled(el);
    expect(api.callsTo('updateSiteSettings')[1]!.body).to.deep.equal({ site: 'default', lockedPages: ['/2026/04/28/story'] });
    expect(deepQueryAll(panel, '[aria-label="Locked pages"] li .key').map(readText)).to.deep.equal(['/2026/04/28/story']);
  });

  it('keeps unsaved edits when the settings change elsewhere, but shows the new locked pages', async () => {
    const { el, panel } = await openSettings();
    typeInto(textboxNamed(panel, 'Report threshold')!, '7');

    api.settings = { ...api.settings, reportThreshold: 10, lockedPages: ['/closed', '/also-closed'] };
    realtime.change({ change: 'settings' });

    await waitUntil(() => buttonNamed(panel, 'Unlock /also-closed') !== null, 'the new lock should show');
    expect(textboxNamed(panel, 'Report threshold')!.value).to.equal('7');
    await settled(el);
  });

  it('lists the users banned now, each with Unban NAME', async () => {
    const grace = api.addUser({ name: 'Grace' });
    api.addBan(grace, { reason: 'Spammer', expiresAt: null });
    const { panel } = await openSettings();

    expect(readText(deepQueryAll(panel, '[aria-label="Banned users"] li span')[0])).to.equal('Grace banned permanently: Spammer');

    buttonNamed(panel, 'Unban Grace')!.click();

    await waitUntil(() => buttonNamed(panel, 'Unban Grace') === null, 'the ban should go');
    expect(api.callsTo('unbanUser').map((call) => call.params)).to.deep.equal([{ userId: grace.id }]);
    expect(readText(deepQueryAll(panel, 'section p').at(-1))).to.equal('Nobody is banned.');
  });

  it('shows an error with Retry when the settings cannot be loaded', async () => {
    api.failNext('getSiteSettings', serverError('network_error'));
    const { panel } = await openSettings();

    expect(byRole(panel, 'alert').map(readText)).to.deep.equal(["Couldn't load the settings. Can't reach the comments server. Retry"]);
    buttonNamed(panel, 'Retry')!.click();
    await waitUntil(() => textboxNamed(panel, 'Report threshold') !== null, 'Retry should load the settings');
  });

  it('passes an accessibility audit', async () => {
    const { el } = await openSettings();

    await expect(el).to.be.accessible();
  });
});
