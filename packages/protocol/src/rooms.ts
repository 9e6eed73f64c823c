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
