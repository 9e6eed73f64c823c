/**
 * localStorage that never throws: private modes, full quotas and sandboxed
 * frames make it fail, and a comment widget must keep working without it.
 */
export const storage = {
  get(key: string): string | null {
    try {
      return globalThis.localStorage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      globalThis.localStorage?.setItem(key, value);
    } catch {
      // Not saving a draft or a session is better than breaking the widget.
    }
  },
  remove(key: string): void {
    try {
      globalThis.localStorage?.removeItem(key);
    } catch {
      // See set().
    }
  },
};
