/** Name of the socket.io room of one page's thread. */
export function pageRoom(site: string, page: string): string {
  return `page:${site}:${page}`;
}
