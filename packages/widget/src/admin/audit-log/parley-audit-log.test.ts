import { expect, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { buttonNamed, byRole, deepQueryAll, readText } from '../../test-support/dom.js';
import { FakeModerationApi, FakeModerationRealtime } from '../../test-support/fake-moderation.js';
import { openTab, renderAdmin } from '../../test-support/admin.js';
import { serverError } from '../../test-support/fake-api.js';

/** Each row of the log as its cells read. */
const rows = (root: Element) => deepQueryAll(root, 'tbody tr').map((row) => [...row.querySelectorAll('td')].map(readText));

describe('<parley-audit-log>', () => {
  let api: FakeModerationApi;
  let realtime: FakeModerationRealtime;
  let mod: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeModerationApi();
    realtime = new FakeModerationRealtime();
    mod = api.addUser({ name: 'Mo', moderatorOf: ['default'] });
    api.seedSession(mod);
  });

  it('lists who did what, on what, why and when, newest first', async () => {
    const older = new Date(Date.now() - 2 * 86_400_000).toISOString();
    api.addAudit({ action: 'ban', actor: { id: '5', name: 'Ruth' }, targetType: 'user', targetLabel: 'Grace', reason: 'Spammer', createdAt: older });
    api.addAudit({ action: 'remove', actor: { id: mod.id, name: 'Mo' }, targetLabel: '“Buy cheap watches…”', reason: 'Advertising', createdAt: new Date(Date.now() - 5 * 60_000).toISOString() });
    api.addAudit({ action: 'settings', actor: null, targetType: 'site', targetLabel: 'default', reason: null });
    const el = await renderAdmin(api, realtime);

    const panel = await openTab(el, 'Audit log');

    expect(deepQueryAll(panel, 'th').map(readText)).to.deep.equal(['Who', 'What', 'On what', 'Why', 'When']);
    expect(rows(panel)).to.deep.equal([
      ['a deleted account', 'Changed settings', 'default', '', '1 minute ago'],
      ['Mo', 'Removed', '“Buy cheap watches…”', 'Advertising', '5 minutes ago'],
      ['Ruth', 'Banned', 'Grace', 'Spammer', '2 days ago'],
    ]);
    const time = deepQueryAll(panel, 'tbody time')[2]!;
    expect(time.getAttribute('datetime')).to.equal(older);
    expect(time.title).to.match(/\d{4}/);
    expect(api.callsTo('listAuditLog').map((call) => call.query)).to.deep.equal([{ site: 'default', cursor: undefined, limit: 20 }]);
  });

  it('pages with Load more', async () => {
    for (let i = 0; i < 25; i++) api.addAudit({ action: 'approve', targetLabel: `Comment ${i}` });
    const el = await renderAdmin(api, realtime);
    const panel = await openTab(el, 'Audit log');
    expect(rows(panel)).to.have.length(20);

    buttonNamed(panel, 'Load more')!.click();

    await waitUntil(() => rows(panel).length === 25, 'the next page should be appended');
    expect(rows(panel).map((row) => row[2])).to.deep.equal(Array.from({ length: 25 }, (_, i) => `Comment ${24 - i}`));
    expect(api.callsTo('listAuditLog')[1]!.query.cursor).to.equal(api.audit[19]!.id);
  });

  it('lists the moderator\'s own action after it', async () => {
    const grace = api.addUser({ name: 'Grace' });
    api.addItem('reported', { author: grace, body: 'Fine' });
    const el = await renderAdmin(api, realtime);
    buttonNamed(el, 'Approve')!.click();
    await waitUntil(() => api.callsTo('moderateComment').length === 1);

    const panel = await openTab(el, 'Audit log');

    expect(rows(panel).map((row) => row.slice(0, 2))).to.deep.equal([['Mo', 'Approved']]);
  });

  it('says so when there is nothing yet, and shows an error with Retry', async () => {
    api.failNext('listAuditLog', serverError('internal_error', { status: 500 }));
    const el = await renderAdmin(api, realtime);

    const panel = await openTab(el, 'Audit log');
    expect(byRole(panel, 'alert').map(readText)).to.deep.equal(["Couldn't load the audit log. Something went wrong on the comments server. Please try again. Retry"]);

    buttonNamed(panel, 'Retry')!.click();
    await waitUntil(() => byRole(panel, 'alert').length === 0, 'Retry should load the log');
    expect(readText(deepQueryAll(panel, 'p')[0])).to.equal('No moderator actions yet.');
  });

  it('passes an accessibility audit', async () => {
    api.addAudit({ action: 'remove', actor: { id: '5', name: 'Ruth' }, targetLabel: 'Spam', reason: 'Spam' });
    const el = await renderAdmin(api, realtime);
    await openTab(el, 'Audit log');

    await expect(el).to.be.accessible();
  });
});
