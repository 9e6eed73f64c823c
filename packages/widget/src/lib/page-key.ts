/** The host page's canonical path: `<link rel="canonical">` if present, else the URL path. */
export function defaultPageKey(doc: Document = document): string {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  try {
    return new URL(canonical || doc.location.href).pathname;
  } catch {
    return doc.location.pathname;
  }
}
