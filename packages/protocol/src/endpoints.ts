/**
 * Where each REST operation lives: method, path, whether it needs a session,
 * and its success status. Free of zod so a browser bundle can use it; the
 * schemas for each operation are in routes.ts.
 */
export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path, `:name` for path parameters. */
  path: string;
  /**
   * `public`: anyone (a valid bearer token, if sent, identifies the viewer);
   * `session`: only with a valid bearer token; `moderator`: only a moderator
   * of the request's site.
   */
  auth: 'public' | 'session' | 'moderator';
  status: number;
}

function endpoint<const T extends Endpoint>(spec: T): T {
  return spec;
}

export const endpoints = {
  signUp: endpoint({ method: 'post', path: '/api/auth/sign-up', auth: 'public', status: 201 }),
  signIn: endpoint({ method: 'post', path: '/api/auth/sign-in', auth: 'public', status: 200 }),
  signOut: endpoint({ method: 'post', path: '/api/auth/sign-out', auth: 'session', status: 204 }),
  getMe: endpoint({ method: 'get', path: '/api/me', auth: 'session', status: 200 }),
  changePassword: endpoint({ method: 'post', path: '/api/me/password', auth: 'session', status: 204 }),
  listComments: endpoint({ method: 'get', path: '/api/comments', auth: 'public', status: 200 }),
  getComment: endpoint({ method: 'get', path: '/api/comments/:id', auth: 'public', status: 200 }),
  getCommentCounts: endpoint({ method: 'get', path: '/api/counts', auth: 'public', status: 200 }),
  createComment: endpoint({ method: 'post', path: '/api/comments', auth: 'session', status: 201 }),
  updateComment: endpoint({ method: 'patch', path: '/api/comments/:id', auth: 'session', status: 200 }),
  deleteComment: endpoint({ method: 'delete', path: '/api/comments/:id', auth: 'session', status: 200 }),
  reportComment: endpoint({ method: 'post', path: '/api/comments/:id/reports', auth: 'session', status: 201 }),
  blockUser: endpoint({ method: 'post', path: '/api/blocks', auth: 'session', status: 201 }),
  unblockUser: endpoint({ method: 'delete', path: '/api/blocks/:userId', auth: 'session', status: 204 }),
  listBlockedUsers: endpoint({ method: 'get', path: '/api/blocks', auth: 'session', status: 200 }),
  listMyComments: endpoint({ method: 'get', path: '/api/me/comments', auth: 'session', status: 200 }),
  exportMyData: endpoint({ method: 'get', path: '/api/me/export', auth: 'session', status: 200 }),
  deleteMyAccount: endpoint({ method: 'delete', path: '/api/me', auth: 'session', status: 204 }),
  listModerationQueue: endpoint({ method: 'get', path: '/api/moderation/queue', auth: 'moderator', status: 200 }),
  moderateComment: endpoint({ method: 'post', path: '/api/moderation/comments/:id', auth: 'moderator', status: 200 }),
  pinComment: endpoint({ method: 'post', path: '/api/moderation/comments/:id/pin', auth: 'moderator', status: 200 }),
  banUser: endpoint({ method: 'post', path: '/api/moderation/bans', auth: 'moderator', status: 201 }),
  unbanUser: endpoint({ method: 'delete', path: '/api/moderation/bans/:userId', auth: 'moderator', status: 204 }),
  listBans: endpoint({ method: 'get', path: '/api/moderation/bans', auth: 'moderator', status: 200 }),
  listAuditLog: endpoint({ method: 'get', path: '/api/moderation/audit', auth: 'moderator', status: 200 }),
  getSiteSettings: endpoint({ method: 'get', path: '/api/moderation/settings', auth: 'moderator', status: 200 }),
  updateSiteSettings: endpoint({ method: 'patch', path: '/api/moderation/settings', auth: 'moderator', status: 200 }),
} as const;

export type OperationId = keyof typeof endpoints;

/** Fills `:name` path parameters. */
export function endpointPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
