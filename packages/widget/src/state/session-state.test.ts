import { expect } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import { FakeApi } from '../test-support/fake-api.js';
import { SessionState } from './session-state.js';
import { blockUser, deleteAccount, signOut, unblockUser } from './session-actions.js';

describe('SessionState', () => {
  let api: FakeApi;
  let ada: Me;
  let grace: Me;
  const sessions: SessionState[] = [];

  /** A session as one widget of the page holds it; detached after the test. */
  function widgetSession(site = 'default'): SessionState {
    const session = new SessionState(api, site);
    sessions.push(session);
    return session;
  }

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
    grace = api.addUser({ name: 'Grace', email: 'grace@example.com' });
  });

  afterEach(() => {
    for (const session of sessions.splice(0)) session.detach();
  });

  it('loads the blocked users once per session', async () => {
    api.seedSession(ada);
    const session = widgetSession();

    await Promise.all([session.loadBlocked(), session.loadBlocked()]);
    await session.loadBlocked();

    expect(api.callsTo('listBlockedUsers')).to.have.length(1);
    await session.loadBlocked({ fresh: true });
    expect(api.callsTo('listBlockedUsers')).to.have.length(2);
  });

  it('shares blocking and unblocking with the other widgets of the page', async () => {
    api.seedSession(ada);
    const one = widgetSession();
    const other = widgetSession();
    await Promise.all([one.loadBlocked(), other.loadBlocked()]);

    await blockUser(one, { id: grace.id, name: 'Grace' });
    expect(other.isBlocked(grace.id)).to.equal(true);
    expect(other.blocked).to.deep.equal([{ id: grace.id, name: 'Grace' }]);

    await unblockUser(other, { id: grace.id, name: 'Grace' });
    expect(one.isBlocked(grace.id)).to.equal(false);
    expect(api.blockedBy(ada.id)).to.be.empty;
  });

  it('forgets the blocked users on sign-out', async () => {
    api.seedSession(ada);
    const session = widgetSession();
    await blockUser(session, { id: grace.id, name: 'Grace' });

    await signOut(session);

    expect(session.blocked).to.be.empty;
    expect(session.isBlocked(grace.id)).to.equal(false);
  });

  it('has a ban only until it ends', () => {
    const past = api.addUser({ name: 'Past', email: 'past@example.com', ban: { reason: 'Spam', expiresAt: new Date(Date.now() - 1000).toISOString() } });
    api.seedSession(past);
    expect(widgetSession().ban).to.equal(null);

    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const current = api.addUser({ name: 'Now', email: 'now@example.com', ban: { reason: 'Spam', expiresAt } });
    api.seedSession(current);
    expect(widgetSession().ban).to.deep.equal({ reason: 'Spam', expiresAt });
  });

  it('forgets the session after deleting the account, announcing it first', async () => {
    api.seedSession(ada);
    const session = widgetSession();
    const signedInWhenAnnounced: boolean[] = [];

    await deleteAccount(session, () => signedInWhenAnnounced.push(session.signedIn));

    expect(signedInWhenAnnounced).to.deep.equal([true]);
    expect(session.signedIn).to.equal(false);
    expect(api.callsTo('deleteMyAccount')).to.have.length(1);
  });
});
