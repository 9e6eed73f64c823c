/** Name of the socket.io room of one page's thread. */
export function pageRoom(site: string, page: string): string {
  return `page:${site}:${page}`;
}

/** The socket events of a page's room, in the protocol's `PageEvent` union. */
export const pageEventTypes = ['comment:created', 'comment:updated', 'comment:deleted'] as const;
