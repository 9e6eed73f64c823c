/**
 * Where each REST operation lives: method, path, whether it needs a session,
 * and its success status. Free of zod so a browser bundle can use it; the
 * schemas for each operation are in routes.ts.
 */
export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path, `:name` for path parameters. */
  path: string;
  /** `public`: anyone; `session`: only with a valid bearer token. */
  auth: 'public' | 'session';
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
  listComments: endpoint({ method: 'get', path: '/api/comments', auth: 'public', status: 200 }),
  getComment: endpoint({ method: 'get', path: '/api/comments/:id', auth: 'public', status: 200 }),
  createComment: endpoint({ method: 'post', path: '/api/comments', auth: 'session', status: 201 }),
  updateComment: endpoint({ method: 'patch', path: '/api/comments/:id', auth: 'session', status: 200 }),
  deleteComment: endpoint({ method: 'delete', path: '/api/comments/:id', auth: 'session', status: 200 }),
} as const;

export type OperationId = keyof typeof endpoints;

/** Fills `:name` path parameters. */
export function endpointPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
