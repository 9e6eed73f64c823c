import type { ChangePasswordBody, Me, PublicUser, SignInBody, SignUpBody } from '@parley/protocol';
import type { SessionState } from './session-state.js';

/*
 * What a reader does with their session: sign in, up and out, block and
 * unblock, change their password, delete their account. Functions of their
 * own, not SessionState methods, so that a thread paints without them: the
 * script-tag bundle loads them with the sign-in dialog and the account panel.
 */

export async function signIn(session: SessionState, body: Omit<SignInBody, 'site'>): Promise<Me> {
  return session.open(await session.api.call('signIn', { body: { ...body, site: session.site } }));
}

export async function signUp(session: SessionState, body: Omit<SignUpBody, 'site'>): Promise<Me> {
  return session.open(await session.api.call('signUp', { body: { ...body, site: session.site } }));
}

/** Signs out here at once, then tells the server (which may be unreachable: the session is gone here either way). */
export async function signOut(session: SessionState): Promise<void> {
  const token = session.token;
  session.forget();
  if (token) await session.api.call('signOut', { token }).catch(() => undefined);
}

/** Blocks a user: their comments collapse for this reader on every page of the site. */
export async function blockUser(session: SessionState, user: PublicUser): Promise<PublicUser> {
  const { user: blocked } = await session.request('blockUser', { body: { site: session.site, userId: user.id } });
  session.setBlocked([blocked, ...session.blocked.filter((other) => other.id !== blocked.id)]);
  return blocked;
}

export async function unblockUser(session: SessionState, user: PublicUser): Promise<void> {
  await session.request('unblockUser', { params: { userId: user.id }, query: { site: session.site } });
  session.setBlocked(session.blocked.filter((other) => other.id !== user.id));
}

/**
 * Changes the reader's password. The server ends the reader's other
 * sessions (other browsers, other devices); this one stays signed in.
 */
export async function changePassword(session: SessionState, body: ChangePasswordBody): Promise<void> {
  await session.request('changePassword', { body });
}

/**
 * Deletes the reader's account on the server, then forgets the session.
 * `onDeleted` runs in between, while the signed-in elements are still in the
 * page (to announce it from there).
 */
export async function deleteAccount(session: SessionState, onDeleted?: () => void): Promise<void> {
  await session.request('deleteMyAccount', {});
  onDeleted?.();
  session.forget();
}
