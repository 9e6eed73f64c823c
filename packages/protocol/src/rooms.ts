/**
 * Where the socket server listens, at the root of the server's origin. The
 * server passes it to socket.io as `path`; the widget's client builds its
 * WebSocket URL from it.
 */
export const socketPath = '/socket.io/';

/** Name of the socket.io room of one page's thread. */
export function pageRoom(site: string, page: string): string {
  return `page:${site}:${page}`;
}

/** The socket events of a page's room, in the protocol's `PageEvent` union. */
export const pageEventTypes = ['comment:created', 'comment:updated', 'comment:deleted', 'page:updated'] as const;

/** Name of the socket.io room of a site's moderators. */
export function moderationRoom(site: string): string {
  return `moderation:${site}`;
}
