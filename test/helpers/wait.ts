/** How long a journey waits for something that should happen promptly before it fails. */
export const WAIT_MS = 10_000;

/**
 * Polls `check` until it returns true, or fails naming `what`. For conditions
 * Playwright locators cannot express (focus, values across elements); it
 * waits for a state, never for a fixed time.
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${ms} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
